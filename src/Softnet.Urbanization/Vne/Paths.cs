using System.Collections.Immutable;

namespace Softnet.Urbanization;

/// <summary>
/// Shortest paths from one substrate node over the links with at least a given residual bandwidth. Each hop costs 1,
/// or when balanced 1 + demand / residual (in [1, 2]), which among paths of equal length prefers lightly loaded links.
/// </summary>
internal sealed class Paths
{
    private readonly double[] _distance;
    private readonly int[] _via;
    private readonly Substrate _substrate;
    private readonly int _source;

    private Paths(Substrate substrate, int source, double[] distance, int[] via) =>
        (_substrate, _source, _distance, _via) = (substrate, source, distance, via);

    public static Paths Cheapest(Substrate substrate, double[] bandwidth, int source, double demand, bool balanced)
    {
        var n = substrate.Nodes.Length;
        var distance = new double[n];
        Array.Fill(distance, double.PositiveInfinity);
        var via = new int[n];
        Array.Fill(via, -1);
        distance[source] = 0;
        var queue = new PriorityQueue<int, (double, int)>();
        queue.Enqueue(source, (0, source));
        while (queue.TryDequeue(out var node, out var key))
        {
            if (key.Item1 > distance[node]) continue;
            foreach (var (next, link) in substrate.Adjacent(node))
            {
                var residual = bandwidth[link];
                if (residual < demand) continue;
                var step = balanced ? 1 + (residual > 0 ? demand / residual : 0) : 1;
                var d = distance[node] + step;
                if (d < distance[next])
                {
                    distance[next] = d;
                    via[next] = link;
                    queue.Enqueue(next, (d, next));
                }
            }
        }
        return new Paths(substrate, source, distance, via);
    }

    /// <summary>The cost of the cheapest path to <paramref name="node"/>; infinity when none has the bandwidth.</summary>
    public double Distance(int node) => _distance[node];

    /// <summary>The links of the cheapest path to <paramref name="target"/>, from the source; null when none.</summary>
    public ImmutableArray<int>? PathTo(int target)
    {
        if (double.IsPositiveInfinity(_distance[target])) return null;
        var links = new List<int>();
        for (var node = target; node != _source;)
        {
            var link = _via[node];
            links.Add(link);
            var (a, b) = _substrate.Ends[link];
            node = a == node ? b : a;
        }
        links.Reverse();
        return [.. links];
    }
}
