namespace Softnet.Urbanization;

/// <summary>How a virtual network request is embedded on the substrate. Immutable data; <see cref="VneDirector"/> applies it.</summary>
public abstract record VneAlgorithm
{
    private protected VneAlgorithm() { }

    public abstract string Name { get; }

    /// <summary>
    /// The classic baseline (Yu et al., 2008): virtual nodes by decreasing CPU, each on the unused substrate node with
    /// the most available resources (residual CPU × residual bandwidth of its links); then each virtual link, by
    /// decreasing bandwidth, on a fewest-hop path of links with enough residual bandwidth.
    /// </summary>
    public sealed record GreedyShortestPath : VneAlgorithm
    {
        public override string Name => "greedy";
    }

    /// <summary>
    /// Softnet's coordinated embedding. Substrate nodes are ranked by global resource capacity (GRC: a random walk
    /// over residual bandwidth, restarting in proportion to residual CPU, damping <paramref name="Damping"/>). The
    /// request is grown breadth-first from its most demanding node, anchored in turn on the <paramref name="Anchors"/>
    /// best-ranked feasible substrate nodes; each further virtual node goes where its links to the nodes already
    /// placed cost least (bandwidth × path length over links with room, paths preferring lightly loaded links) and its
    /// links are routed at once. A failed growth backtracks to the next anchor; of the first
    /// <paramref name="Alternatives"/> that succeed, the embedding of least substrate cost is kept.
    /// </summary>
    public sealed record Coordinated(int Anchors = 8, int Alternatives = 2, double Damping = 0.85) : VneAlgorithm
    {
        public override string Name => "softnet";
    }
}
