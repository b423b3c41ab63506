using Softnet.Cli.Bench.Urbanization;

namespace Softnet.Cli.Bench.Isolation;

/// <summary>The headline figures of the isolation bench, each computed from the scenarios' windows as <see cref="Definitions"/> states.</summary>
internal sealed record IsolationFigures(IReadOnlyList<Figure> Headline, double CapacityByteEquivalentsPerSecond)
{
    public static readonly IReadOnlyDictionary<string, string> Definitions = new Dictionary<string, string>
    {
        ["capacity"] = "all_busy: median over windows of the byte-equivalents per second delivered by all networks together; a byte-equivalent is what the token scheduler charges, frame bytes plus the per-packet cost",
        ["jain_index"] = "all_busy: median over windows of Jain's index (sum x)^2 / (n sum x^2) over x_i = delivered byte-equivalents of network i / its base tokens",
        ["max_share_error_pct"] = "all_busy: median over windows of max over networks of |delivered share - tokens_i / sum tokens|, in percentage points of what all delivered",
        ["min_guarantee_pct_100ms"] = "flood: the worst 100 ms window of net2 and net3 (paced at their guarantee: their tokens' share of the rated capacity, rated_fraction x capacity) of delivered byte-equivalents as a percentage of that guarantee",
        ["rated_fraction"] = "the node's rated capacity as a fraction of capacity: the headroom kept, as HTB's rates sum below the link's; guarantees are shares of the rated capacity",
        ["victim_p99_latency_ratio"] = "p99 one-way latency h1 to h2 of net3 in flood divided by its p99 in victim_alone (same pacing, the other networks silent)",
        ["utilization_pct"] = "one_idle: median over windows of the byte-equivalents per second delivered by net2 and net3 as a percentage of capacity",
        ["priority_p99_us"] = "priority_relative: p99 one-way latency h1 to h2 of the voice network (1 token, priority relative, paced at half its guarantee) while net1..net3 are busy",
        ["min_guarantee_pct_100ms_of_window_capacity"] = "flood: as min_guarantee_pct_100ms, but each window's guarantee is taken from the lesser of capacity and what the node delivered in that window, so that a slower machine (another process, the host) is not counted against the scheduler",
        ["flood_capacity_ratio"] = "flood: median delivered byte-equivalents per second over capacity; below 1 the node was slower during the flood than when capacity was measured, and the guarantees exceed the shares the scheduler can give",
        ["flood_offered_x_share"] = "flood: frames per second offered at net1's h1 (each due at its own instant), over net1's share of capacity",
        ["flood_sent_x_share"] = "flood: frames per second net1's h1 handed to its backend, over net1's share of capacity; what its receive ring could not hold (a NIC's, 1024 frames) was dropped at h1 (dropped_at_h1)",
        ["undisturbed"] = "a window is undisturbed when in it and in the window before, the generator and the worker together waited at most 1 ms for their CPUs while another process had them (Linux schedstat); the *_undisturbed figures are computed over those windows only, to tell the hypervisor's doing from the machine's",
    };

    public static IsolationFigures From(IReadOnlyList<ScenarioResult> results, IReadOnlyList<BenchNetwork> shared)
    {
        var allBusy = Scenario(results, "all_busy");
        var capacity = allBusy.MedianTotalRate;
        var tokens = shared.Sum(n => n.Tokens);
        var windows = Enumerable.Range(0, allBusy.WindowCount).Where(w => allBusy.TotalRate(w) > 0).ToList();

        var jain = ScenarioResult.Median(windows.Select(w =>
        {
            var x = shared.Select((n, i) => allBusy.Rate(i, w) / n.Tokens).ToArray();
            return x.Sum() * x.Sum() / (x.Length * x.Sum(v => v * v));
        }));
        var shareError = ScenarioResult.Median(windows.Select(w =>
            shared.Select((n, i) => Math.Abs(allBusy.Rate(i, w) / allBusy.TotalRate(w) - (double)n.Tokens / tokens)).Max() * 100));

        var flood = Scenario(results, "flood");
        // Of each window's own capacity: what the node delivered in it all told (the flood keeps it saturated).
        var ofWindow = Enumerable.Range(1, shared.Count - 1)
            .SelectMany(i => Enumerable.Range(0, flood.WindowCount)
                .Where(w => flood.TotalRate(w) > 0)
                .Select(w => flood.Rate(i, w) / (Math.Min(capacity, flood.TotalRate(w)) * IsolationBench.RatedFraction) / ((double)shared[i].Tokens / tokens) * 100))
            .DefaultIfEmpty(double.NaN)
            .Min();
        double MinGuarantee(bool undisturbedOnly) => Enumerable.Range(1, shared.Count - 1)
            .SelectMany(i => Enumerable.Range(0, flood.WindowCount)
                .Where(w => !undisturbedOnly || flood.Undisturbed[w])
                .Select(w => flood.Rate(i, w) / (capacity * IsolationBench.RatedFraction * shared[i].Tokens / tokens) * 100))
            .DefaultIfEmpty(double.NaN)
            .Min();
        var victim = shared[^1].Name;
        var alone = Scenario(results, "victim_alone")[victim];
        var utilization = Scenario(results, "one_idle").MedianTotalRate / capacity * 100;
        var priority = Scenario(results, "priority_relative")["voice"];
        var undisturbed = results.Sum(r => r.Undisturbed.Count(u => u)) * 100.0 / results.Sum(r => r.WindowCount);

        var mpps = capacity / allBusy.CostPerFrame / 1e6;
        var minGuarantee = MinGuarantee(false);
        var latencyRatio = flood[victim].LatencyP99Us / alone.LatencyP99Us;
        Figure[] headline =
        [
            new("capacity_mpps", mpps),
            new("capacity_byte_equivalents_per_s", capacity),
            new("rated_fraction", IsolationBench.RatedFraction),
            new("jain_index", jain, jain >= 0.99, ">= 0.99"),
            new("max_share_error_pct", shareError, shareError <= 2, "<= 2"),
            new("min_guarantee_pct_100ms", minGuarantee, minGuarantee >= 95, ">= 95"),
            new("victim_p99_latency_ratio", latencyRatio, latencyRatio <= 1.5, "<= 1.5"),
            new("utilization_pct", utilization, utilization >= 95, ">= 95"),
            new("priority_p99_us", priority.LatencyP99Us),
            new("min_guarantee_pct_100ms_of_window_capacity", ofWindow),
            new("flood_capacity_ratio", flood.MedianTotalRate / capacity),
            new("flood_offered_x_share", flood[shared[0].Name].Load.FramesPerSecond * allBusy.CostPerFrame / (capacity * shared[0].Tokens / tokens)),
            new("flood_sent_x_share", flood[shared[0].Name].SentPerSecond * allBusy.CostPerFrame / (capacity * shared[0].Tokens / tokens)),
            new("undisturbed_windows_pct", undisturbed),
            new("min_guarantee_pct_100ms_undisturbed", MinGuarantee(true)),
            new("victim_p99_latency_ratio_undisturbed", flood[victim].LatencyP99UndisturbedUs / alone.LatencyP99UndisturbedUs),
            new("priority_p99_us_undisturbed", priority.LatencyP99UndisturbedUs),
        ];
        return new IsolationFigures(headline, capacity);
    }

    private static ScenarioResult Scenario(IReadOnlyList<ScenarioResult> results, string name) => results.Single(r => r.Name == name);
}
