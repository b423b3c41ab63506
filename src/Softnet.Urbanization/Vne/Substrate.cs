using System.Collections.Immutable;

namespace Softnet.Urbanization;

/// <summary>A node of the substrate (physical) network: its CPU capacity and its position on the plane.</summary>
public sealed record SubstrateNode(string Name, double Cpu, double X = 0, double Y = 0);

/// <summary>An undirected substrate link between two nodes (by name) and its bandwidth.</summary>
public sealed record SubstrateLink(string A, string B, double Bandwidth);

/// <summary>
/// The substrate network that virtual networks are embedded on: nodes with CPU, undirected links with bandwidth.
/// Nodes and links are also addressed by index (their position in <see cref="Nodes"/> and <see cref="Links"/>).
/// </summary>
public sealed class Substrate
{
    private readonly ImmutableArray<ImmutableArray<(int Neighbor, int Link)>> _adjacency;

    public Substrate(IEnumerable<SubstrateNode> nodes, IEnumerable<SubstrateLink> links)
    {
        Nodes = [.. nodes];
        Links = [.. links];
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var node in Nodes)
        {
            if (!index.TryAdd(node.Name, index.Count)) throw new ArgumentException($"Duplicate substrate node '{node.Name}'.", nameof(nodes));
            if (!(node.Cpu >= 0)) throw new ArgumentException($"Substrate node '{node.Name}' has a negative CPU capacity.", nameof(nodes));
        }
        var adjacency = Nodes.Select(_ => new List<(int, int)>()).ToArray();
        var ends = ImmutableArray.CreateBuilder<(int A, int B)>(Links.Length);
        var seen = new HashSet<(int, int)>();
        for (var l = 0; l < Links.Length; l++)
        {
            var link = Links[l];
            if (!index.TryGetValue(link.A, out var a) || !index.TryGetValue(link.B, out var b)) throw new ArgumentException($"Substrate link {link.A}-{link.B} names an unknown node.", nameof(links));
            if (a == b) throw new ArgumentException($"Substrate link {link.A}-{link.B} is a loop.", nameof(links));
            if (!seen.Add((Math.Min(a, b), Math.Max(a, b)))) throw new ArgumentException($"Substrate link {link.A}-{link.B} is given twice.", nameof(links));
            if (!(link.Bandwidth >= 0)) throw new ArgumentException($"Substrate link {link.A}-{link.B} has a negative bandwidth.", nameof(links));
            adjacency[a].Add((b, l));
            adjacency[b].Add((a, l));
            ends.Add((a, b));
        }
        _adjacency = [.. adjacency.Select(list => list.ToImmutableArray())];
        Ends = ends.MoveToImmutable();
    }

    public ImmutableArray<SubstrateNode> Nodes { get; }
    public ImmutableArray<SubstrateLink> Links { get; }

    /// <summary>The node indices at the ends of each link.</summary>
    public ImmutableArray<(int A, int B)> Ends { get; }

    /// <summary>The neighbours of node <paramref name="node"/> with the link to each.</summary>
    public ImmutableArray<(int Neighbor, int Link)> Adjacent(int node) => _adjacency[node];
}

/// <summary>A virtual node of a request and the CPU it needs.</summary>
public sealed record RequestNode(string Name, double Cpu);

/// <summary>A virtual link of a request and the bandwidth it needs on every substrate link of its path.</summary>
public sealed record RequestLink(string A, string B, double Bandwidth);

/// <summary>
/// A virtual network request of online embedding: it arrives at <paramref name="Arrival"/>, must be embedded then or
/// is refused, and if embedded holds its resources for <paramref name="Lifetime"/> time units.
/// </summary>
public sealed record NetworkRequest
{
    public NetworkRequest(string name, double arrival, double lifetime, IEnumerable<RequestNode> nodes, IEnumerable<RequestLink> links)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfNegative(arrival);
        ArgumentOutOfRangeException.ThrowIfNegative(lifetime);
        Name = name;
        Arrival = arrival;
        Lifetime = lifetime;
        Nodes = [.. nodes];
        Links = [.. links];
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var node in Nodes)
        {
            if (!index.TryAdd(node.Name, index.Count)) throw new ArgumentException($"Request '{name}' has two nodes named '{node.Name}'.", nameof(nodes));
            if (!(node.Cpu >= 0)) throw new ArgumentException($"Request '{name}': node '{node.Name}' needs a negative CPU.", nameof(nodes));
        }
        var ends = ImmutableArray.CreateBuilder<(int A, int B)>(Links.Length);
        foreach (var link in Links)
        {
            if (!index.TryGetValue(link.A, out var a) || !index.TryGetValue(link.B, out var b) || a == b) throw new ArgumentException($"Request '{name}': link {link.A}-{link.B} must join two of its nodes.", nameof(links));
            if (!(link.Bandwidth >= 0)) throw new ArgumentException($"Request '{name}': link {link.A}-{link.B} needs a negative bandwidth.", nameof(links));
            ends.Add((a, b));
        }
        Ends = ends.MoveToImmutable();
    }

    public string Name { get; }
    public double Arrival { get; }
    public double Lifetime { get; }
    public ImmutableArray<RequestNode> Nodes { get; }
    public ImmutableArray<RequestLink> Links { get; }

    /// <summary>The node indices at the ends of each link.</summary>
    public ImmutableArray<(int A, int B)> Ends { get; }

    /// <summary>Revenue per time unit: the CPU and bandwidth asked for.</summary>
    public double Revenue => Nodes.Sum(n => n.Cpu) + Links.Sum(l => l.Bandwidth);

    public bool Equals(NetworkRequest? other) =>
        other is not null && Name == other.Name && Arrival == other.Arrival && Lifetime == other.Lifetime && Nodes.SequenceEqual(other.Nodes) && Links.SequenceEqual(other.Links);

    public override int GetHashCode() => HashCode.Combine(Name, Arrival, Nodes.Length, Links.Length);
}
