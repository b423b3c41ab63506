using Softnet.Cli.Bench.Urbanization;
using Softnet.Hypervisor.Scheduling;

namespace Softnet.Cli.Bench.Isolation;

/// <summary>
/// <c>softnet bench isolation</c>: SPEC 4's promise measured in the real hypervisor. Three software networks with
/// base tokens 10, 5 and 1 (each h1 — r1 — h2 on in-memory ports, r1 a real router) share one worker thread, the
/// node's capacity; the generator and the sinks run on another core. Scenarios: all busy (fairness), one idle
/// (work conservation), network 3 alone and then under a flood of network 1 at 10x its share (guarantees and
/// latency), and a fourth network with relative, accentuated or no priority beside three busy ones.
/// </summary>
public static class IsolationBench
{
    public const double DefaultSeconds = 5;
    public const int DefaultFrameBytes = 60;

    /// <summary>How much more than its share the flooding network offers.</summary>
    public const double FloodFactor = 10;

    /// <summary>
    /// The node's rated capacity, of which a network's guarantee is its tokens' share, as a fraction of the capacity
    /// measured with every network busy: the headroom an operator keeps, as HTB's rates sum below the link's. This
    /// machine's speed varies by 5-10 % between 100 ms windows. The bench rates its node so (Hypervisor.SetRatedCapacity).
    /// </summary>
    public const double RatedFraction = 0.9;

    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(100);

    private static readonly BenchNetwork[] Shared = [new("net1", 10), new("net2", 5), new("net3", 1)];

    private static readonly (string Key, string Summary)[] Scenarios =
    [
        ("all_busy", "every network always backlogged"),
        ("flood", $"net1 floods at {FloodFactor:0}x its share, net2 and net3 paced at their guarantee ({RatedFraction:P0} of their share)"),
        ("victim_alone", "net3 alone, paced at its guarantee"),
        ("one_idle", "net1 idle, net2 and net3 always backlogged"),
        ("priority_relative", "net1..net3 busy; voice (1 token, priority relative) paced at half its guarantee"),
        ("priority_accentuated", "net1..net3 busy; voice (1 token, priority accentuated) paced at half its guarantee"),
        ("priority_none", "net1..net3 busy; voice (1 token, no priority) paced at half its guarantee"),
    ];

    /// <summary>
    /// Runs every scenario for <paramref name="seconds"/> measured seconds each, printing progress and a table to
    /// <paramref name="output"/>; writes the JSON results to <paramref name="jsonPath"/> when given.
    /// </summary>
    /// <returns>0 when every scenario ran, 1 when one failed (no traffic crossed a network), 2 for bad options.</returns>
    public static int Run(string? jsonPath, double seconds, int frameBytes, TextWriter output)
    {
        var windows = (int)Math.Floor(seconds / Window.TotalSeconds + 1e-9);
        if (windows < 1 || seconds > 600)
        {
            output.WriteLine($"bench isolation: --seconds must lie between {Window.TotalSeconds} (one window) and 600, not {seconds}.");
            return 2;
        }
        if (frameBytes is < NetworkTraffic.MinFrameBytes or > BenchNode.MaxFrameBytes)
        {
            output.WriteLine($"bench isolation: --frame-bytes must lie between {NetworkTraffic.MinFrameBytes} and {BenchNode.MaxFrameBytes}, not {frameBytes}.");
            return 2;
        }
        try
        {
            var results = Measure(frameBytes, windows, output);
            var figures = IsolationFigures.From(results, Shared);
            output.WriteLine();
            BenchReport.WriteTable(figures.Headline, output);
            if (jsonPath is not null)
            {
                IsolationReport.WriteJson(jsonPath, figures, results, seconds);
                output.WriteLine($"Results written to {Path.GetFullPath(jsonPath)}.");
            }
            return 0;
        }
        catch (InvalidOperationException e)
        {
            output.WriteLine($"bench isolation FAILED: {e.Message}");
            return 1;
        }
    }

    private static List<ScenarioResult> Measure(int frameBytes, int windows, TextWriter output)
    {
        var settle = TimeSpan.FromSeconds(0.25);
        var warmUp = TimeSpan.FromSeconds(Math.Clamp(windows * Window.TotalSeconds * 0.3, 0.3, 1.5));
        var results = new List<ScenarioResult>();
        output.WriteLine($"bench isolation: {Scenarios.Length} scenarios of {windows * Window.TotalSeconds:0.0#} s measured in {Window.TotalMilliseconds:0} ms windows " +
            $"after {settle.TotalSeconds:0.##} s to settle; networks {string.Join(", ", Shared.Select(n => $"{n.Name} ({n.Tokens} tokens)"))}, each h1 - r1 - h2.");
        double capacity;
        using (var node = BenchNode.Start(Shared, frameBytes, Window, windows))
        {
            output.WriteLine($"    one worker thread is the capacity; {node.Placement}.");
            output.WriteLine($"    frames of {frameBytes} bytes: the scheduler charges {node.CostPerFrame} byte-equivalents each ({frameBytes} + {BenchNode.Policy.PerPacketCost} per packet).");
            output.WriteLine($"    warm-up: every network busy for {warmUp.TotalSeconds:0.0#} s, then a flood beside paced networks as long (so the JIT has compiled both ways of offering frames)");
            node.WarmUp([Load.Busy, Load.Busy, Load.Busy], warmUp);
            node.WarmUp([Load.Flood(1e8), Load.Paced(1e6), Load.Paced(1e5)], warmUp);

            var allBusy = Step(results, node, [Load.Busy, Load.Busy, Load.Busy], settle, output);
            capacity = allBusy.MedianTotalRate;
            if (!(capacity > 0))
                throw new InvalidOperationException($"all_busy delivered nothing in most windows (the worker was on a CPU {allBusy.WorkerCpuShare:P0} of the time): the capacity to share is unknown.");
            // The flood right after: the guarantees rest on the capacity just measured, and a virtual machine's speed drifts.
            // The node is rated as an operator would rate it once measured: guarantees are shares of the rated capacity.
            node.SetRatedCapacity(capacity * RatedFraction);
            var share = Shared.Select(n => capacity * n.Tokens / Shared.Sum(s => s.Tokens) / node.CostPerFrame).ToArray();
            var guarantee = share.Select(s => s * RatedFraction).ToArray();
            Step(results, node, [Load.Flood(FloodFactor * share[0]), Load.Paced(guarantee[1]), Load.Paced(guarantee[2])], settle, output);
            Step(results, node, [Load.Idle, Load.Idle, Load.Paced(guarantee[2])], settle, output);
            Step(results, node, [Load.Idle, Load.Busy, Load.Busy], settle, output);
        }
        foreach (var priority in new[] { PriorityKind.Relative, PriorityKind.Accentuated, PriorityKind.None })
        {
            BenchNetwork[] networks = [.. Shared, new("voice", 1, priority)];
            using var node = BenchNode.Start(networks, frameBytes, Window, windows);
            node.SetRatedCapacity(capacity * RatedFraction);
            var voice = Load.Paced(capacity * RatedFraction / networks.Sum(n => n.Tokens) / node.CostPerFrame / 2);
            Load[] loads = [Load.Busy, Load.Busy, Load.Busy, voice];
            node.WarmUp(loads, warmUp);
            Step(results, node, loads, settle, output);
        }
        return results;
    }

    /// <summary>Runs the next scenario, printing what it is and what it measured.</summary>
    private static ScenarioResult Step(List<ScenarioResult> results, BenchNode node, Load[] loads, TimeSpan settle, TextWriter output)
    {
        var (key, summary) = Scenarios[results.Count];
        output.WriteLine($"[{results.Count + 1}/{Scenarios.Length}] {key}: {summary}");
        output.Flush();
        var result = node.Run(key, summary, loads, settle);
        results.Add(result);
        var cost = result.CostPerFrame;
        output.WriteLine($"    delivered {result.MedianTotalRate / cost / 1e6:0.000} Mpps ({result.MedianTotalRate / 1e6:0.0} M byte-eq/s); " +
            $"worker on CPU {result.WorkerCpuShare:P0} (preempted {result.WorkerWaitShare:P0}), generator {result.GeneratorCpuShare:P0}, " +
            $"{result.Undisturbed.Count(u => u)} of {result.WindowCount} windows undisturbed");
        for (var i = 0; i < result.Networks.Count; i++)
        {
            var n = result.Networks[i];
            if (n.Load.Kind == LoadKind.Idle) continue;
            var latency = n.LatencySamples > 0 ? $", latency p50 {n.LatencyP50Us:0.0} us p99 {n.LatencyP99Us:0.0} us (undisturbed {n.LatencyP99UndisturbedUs:0.0} us)" : "";
            var drops = n.PortDropped + n.SinkDropped + n.Overflow > 0 ? $", dropped {n.PortDropped:N0} at its backend, {n.SinkDropped:N0} at h2, {n.Overflow:N0} at h1" : "";
            output.WriteLine($"    {n.Network.Name}: {n.Load.Kind.ToString().ToLowerInvariant()}, sent {n.SentPerSecond / 1e6:0.000} Mpps, " +
                $"delivered {result.MedianRate(i) / cost / 1e6:0.000} Mpps = {ScenarioResult.Median(result.Shares(i)):P2}{latency}{drops}");
        }
        return result;
    }
}
