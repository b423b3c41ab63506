using Softnet.Wire;

namespace Softnet.Cli.Bench.Isolation;

/// <summary>What <see cref="GatewayFlood"/> measured; rates in frames per second.</summary>
/// <param name="Capacity">Both networks busy: the node's capacity, the median over windows.</param>
/// <param name="Guarantee">Blue's guarantee: its tokens' share (of red's, blue's and the gateway's) of the rated capacity.</param>
/// <param name="WorstWindowPct">Blue's worst window during the flood, as a percentage of its guarantee.</param>
/// <param name="MedianWindowPct">Blue's median window during the flood, as a percentage of its guarantee.</param>
/// <param name="AloneP99Us">Blue's p99 one-way latency paced at its guarantee with red silent.</param>
/// <param name="FloodP99Us">The same during the flood.</param>
/// <param name="FloodOffered">What red's h1 offered across the gateway.</param>
/// <param name="FloodSent">What of that red's h1 handed to red's r1 (the rest found its receive ring full).</param>
/// <param name="Crossed">What of the flood reached blue's h2 through the gateway.</param>
/// <param name="WorkerCpuShare">The share of the flood's measured time the worker was on a CPU.</param>
internal sealed record GatewayFloodResult(
    double Capacity,
    double Guarantee,
    long Limit,
    double WorstWindowPct,
    double MedianWindowPct,
    double AloneP99Us,
    double FloodP99Us,
    double FloodOffered,
    double FloodSent,
    double Crossed,
    double WorkerCpuShare,
    IReadOnlyList<double> WindowPcts);

/// <summary>
/// A flood through a secure gateway on a saturated node, measured in the real hypervisor with the isolation bench's
/// loops: red and blue (10 tokens each, h1 — r1 — h2) joined by a gateway of 2 tokens that admits UDP from red to
/// blue's h2 and holds it to <see cref="LimitPps"/>, as examples/gateway.yaml does. Blue's own traffic is paced at its
/// guarantee; red's h1 floods blue's h2 through the gateway at <see cref="FloodFactor"/> times red's share, so red's r1
/// alone keeps the worker busy. Blue must keep its guarantee and its latency: the flood costs red and the gateway, and
/// takes from blue no more than the gateway lets cross.
/// </summary>
internal static class GatewayFlood
{
    public const double FloodFactor = 10;

    /// <summary>The gateway's packet limit from red to blue: examples/gateway.yaml's.</summary>
    public const long LimitPps = 10_000;

    public const int GatewayTokens = 2;

    private static readonly BenchNetwork Red = new("red", 10);
    private static readonly BenchNetwork Blue = new("blue", 10);

    public static GatewayFloodResult Run(int frameBytes, TimeSpan window, int windows, TextWriter output)
    {
        BenchNetwork[] networks = [Red, Blue];
        var topology = BenchTopology.WithGateway(Red, Blue, GatewayTokens, LimitPps);
        var settle = TimeSpan.FromSeconds(0.25);
        var warmUp = TimeSpan.FromSeconds(Math.Clamp(windows * window.TotalSeconds * 0.3, 0.3, 1.5));
        using var node = BenchNode.Start(networks, topology, new Dictionary<string, Ipv4Address> { [Red.Name] = BenchTopology.AcrossAddress },
            frameBytes, window, windows);
        output.WriteLine($"    red and blue ({Red.Tokens} tokens each, h1 - r1 - h2) joined by gateway gw ({GatewayTokens} tokens, red -> blue UDP to h2 only, " +
            $"at most {LimitPps:N0} packets/s); one worker; {node.Placement}");
        node.WarmUp([Load.Busy, Load.Busy], warmUp);
        node.WarmUp([Load.Across(1e7), Load.Paced(1e5)], warmUp);

        var busy = node.Run("gateway_capacity", "red and blue busy", [Load.Busy, Load.Busy], settle);
        var capacity = busy.MedianTotalRate / busy.CostPerFrame;
        if (!(capacity > 0)) throw new InvalidOperationException("red and blue busy delivered nothing in most windows: the capacity to share is unknown.");
        var tokens = Red.Tokens + Blue.Tokens + GatewayTokens;
        node.SetRatedCapacity(busy.MedianTotalRate * IsolationBench.RatedFraction);
        var guarantee = capacity * IsolationBench.RatedFraction * Blue.Tokens / tokens;
        var flood = FloodFactor * capacity * Red.Tokens / tokens;
        output.WriteLine($"    both busy: {capacity / 1e6:0.000} Mpps; blue's guarantee ({Blue.Tokens} of {tokens} tokens of {IsolationBench.RatedFraction:P0}): " +
            $"{guarantee / 1e6:0.000} Mpps; red floods across at {flood / 1e6:0.000} Mpps ({FloodFactor:0}x its share)");

        var alone = node.Run("gateway_alone", "blue paced at its guarantee, red silent", [Load.Idle, Load.Paced(guarantee)], settle);
        var crossedBefore = node.Networks[1].Crossed;
        var flooded = node.Run("gateway_flood", "blue paced at its guarantee, red flooding it through the gateway", [Load.Across(flood), Load.Paced(guarantee)], settle);
        // The flood ran while the scenario settled and was measured; it stopped before the node drained.
        var crossed = (node.Networks[1].Crossed - crossedBefore) / (settle + window * windows).TotalSeconds;

        var pcts = Enumerable.Range(0, flooded.WindowCount).Select(w => flooded.Networks[1].Windows[w] / window.TotalSeconds / guarantee * 100).ToList();
        var red = flooded[Red.Name];
        var result = new GatewayFloodResult(capacity, guarantee, LimitPps, pcts.Min(), ScenarioResult.Median(pcts), alone[Blue.Name].LatencyP99Us,
            flooded[Blue.Name].LatencyP99Us, flood, red.SentPerSecond, crossed, flooded.WorkerCpuShare ?? double.NaN, pcts);
        output.WriteLine($"    blue alone: p99 {result.AloneP99Us:0.0} us; during the flood: worst window {result.WorstWindowPct:0.0}% of its guarantee " +
            $"(median {result.MedianWindowPct:0.0}%), p99 {result.FloodP99Us:0.0} us; red's h1 sent {result.FloodSent / 1e6:0.000} Mpps of the flood " +
            $"({red.Overflow:N0} dropped at h1), {crossed:N0}/s crossed; worker on CPU {result.WorkerCpuShare:P0}");
        return result;
    }
}
