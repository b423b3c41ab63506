using System.Text.Json;
using Softnet.Hypervisor.Runtime;
using Softnet.Hypervisor.Topology;

namespace Softnet.Cli.Node;

/// <summary>
/// What the hypervisor keeps in <c>state.json</c> for the other commands, from before it creates anything until it has
/// removed everything: who it is, which file it runs, and the namespace of every host, so that <c>exec</c> works without
/// asking it and <c>down</c> knows what to remove after it died.
/// </summary>
public sealed record NodeState(int Pid, string TopologyFile, DateTimeOffset Started, IReadOnlyList<NetworkState> Networks)
{
    /// <summary>Every host of every network, as (network, host) pairs for <see cref="NodeNames.Resolve"/>.</summary>
    public IEnumerable<(string Network, string Name, HostState Value)> Hosts =>
        Networks.SelectMany(n => n.Hosts.Select(h => (n.Name, h.Name, h)));

    /// <summary>
    /// The namespace every host of the file would have if real (<see cref="HostNames.Namespace"/>): the names
    /// <c>down</c> removes, also for a hypervisor that died before it made them all.
    /// </summary>
    public IEnumerable<string> KernelNamespaces => Networks.SelectMany(n => n.Hosts.Select(h => HostNames.Namespace(n.Name, h.Name)));

    /// <summary>Resolves <c>h1</c> or <c>lab/h1</c>.</summary>
    /// <exception cref="NodeException">No such host, or several networks have one.</exception>
    public (string Network, HostState Host) ResolveHost(string name) => NodeNames.Resolve(name, Hosts, "host");

    /// <summary>
    /// The state of a hypervisor about to start <paramref name="topology"/>: every host, with the namespace it gets unless
    /// its port is in memory. Written before the hypervisor creates anything, so that a crash mid-start leaves a record.
    /// </summary>
    public static NodeState Planned(int pid, string topologyFile, DateTimeOffset started, TopologyFile topology) =>
        new(pid, topologyFile, started, [.. topology.Networks.Select(n => new NetworkState(n.Name, [.. n.Hosts.Select(h =>
            new HostState(h.Name, n.PortKindOf(new Endpoint(h.Name, HostSpec.InterfaceName)) == PhysicalPortKind.Memory ? null : HostNames.Namespace(n.Name, h.Name),
                [.. h.Addresses.Select(a => a.ToString())], [.. h.Gateways.Select(g => g.ToString())]))]))]);

    /// <summary>The state of a hypervisor that runs <paramref name="topology"/>: hosts and namespaces as it reports them, gateways from the file.</summary>
    public static NodeState Of(int pid, string topologyFile, DateTimeOffset started, TopologyFile topology, HypervisorSnapshot snapshot) =>
        new(pid, topologyFile, started, [.. snapshot.Networks.Select(n => new NetworkState(n.Name, [.. n.Hosts.Select(h =>
            new HostState(h.Name, h.Namespace, h.Addresses,
                [.. topology[n.Name].Hosts.Single(spec => spec.Name == h.Name).Gateways.Select(g => g.ToString())]))]))]);

    /// <summary>
    /// This state with the networks and hosts of <paramref name="planned"/> it does not have yet: what a live change is
    /// about to make, so that <c>down</c> after a crash in the middle of it still finds every namespace.
    /// </summary>
    public NodeState Including(NodeState planned) => this with
    {
        Networks = [.. Networks.Select(n => planned.Networks.FirstOrDefault(p => p.Name == n.Name) is { } p
            ? n with { Hosts = [.. n.Hosts, .. p.Hosts.Where(h => n.Hosts.All(o => o.Name != h.Name || o.Namespace != h.Namespace))] }
            : n),
            .. planned.Networks.Where(p => Networks.All(n => n.Name != p.Name))],
    };

    public void Save(string path)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, NodeJson.Options));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The state at <paramref name="path"/>, or null when there is none.</summary>
    /// <exception cref="NodeException">The file exists but is not a state file.</exception>
    public static NodeState? Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<NodeState>(text, NodeJson.Options) ?? throw new JsonException("the file holds null");
        }
        catch (JsonException e)
        {
            throw new NodeException($"{path} is not a softnet state file ({e.Message}); remove it, or run `softnet down`.", inner: e);
        }
    }
}

/// <summary>One network of a running node and its hosts.</summary>
public sealed record NetworkState(string Name, IReadOnlyList<HostState> Hosts);

/// <summary>A host: its namespace (null for an in-memory host), its addresses (<c>10.0.1.10/24</c>) and gateways.</summary>
public sealed record HostState(string Name, string? Namespace, IReadOnlyList<string> Addresses, IReadOnlyList<string> Gateways);
