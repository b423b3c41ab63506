using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Softnet.Urbanization;

/// <summary>
/// How a random embedding scenario is drawn: a Waxman substrate (nodes uniform on a square of side
/// <paramref name="Side"/>, a link between two nodes with probability α·exp(−d / (β·L)), L the diagonal, then joined
/// into one component), node CPU and link bandwidth uniform in [<paramref name="MinCapacity"/>,
/// <paramref name="MaxCapacity"/>]; requests arriving as a Poisson process of <paramref name="ArrivalsPer100"/> per 100
/// time units until <paramref name="Horizon"/>, with exponential lifetimes, a uniform number of nodes, each pair linked
/// with probability <paramref name="LinkProbability"/> (then joined into one component), CPU uniform in
/// [0, <paramref name="MaxCpu"/>] and bandwidth uniform in [0, <paramref name="MaxBandwidth"/>].
/// </summary>
public sealed record VneWorkload(
    int SubstrateNodes = 100,
    double WaxmanAlpha = 0.5,
    double WaxmanBeta = 0.2,
    double Side = 100,
    double MinCapacity = 50,
    double MaxCapacity = 100,
    double ArrivalsPer100 = 4.5,
    double MeanLifetime = 1000,
    int MinRequestNodes = 2,
    int MaxRequestNodes = 10,
    double LinkProbability = 0.5,
    double MaxCpu = 20,
    double MaxBandwidth = 50,
    double Horizon = 50_000)
{
    /// <summary>The normal load of the benchmark.</summary>
    public static VneWorkload Normal { get; } = new();

    /// <summary>The stressed load: 8 requests per 100 time units.</summary>
    public static VneWorkload Stress { get; } = new(ArrivalsPer100: 8);
}

/// <summary>An online embedding scenario: a substrate and the requests in arrival order.</summary>
public sealed record VneScenario(Substrate Substrate, ImmutableArray<NetworkRequest> Requests)
{
    /// <summary>Draws a scenario; the same workload and seed always give the same scenario.</summary>
    public static VneScenario Generate(VneWorkload workload, int seed)
    {
        ArgumentNullException.ThrowIfNull(workload);
        var random = new Random(seed);
        return new VneScenario(GenerateSubstrate(workload, random), [.. GenerateRequests(workload, random)]);
    }

    private static Substrate GenerateSubstrate(VneWorkload w, Random random)
    {
        var n = w.SubstrateNodes;
        var nodes = Enumerable.Range(0, n)
            .Select(i => new SubstrateNode($"s{i}", Uniform(random, w.MinCapacity, w.MaxCapacity), random.NextDouble() * w.Side, random.NextDouble() * w.Side))
            .ToList();
        var pairs = new List<(int A, int B)>();
        var diagonal = w.Side * Math.Sqrt(2);
        for (var a = 0; a < n; a++)
        {
            for (var b = a + 1; b < n; b++)
            {
                var d = Math.Sqrt(Math.Pow(nodes[a].X - nodes[b].X, 2) + Math.Pow(nodes[a].Y - nodes[b].Y, 2));
                if (random.NextDouble() < w.WaxmanAlpha * Math.Exp(-d / (w.WaxmanBeta * diagonal))) pairs.Add((a, b));
            }
        }
        // Join the components: each one after the first links its node nearest to the growing component.
        foreach (var (a, b) in Bridges(n, pairs, (a, b) => Math.Pow(nodes[a].X - nodes[b].X, 2) + Math.Pow(nodes[a].Y - nodes[b].Y, 2))) pairs.Add((a, b));
        var links = pairs.Select(p => new SubstrateLink(nodes[p.A].Name, nodes[p.B].Name, Uniform(random, w.MinCapacity, w.MaxCapacity)));
        return new Substrate(nodes, links);
    }

    private static IEnumerable<NetworkRequest> GenerateRequests(VneWorkload w, Random random)
    {
        var rate = w.ArrivalsPer100 / 100;
        var time = 0.0;
        for (var i = 0; ; i++)
        {
            time += -Math.Log(1 - random.NextDouble()) / rate;
            if (time >= w.Horizon) yield break;
            var lifetime = -Math.Log(1 - random.NextDouble()) * w.MeanLifetime;
            var size = random.Next(w.MinRequestNodes, w.MaxRequestNodes + 1);
            var nodes = Enumerable.Range(0, size).Select(v => new RequestNode($"v{v}", random.NextDouble() * w.MaxCpu)).ToList();
            var pairs = new List<(int A, int B)>();
            for (var a = 0; a < size; a++)
            {
                for (var b = a + 1; b < size; b++)
                {
                    if (random.NextDouble() < w.LinkProbability) pairs.Add((a, b));
                }
            }
            pairs.AddRange(Bridges(size, pairs, (a, b) => random.NextDouble()));
            var links = pairs.Select(p => new RequestLink(nodes[p.A].Name, nodes[p.B].Name, random.NextDouble() * w.MaxBandwidth));
            yield return new NetworkRequest($"r{i}", time, lifetime, nodes, links);
        }
    }

    // The extra edges that make a graph of `n` nodes connected: each further component is joined to the union of the
    // earlier ones by the pair of least `distance`.
    private static List<(int, int)> Bridges(int n, List<(int A, int B)> edges, Func<int, int, double> distance)
    {
        var component = new int[n];
        Array.Fill(component, -1);
        var adjacency = Enumerable.Range(0, n).Select(_ => new List<int>()).ToArray();
        foreach (var (a, b) in edges)
        {
            adjacency[a].Add(b);
            adjacency[b].Add(a);
        }
        var components = new List<List<int>>();
        for (var start = 0; start < n; start++)
        {
            if (component[start] >= 0) continue;
            var members = new List<int> { start };
            component[start] = components.Count;
            for (var i = 0; i < members.Count; i++)
            {
                foreach (var next in adjacency[members[i]])
                {
                    if (component[next] >= 0) continue;
                    component[next] = components.Count;
                    members.Add(next);
                }
            }
            components.Add(members);
        }
        var bridges = new List<(int, int)>();
        var joined = new List<int>(components[0]);
        foreach (var members in components.Skip(1))
        {
            var best = (A: -1, B: -1, D: double.MaxValue);
            foreach (var a in joined)
            {
                foreach (var b in members)
                {
                    var d = distance(a, b);
                    if (d < best.D) best = (Math.Min(a, b), Math.Max(a, b), d);
                }
            }
            bridges.Add((best.A, best.B));
            joined.AddRange(members);
        }
        return bridges;
    }

    private static double Uniform(Random random, double min, double max) => min + random.NextDouble() * (max - min);

    /// <summary>Reads a scenario in the JSON format of docs/urbanization-scenarios.md.</summary>
    public static VneScenario Load(string path)
    {
        var file = JsonSerializer.Deserialize<ScenarioFile>(File.ReadAllText(path), JsonOptions)
            ?? throw new FormatException($"{path}: empty scenario file.");
        if (file.Substrate is null || file.Requests is null) throw new FormatException($"{path}: a scenario needs \"substrate\" and \"requests\".");
        var substrate = new Substrate(
            (file.Substrate.Nodes ?? []).Select(n => new SubstrateNode(n.Name ?? throw new FormatException($"{path}: a substrate node has no name."), n.Cpu, n.X, n.Y)),
            (file.Substrate.Links ?? []).Select(l => new SubstrateLink(l.A ?? "", l.B ?? "", l.Bandwidth)));
        var requests = file.Requests.Select(r => new NetworkRequest(
            r.Name ?? throw new FormatException($"{path}: a request has no name."),
            r.Arrival,
            r.Lifetime,
            (r.Nodes ?? []).Select(n => new RequestNode(n.Name ?? throw new FormatException($"{path}: request '{r.Name}' has a node without a name."), n.Cpu)),
            (r.Links ?? []).Select(l => new RequestLink(l.A ?? "", l.B ?? "", l.Bandwidth))));
        return new VneScenario(substrate, [.. requests.OrderBy(r => r.Arrival)]);
    }

    /// <summary>Writes the scenario in the JSON format that <see cref="Load"/> reads.</summary>
    public void Save(string path)
    {
        var file = new ScenarioFile(
            new SubstrateFile(
                [.. Substrate.Nodes.Select(n => new NodeFile(n.Name, n.Cpu, n.X, n.Y))],
                [.. Substrate.Links.Select(l => new LinkFile(l.A, l.B, l.Bandwidth))]),
            [.. Requests.Select(r => new RequestFile(
                r.Name, r.Arrival, r.Lifetime,
                [.. r.Nodes.Select(n => new NodeFile(n.Name, n.Cpu, 0, 0))],
                [.. r.Links.Select(l => new LinkFile(l.A, l.B, l.Bandwidth))]))]);
        File.WriteAllText(path, JsonSerializer.Serialize(file, JsonOptions));
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault,
        WriteIndented = false,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private sealed record ScenarioFile(SubstrateFile? Substrate, List<RequestFile>? Requests);
    private sealed record SubstrateFile(List<NodeFile>? Nodes, List<LinkFile>? Links);
    private sealed record NodeFile(string? Name, double Cpu, double X, double Y);
    private sealed record LinkFile(string? A, string? B, double Bandwidth);
    private sealed record RequestFile(string? Name, double Arrival, double Lifetime, List<NodeFile>? Nodes, List<LinkFile>? Links);
}
