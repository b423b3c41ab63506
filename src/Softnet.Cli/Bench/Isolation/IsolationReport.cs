using System.Text.Encodings.Web;
using System.Text.Json;

namespace Softnet.Cli.Bench.Isolation;

/// <summary>
/// The results as one JSON object: the headline figures (with their targets) at the top level, what each means,
/// and every scenario's raw figures per network. Figures that do not apply (latency of an unpaced load) are left out.
/// </summary>
internal static class IsolationReport
{
    public static void WriteJson(string path, IsolationFigures figures, IReadOnlyList<ScenarioResult> results, double seconds)
    {
        var cost = results[0].CostPerFrame;
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartObject();
        json.WriteString("unit", "rates and shares are in byte-equivalents, what the token scheduler charges: frame bytes plus a per-packet cost (TokenPolicy.Cost)");
        json.WriteNumber("frame_bytes", cost - BenchNode.Policy.PerPacketCost);
        json.WriteNumber("per_packet_cost", BenchNode.Policy.PerPacketCost);
        json.WriteNumber("byte_equivalents_per_frame", cost);
        json.WriteNumber("seconds_per_scenario", seconds);
        json.WriteNumber("window_ms", results[0].WindowSeconds * 1000);
        foreach (var f in figures.Headline) Number(json, f.Key, f.Value);
        foreach (var f in figures.Headline.Where(f => f.TargetMet is not null))
        {
            json.WriteString($"{f.Key}_target", f.Target);
            json.WriteBoolean($"{f.Key}_target_met", f.TargetMet == true);
        }
        json.WriteStartObject("definitions");
        foreach (var (key, text) in IsolationFigures.Definitions) json.WriteString(key, text);
        json.WriteEndObject();
        json.WriteStartObject("scenarios");
        foreach (var result in results) Scenario(json, result, figures.CapacityByteEquivalentsPerSecond);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void Scenario(Utf8JsonWriter json, ScenarioResult result, double capacity)
    {
        var cost = result.CostPerFrame;
        var tokens = result.Networks.Sum(n => n.Network.Tokens);
        var busyTokens = result.Networks.Where(n => n.Load.Kind == LoadKind.Busy).Sum(n => n.Network.Tokens);
        json.WriteStartObject(result.Name);
        json.WriteString("summary", result.Summary);
        json.WriteNumber("windows", result.WindowCount);
        Number(json, "delivered_mpps", result.MedianTotalRate / cost / 1e6);
        Number(json, "delivered_byte_equivalents_per_s", result.MedianTotalRate);
        if (result.WorkerCpuShare is { } worker) Number(json, "worker_cpu_share", worker);
        if (result.WorkerWaitShare is { } waiting) Number(json, "worker_preempted_share", waiting);
        if (result.GeneratorCpuShare is { } generator) Number(json, "generator_cpu_share", generator);
        json.WriteNumber("gc_collections", result.Collections);
        json.WriteBoolean("drained", result.Drained);
        json.WriteNumber("undisturbed_windows", result.Undisturbed.Count(u => u));
        json.WriteStartArray("cpu_wait_us_per_window");
        foreach (var ns in result.CpuWaitNsPerWindow) json.WriteNumberValue(Math.Round(ns / 1000.0, 1));
        json.WriteEndArray();
        json.WriteStartObject("networks");
        for (var i = 0; i < result.Networks.Count; i++)
        {
            var n = result.Networks[i];
            var share = capacity * n.Network.Tokens / tokens;
            var guarantee = share * IsolationBench.RatedFraction;
            json.WriteStartObject(n.Network.Name);
            json.WriteNumber("tokens", n.Network.Tokens);
            json.WriteString("priority", n.Network.Priority.ToString().ToLowerInvariant());
            json.WriteString("load", n.Load.Kind.ToString().ToLowerInvariant());
            if (n.Load.Kind is LoadKind.Paced or LoadKind.Flood) Number(json, "offered_mpps", n.Load.FramesPerSecond / 1e6);
            Number(json, "sent_mpps", n.SentPerSecond / 1e6);
            Number(json, "delivered_mpps", result.MedianRate(i) / cost / 1e6);
            Number(json, "delivered_byte_equivalents_per_s", result.MedianRate(i));
            Number(json, "share", ScenarioResult.Median(result.Shares(i)));
            if (n.Load.Kind == LoadKind.Busy) Number(json, "expected_share", (double)n.Network.Tokens / busyTokens);
            Number(json, "share_mpps", share / cost / 1e6);
            Number(json, "guarantee_mpps", guarantee / cost / 1e6);
            if (n.Load.Kind == LoadKind.Paced)
            {
                var windows = Enumerable.Range(0, result.WindowCount).ToList();
                Number(json, "min_window_pct_of_guarantee", windows.Min(w => result.Rate(i, w)) / guarantee * 100);
                Number(json, "min_undisturbed_window_pct_of_guarantee",
                    windows.Where(w => result.Undisturbed[w]).Select(w => result.Rate(i, w)).DefaultIfEmpty(double.NaN).Min() / guarantee * 100);
            }
            if (n.LatencySamples > 0)
            {
                Number(json, "latency_p50_us", n.LatencyP50Us);
                Number(json, "latency_p99_us", n.LatencyP99Us);
                json.WriteNumber("latency_samples", n.LatencySamples);
                Number(json, "latency_p99_undisturbed_us", n.LatencyP99UndisturbedUs);
                json.WriteNumber("latency_samples_undisturbed", n.UndisturbedLatencySamples);
            }
            json.WriteNumber("dropped_at_backend", n.PortDropped);
            json.WriteNumber("dropped_at_h2", n.SinkDropped);
            json.WriteNumber("dropped_at_h1", n.Overflow);
            json.WriteNumber("unexpected_frames", n.Unexpected);
            Number(json, "r1_frames_per_turn", n.FramesPerTurn);
            json.WriteStartArray("frames_per_window");
            foreach (var frames in n.Windows) json.WriteNumberValue(frames);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>Writes a finite number rounded to 6 significant digits; leaves out one that is not (no data).</summary>
    private static void Number(Utf8JsonWriter json, string key, double value)
    {
        if (!double.IsFinite(value)) return;
        json.WriteNumber(key, value == 0 ? 0 : Math.Round(value, Math.Clamp(5 - (int)Math.Floor(Math.Log10(Math.Abs(value))), 0, 15)));
    }
}
