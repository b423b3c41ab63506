using Softnet.Hypervisor.Topology;

namespace Softnet.Hypervisor.Runtime;

/// <summary>Finds a device or host by the name users write: <c>r1</c> when only one network has an r1, else <c>lab/r1</c>.</summary>
internal static class Names
{
    /// <exception cref="ArgumentException">No such node, or several networks have one (the message lists the candidates).</exception>
    public static (string Network, string Node) Resolve(TopologyFile topology, string name, Func<SoftwareNetwork, IEnumerable<string>> nodes, string what)
    {
        var slash = name.IndexOf('/');
        var wanted = slash < 0 ? name : name[(slash + 1)..];
        var candidates = topology.Networks
            .Where(n => slash < 0 || n.Name == name[..slash])
            .Where(n => nodes(n).Contains(wanted))
            .Select(n => n.Name)
            .ToList();
        return candidates.Count switch
        {
            1 => (candidates[0], wanted),
            0 => throw new ArgumentException($"No {what} '{name}' in {topology.SourceName} (networks: {string.Join(", ", topology.Networks.Select(n => n.Name))})."),
            _ => throw new ArgumentException($"{char.ToUpperInvariant(what[0])}{what[1..]} '{name}' is in several networks; write one of: {string.Join(", ", candidates.Select(c => $"{c}/{wanted}"))}."),
        };
    }
}
