using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Softnet.Cli.Bench.Dataplane;

/// <summary>The results as a readable table and as JSON: one object keyed by workload name.</summary>
internal static class ResultsReport
{
    /// <summary>Below this fraction of a run on the CPU, the core was visibly shared.</summary>
    private const double BusyCoreShare = 0.95;

    public static void WriteTable(IReadOnlyList<WorkloadResult> results, TextWriter output)
    {
        var rows = new List<string[]> { new[] { "workload", "M/s", "ns/pkt", "alloc B/pkt", "FIB MiB", "M/s on CPU", "target", "" } };
        foreach (var result in results)
        {
            var target = result.Workload.Target?.ToString() ?? "";
            rows.Add(result.Outcome switch
            {
                WorkloadOutcome.Measured =>
                [
                    result.Workload.Key, F(result.MedianMpps, "0.00"), F(result.NsPerPacket, "0.0"), F(result.AllocatedBytesPerPacket, "0.###"),
                    result.FibBytes is { } bytes ? F(bytes / 1048576.0, "0.0") : "", result.MedianMppsOnCpu is { } onCpu ? F(onCpu, "0.00") : "", target,
                    result.TargetMet switch { true => "met", false => "MISSED", null => "" },
                ],
                WorkloadOutcome.Skipped => [result.Workload.Key, "", "", "", "", "", target, "skipped"],
                _ => [result.Workload.Key, "", "", "", "", "", target, "FAILED"],
            });
        }
        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (var row in rows)
        {
            var cells = row.Select((cell, c) => c is >= 1 and <= 5 ? cell.PadLeft(widths[c]) : cell.PadRight(widths[c]));
            output.WriteLine(string.Join("  ", cells).TrimEnd());
        }
        foreach (var result in results.Where(r => r.Outcome != WorkloadOutcome.Measured))
            output.WriteLine($"{result.Workload.Key} {(result.Outcome == WorkloadOutcome.Skipped ? "skipped" : "failed")}: {result.Reason}");
        var shares = results.SelectMany(r => r.CpuShares).ToList();
        if (shares.Count > 0 && shares.Min() < BusyCoreShare)
        {
            output.WriteLine($"Another process shared the measuring core during some runs (the thread ran {shares.Min():P0} of the time at worst): " +
                "'M/s on CPU' divides by the CPU time the thread got, nearer what an idle core would give.");
        }
    }

    public static void WriteJson(IReadOnlyList<WorkloadResult> results, string path)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartObject();
        foreach (var result in results)
        {
            json.WriteStartObject(result.Workload.Key);
            json.WriteString("summary", result.Workload.Summary);
            switch (result.Outcome)
            {
                case WorkloadOutcome.Measured:
                    json.WriteNumber("mpps", Math.Round(result.MedianMpps, 3));
                    json.WriteNumber("ns_per_packet", Math.Round(result.NsPerPacket, 2));
                    json.WriteNumber("allocated_bytes_per_packet", result.AllocatedBytesPerPacket);
                    json.WriteNumber("packets", result.PacketsPerRun);
                    json.WriteNumber("runs", result.RunMpps.Count);
                    json.WriteStartArray("mpps_per_run");
                    foreach (var mpps in result.RunMpps) json.WriteNumberValue(Math.Round(mpps, 3));
                    json.WriteEndArray();
                    if (result.MedianMppsOnCpu is { } onCpu)
                    {
                        json.WriteNumber("mpps_on_cpu", Math.Round(onCpu, 3));
                        json.WriteNumber("min_cpu_share", Math.Round(result.CpuShares.Min(), 3));
                    }
                    json.WriteNumber("gc_collections", result.Collections);
                    foreach (var (name, value) in result.Facts) json.WriteNumber(name, value);
                    if (result.Workload.Target is { } target)
                    {
                        json.WriteNumber("target_mpps", target.Mpps);
                        if (target.MaxFibBytes is { } max) json.WriteNumber("target_max_fib_bytes", max);
                        json.WriteBoolean("target_met", result.TargetMet == true);
                    }
                    break;
                case WorkloadOutcome.Skipped:
                    json.WriteBoolean("skipped", true);
                    json.WriteString("reason", result.Reason);
                    break;
                default:
                    json.WriteBoolean("failed", true);
                    json.WriteString("error", result.Reason);
                    break;
            }
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
