using System.Collections.Immutable;

namespace Softnet.Urbanization;

/// <summary>Where a datacenter sits in the hierarchy, from the big central sites down to femto sites at the edge.</summary>
public enum Tier
{
    Central,
    Regional,
    Local,
    Femto,
}

/// <summary>A site holding servers. <paramref name="CostPerServerHour"/> is what keeping one server on there costs.</summary>
public sealed record Datacenter(string Name, Tier Tier, double CostPerServerHour = 0);

/// <summary>A physical server of a given type in a datacenter.</summary>
public sealed record Server(string Name, ServerType Type, string Datacenter);

/// <summary>A physical link between two datacenters (either direction) with its capacity and one-way latency.</summary>
public sealed record PhysicalLink(string A, string B, double CapacityMbps, double LatencyMs)
{
    public bool Joins(string x, string y) => (A == x && B == y) || (A == y && B == x);
}

/// <summary>
/// The physical infrastructure: datacenters, their servers and the links between them. Latency between two
/// datacenters is the lowest-latency path over the links; within one datacenter it is zero.
/// </summary>
public sealed class Infrastructure
{
    private readonly Dictionary<string, int> _datacenterIndex;
    private readonly Dictionary<string, int> _serverIndex;
    private readonly double[,] _latency;
    private readonly int[,] _nextHop;

    public Infrastructure(IEnumerable<Datacenter> datacenters, IEnumerable<Server> servers, IEnumerable<PhysicalLink>? links = null)
    {
        Datacenters = [.. datacenters];
        Servers = [.. servers];
        Links = [.. links ?? []];
        _datacenterIndex = Index(Datacenters.Select(d => d.Name), "datacenter");
        _serverIndex = Index(Servers.Select(s => s.Name), "server");
        foreach (var server in Servers)
        {
            if (!_datacenterIndex.ContainsKey(server.Datacenter)) throw new ArgumentException($"Server '{server.Name}' is in unknown datacenter '{server.Datacenter}'.", nameof(servers));
        }
        foreach (var link in Links)
        {
            if (!_datacenterIndex.ContainsKey(link.A) || !_datacenterIndex.ContainsKey(link.B)) throw new ArgumentException($"Link {link.A}-{link.B} names an unknown datacenter.", nameof(links));
            if (link.A == link.B) throw new ArgumentException($"Link {link.A}-{link.B} joins a datacenter to itself.", nameof(links));
            if (!(link.CapacityMbps > 0) || !(link.LatencyMs >= 0)) throw new ArgumentException($"Link {link.A}-{link.B} needs a positive capacity and a non-negative latency.", nameof(links));
        }
        (_latency, _nextHop) = ShortestPaths();
    }

    public ImmutableArray<Datacenter> Datacenters { get; }
    public ImmutableArray<Server> Servers { get; }
    public ImmutableArray<PhysicalLink> Links { get; }

    /// <summary>A single central datacenter holding <paramref name="servers"/> and no links: the CloudSim setting.</summary>
    public static Infrastructure SingleSite(IEnumerable<Server> servers, string datacenter = "dc0") =>
        new([new Datacenter(datacenter, Tier.Central)], servers);

    public int IndexOfServer(string name) => _serverIndex.TryGetValue(name, out var i) ? i : throw new KeyNotFoundException($"No server named '{name}'.");
    public Datacenter DatacenterOf(Server server) => Datacenters[_datacenterIndex[server.Datacenter]];

    /// <summary>One-way latency in milliseconds between two datacenters; infinity when no path joins them.</summary>
    public double LatencyMs(string fromDatacenter, string toDatacenter) => _latency[DatacenterIndex(fromDatacenter), DatacenterIndex(toDatacenter)];

    /// <summary>The links on the lowest-latency path between two datacenters (empty within one datacenter or without a path).</summary>
    public IReadOnlyList<PhysicalLink> Path(string fromDatacenter, string toDatacenter)
    {
        var path = new List<PhysicalLink>();
        int from = DatacenterIndex(fromDatacenter), to = DatacenterIndex(toDatacenter);
        while (from != to && _nextHop[from, to] >= 0)
        {
            var hop = _nextHop[from, to];
            path.Add(Links.First(l => l.Joins(Datacenters[from].Name, Datacenters[hop].Name) && l.LatencyMs == DirectLatency(from, hop)));
            from = hop;
        }
        return path;
    }

    private int DatacenterIndex(string name) => _datacenterIndex.TryGetValue(name, out var i) ? i : throw new KeyNotFoundException($"No datacenter named '{name}'.");

    private double DirectLatency(int a, int b) =>
        Links.Where(l => l.Joins(Datacenters[a].Name, Datacenters[b].Name)).Min(l => l.LatencyMs);

    // Floyd-Warshall over datacenters; sites are few (tens), so the cubic cost is negligible.
    private (double[,], int[,]) ShortestPaths()
    {
        var n = Datacenters.Length;
        var latency = new double[n, n];
        var next = new int[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                latency[i, j] = i == j ? 0 : double.PositiveInfinity;
                next[i, j] = -1;
            }
        }
        foreach (var link in Links)
        {
            int a = _datacenterIndex[link.A], b = _datacenterIndex[link.B];
            if (link.LatencyMs < latency[a, b])
            {
                latency[a, b] = latency[b, a] = link.LatencyMs;
                next[a, b] = b;
                next[b, a] = a;
            }
        }
        for (var k = 0; k < n; k++)
        {
            for (var i = 0; i < n; i++)
            {
                for (var j = 0; j < n; j++)
                {
                    if (latency[i, k] + latency[k, j] < latency[i, j])
                    {
                        latency[i, j] = latency[i, k] + latency[k, j];
                        next[i, j] = next[i, k];
                    }
                }
            }
        }
        return (latency, next);
    }

    private static Dictionary<string, int> Index(IEnumerable<string> names, string what)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (!index.TryAdd(name, index.Count)) throw new ArgumentException($"Duplicate {what} name '{name}'.");
        }
        return index;
    }
}
