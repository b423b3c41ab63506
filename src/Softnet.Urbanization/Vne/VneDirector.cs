using System.Collections.Immutable;

namespace Softnet.Urbanization;

/// <summary>What is left of the substrate: residual CPU per node and residual bandwidth per link, by index.</summary>
public sealed record SubstrateResidual(Substrate Substrate, ImmutableArray<double> Cpu, ImmutableArray<double> Bandwidth)
{
    /// <summary>The untouched substrate.</summary>
    public static SubstrateResidual Full(Substrate substrate) =>
        new(substrate, [.. substrate.Nodes.Select(n => n.Cpu)], [.. substrate.Links.Select(l => l.Bandwidth)]);
}

/// <summary>
/// An embedding of a request: the substrate node of each virtual node and the substrate links (by index, in path
/// order) that carry each virtual link.
/// </summary>
public sealed record VneEmbedding(ImmutableArray<int> Nodes, ImmutableArray<ImmutableArray<int>> Paths)
{
    /// <summary>Substrate resources used per time unit: the CPU, plus each link's bandwidth on every hop of its path.</summary>
    public double Cost(NetworkRequest request) =>
        request.Nodes.Sum(n => n.Cpu) + request.Links.Select((l, i) => l.Bandwidth * Paths[i].Length).Sum();
}

/// <summary>Applies a <see cref="VneAlgorithm"/>: embeds one request on the residual substrate or refuses it. Pure.</summary>
public static class VneDirector
{
    /// <summary>The embedding, or null when the algorithm finds none.</summary>
    public static VneEmbedding? Embed(VneAlgorithm algorithm, SubstrateResidual residual, NetworkRequest request) => algorithm switch
    {
        VneAlgorithm.GreedyShortestPath => Greedy(residual, request),
        VneAlgorithm.Coordinated coordinated => Coordinate(coordinated, residual, request),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown embedding algorithm."),
    };

    private static VneEmbedding? Greedy(SubstrateResidual residual, NetworkRequest request)
    {
        var substrate = residual.Substrate;
        var cpu = residual.Cpu.ToArray();
        var bw = residual.Bandwidth.ToArray();
        var map = new int[request.Nodes.Length];
        var used = new bool[substrate.Nodes.Length];
        foreach (var v in Enumerable.Range(0, map.Length).OrderByDescending(v => request.Nodes[v].Cpu).ThenBy(v => v))
        {
            var best = -1;
            var bestResources = double.MinValue;
            for (var n = 0; n < cpu.Length; n++)
            {
                if (used[n] || cpu[n] < request.Nodes[v].Cpu) continue;
                var resources = cpu[n] * substrate.Adjacent(n).Sum(a => bw[a.Link]);
                if (resources > bestResources) (best, bestResources) = (n, resources);
            }
            if (best < 0) return null;
            map[v] = best;
            used[best] = true;
            cpu[best] -= request.Nodes[v].Cpu;
        }
        var paths = new ImmutableArray<int>[request.Links.Length];
        foreach (var l in Enumerable.Range(0, paths.Length).OrderByDescending(l => request.Links[l].Bandwidth).ThenBy(l => l))
        {
            var demand = request.Links[l].Bandwidth;
            var path = Paths.Cheapest(substrate, bw, map[request.Ends[l].A], demand, balanced: false).PathTo(map[request.Ends[l].B]);
            if (path is null) return null;
            foreach (var link in path) bw[link] -= demand;
            paths[l] = path.Value;
        }
        return new VneEmbedding([.. map], [.. paths]);
    }

    private static VneEmbedding? Coordinate(VneAlgorithm.Coordinated policy, SubstrateResidual residual, NetworkRequest request)
    {
        var substrate = residual.Substrate;
        var rank = GlobalResourceCapacity(substrate, residual, policy.Damping);
        var order = BreadthFirstOrder(request);
        var root = order[0];
        var rootBandwidth = LinksOf(request, root).Sum(l => request.Links[l].Bandwidth);
        var anchors = Enumerable.Range(0, substrate.Nodes.Length)
            .Where(n => residual.Cpu[n] >= request.Nodes[root].Cpu && substrate.Adjacent(n).Sum(a => residual.Bandwidth[a.Link]) >= rootBandwidth)
            .OrderByDescending(n => rank[n]).ThenBy(n => n)
            .Take(policy.Anchors);
        VneEmbedding? best = null;
        var bestCost = double.MaxValue;
        var successes = 0;
        foreach (var anchor in anchors)
        {
            var embedding = Grow(substrate, residual, request, order, anchor, rank);
            if (embedding is null) continue;
            var cost = embedding.Cost(request);
            if (cost < bestCost) (best, bestCost) = (embedding, cost);
            if (++successes == policy.Alternatives || cost <= request.Revenue) break; // all links on one hop: nothing better
        }
        return best;
    }

    private static VneEmbedding? Grow(Substrate substrate, SubstrateResidual residual, NetworkRequest request, int[] order, int anchor, double[] rank)
    {
        var cpu = residual.Cpu.ToArray();
        var bw = residual.Bandwidth.ToArray();
        var map = Enumerable.Repeat(-1, request.Nodes.Length).ToArray();
        var used = new bool[cpu.Length];
        var paths = new ImmutableArray<int>[request.Links.Length];
        foreach (var v in order)
        {
            var placedLinks = LinksOf(request, v).Where(l => map[Other(request, l, v)] >= 0).OrderByDescending(l => request.Links[l].Bandwidth).ThenBy(l => l).ToList();
            int target;
            List<Paths>? trees = null;
            if (v == order[0])
            {
                target = anchor;
            }
            else
            {
                trees = placedLinks.Select(l => Paths.Cheapest(substrate, bw, map[Other(request, l, v)], request.Links[l].Bandwidth, balanced: true)).ToList();
                target = -1;
                var bestScore = double.MaxValue;
                for (var n = 0; n < cpu.Length; n++)
                {
                    if (used[n] || cpu[n] < request.Nodes[v].Cpu) continue;
                    var score = 0.0;
                    for (var i = 0; i < placedLinks.Count && score < double.MaxValue; i++)
                    {
                        var distance = trees[i].Distance(n);
                        score = double.IsPositiveInfinity(distance) ? double.MaxValue : score + request.Links[placedLinks[i]].Bandwidth * distance;
                    }
                    if (score < bestScore || (score == bestScore && target >= 0 && rank[n] > rank[target])) (target, bestScore) = (n, score);
                }
                if (target < 0 || bestScore == double.MaxValue) return null;
            }
            map[v] = target;
            used[target] = true;
            cpu[target] -= request.Nodes[v].Cpu;
            // Route each link to the placed neighbours now: the first on the tree it was scored with, the others on
            // what the earlier ones left.
            for (var i = 0; i < placedLinks.Count; i++)
            {
                var l = placedLinks[i];
                var demand = request.Links[l].Bandwidth;
                var tree = i == 0 && trees is not null ? trees[0] : Paths.Cheapest(substrate, bw, map[Other(request, l, v)], demand, balanced: true);
                var path = tree.PathTo(target);
                if (path is null) return null;
                foreach (var link in path) bw[link] -= demand;
                paths[l] = path.Value;
            }
        }
        return new VneEmbedding([.. map], [.. paths]);
    }

    /// <summary>
    /// GRC (Gong et al., 2014): r = (1 − d)·c + d·M·r, with c each node's share of residual CPU and M the residual
    /// bandwidth of each link as a share of the bandwidth at its far end; iterated to a fixed point.
    /// </summary>
    public static double[] GlobalResourceCapacity(Substrate substrate, SubstrateResidual residual, double damping)
    {
        var n = substrate.Nodes.Length;
        var totalCpu = residual.Cpu.Sum();
        var c = residual.Cpu.Select(x => totalCpu > 0 ? x / totalCpu : 1.0 / n).ToArray();
        var strength = Enumerable.Range(0, n).Select(i => substrate.Adjacent(i).Sum(a => residual.Bandwidth[a.Link])).ToArray();
        var rank = (double[])c.Clone();
        var next = new double[n];
        for (var iteration = 0; iteration < 100; iteration++)
        {
            for (var i = 0; i < n; i++)
            {
                var walk = 0.0;
                foreach (var (j, link) in substrate.Adjacent(i))
                {
                    if (strength[j] > 0) walk += residual.Bandwidth[link] / strength[j] * rank[j];
                }
                next[i] = (1 - damping) * c[i] + damping * walk;
            }
            var change = 0.0;
            for (var i = 0; i < n; i++) change += Math.Abs(next[i] - rank[i]);
            (rank, next) = (next, rank);
            if (change < 1e-6) break;
        }
        return rank;
    }

    // Breadth-first from the most demanding node (CPU plus the bandwidth of its links), neighbours most demanding first.
    private static int[] BreadthFirstOrder(NetworkRequest request)
    {
        var n = request.Nodes.Length;
        var demand = Enumerable.Range(0, n).Select(v => request.Nodes[v].Cpu + LinksOf(request, v).Sum(l => request.Links[l].Bandwidth)).ToArray();
        var order = new List<int>(n);
        var seen = new bool[n];
        while (order.Count < n)
        {
            var start = Enumerable.Range(0, n).Where(v => !seen[v]).MaxBy(v => demand[v]);
            seen[start] = true;
            order.Add(start);
            for (var i = order.Count - 1; i < order.Count; i++)
            {
                foreach (var next in LinksOf(request, order[i]).Select(l => Other(request, l, order[i])).Where(u => !seen[u]).Distinct().OrderByDescending(u => demand[u]).ThenBy(u => u))
                {
                    seen[next] = true;
                    order.Add(next);
                }
            }
        }
        return [.. order];
    }

    private static IEnumerable<int> LinksOf(NetworkRequest request, int node) =>
        Enumerable.Range(0, request.Links.Length).Where(l => request.Ends[l].A == node || request.Ends[l].B == node);

    private static int Other(NetworkRequest request, int link, int node) => request.Ends[link].A == node ? request.Ends[link].B : request.Ends[link].A;
}
