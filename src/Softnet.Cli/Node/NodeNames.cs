namespace Softnet.Cli.Node;

/// <summary>
/// Finds a thing of a software network by the name users write: <c>h1</c> when only one network has an h1, else
/// <c>lab/h1</c>. Errors list what the user could have written.
/// </summary>
public static class NodeNames
{
    private const int MaxListed = 20;

    /// <exception cref="NodeException">No such name, or several networks have it.</exception>
    public static (string Network, T Value) Resolve<T>(string text, IEnumerable<(string Network, string Name, T Value)> candidates, string what)
    {
        var all = candidates.ToList();
        var slash = text.IndexOf('/');
        var network = slash < 0 ? null : text[..slash];
        var name = slash < 0 ? text : text[(slash + 1)..];
        if (network is not null && !all.Any(c => c.Network == network))
            throw new NodeException($"There is no network '{network}' (networks: {List(all.Select(c => c.Network).Distinct())}).");
        var matches = all.Where(c => c.Name == name && (network is null || c.Network == network)).ToList();
        return matches.Count switch
        {
            1 => (matches[0].Network, matches[0].Value),
            0 => throw new NodeException(network is null
                ? $"There is no {what} '{name}' ({what}s: {List(all.Select(Qualified))})."
                : $"Network '{network}' has no {what} '{name}' ({what}s: {List(all.Where(c => c.Network == network).Select(c => c.Name))})."),
            _ => throw new NodeException($"{char.ToUpperInvariant(what[0])}{what[1..]} '{name}' is in several networks; write one of: {List(matches.Select(Qualified))}."),
        };
    }

    private static string Qualified<T>((string Network, string Name, T Value) c) => $"{c.Network}/{c.Name}";

    private static string List(IEnumerable<string> names)
    {
        var list = names.ToList();
        if (list.Count == 0) return "none";
        return list.Count <= MaxListed ? string.Join(", ", list) : string.Join(", ", list.Take(MaxListed)) + $", and {list.Count - MaxListed} more";
    }
}
