namespace Softnet.Urbanization;

/// <summary>
/// Outcome of an online embedding run. Revenue and cost are weighted by each accepted request's lifetime: revenue
/// is the CPU and bandwidth asked for, cost the substrate CPU and bandwidth used (a link's bandwidth on every hop).
/// </summary>
public sealed record VneResult(string Algorithm, int Requests, int Accepted, double Revenue, double Cost)
{
    public double AcceptanceRatio => Requests == 0 ? 0 : (double)Accepted / Requests;
    public double RevenueToCost => Cost == 0 ? 0 : Revenue / Cost;
}

/// <summary>
/// Online admission: requests arrive in order; each is embedded on what the substrate has left at its arrival (after
/// the departures up to that time) or refused for good; an accepted request releases its resources at the end of its
/// lifetime.
/// </summary>
public static class VneSimulator
{
    public static VneResult Run(VneScenario scenario, VneAlgorithm algorithm, Action<int, int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(algorithm);
        var substrate = scenario.Substrate;
        var cpu = substrate.Nodes.Select(n => n.Cpu).ToArray();
        var bw = substrate.Links.Select(l => l.Bandwidth).ToArray();
        var departures = new PriorityQueue<(NetworkRequest Request, VneEmbedding Embedding), double>();
        int accepted = 0, handled = 0;
        double revenue = 0, cost = 0;
        foreach (var request in scenario.Requests)
        {
            cancellationToken.ThrowIfCancellationRequested();
            while (departures.TryPeek(out var leaving, out var end) && end <= request.Arrival)
            {
                departures.Dequeue();
                Apply(leaving.Request, leaving.Embedding, cpu, bw, +1);
            }
            var embedding = VneDirector.Embed(algorithm, new SubstrateResidual(substrate, [.. cpu], [.. bw]), request);
            if (embedding is not null)
            {
                Apply(request, embedding, cpu, bw, -1);
                departures.Enqueue((request, embedding), request.Arrival + request.Lifetime);
                accepted++;
                revenue += request.Revenue * request.Lifetime;
                cost += embedding.Cost(request) * request.Lifetime;
            }
            progress?.Invoke(++handled, scenario.Requests.Length);
        }
        return new VneResult(algorithm.Name, scenario.Requests.Length, accepted, revenue, cost);
    }

    /// <summary>Reserves (sign -1) or releases (+1) an embedding's resources; an embedding that over-commits the substrate is refused loudly.</summary>
    private static void Apply(NetworkRequest request, VneEmbedding embedding, double[] cpu, double[] bw, int sign)
    {
        const double Tolerance = 1e-9;
        for (var v = 0; v < request.Nodes.Length; v++)
        {
            var node = embedding.Nodes[v];
            cpu[node] += sign * request.Nodes[v].Cpu;
            if (cpu[node] < -Tolerance) throw new InvalidOperationException($"The embedding of request {request.Name} over-commits the CPU of substrate node {node} ({cpu[node]:F3} left).");
        }
        for (var l = 0; l < request.Links.Length; l++)
        {
            foreach (var link in embedding.Paths[l])
            {
                bw[link] += sign * request.Links[l].Bandwidth;
                if (bw[link] < -Tolerance) throw new InvalidOperationException($"The embedding of request {request.Name} over-commits the bandwidth of substrate link {link} ({bw[link]:F3} left).");
            }
        }
    }
}
