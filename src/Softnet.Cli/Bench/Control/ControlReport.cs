using Softnet.Cli.Bench.Isolation;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Softnet.Cli.Bench.Control;

/// <summary>
/// The results as one JSON object: the headline figures at the top level with their targets and whether each is met,
/// what each means, and every run's own figures.
/// </summary>
internal static class ControlReport
{
    public static void WriteJson(string path, ControlResults results, int runs, int workers, double seconds)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartObject();
        json.WriteNumber("runs", runs);
        json.WriteNumber("workers", workers);
        Number(json, "seconds", seconds);
        var headline = results.Headline();
        foreach (var f in headline) Number(json, f.Key, f.Value);
        foreach (var f in headline.Where(f => f.TargetMet is not null))
        {
            json.WriteString($"{f.Key}_target", f.Target);
            json.WriteBoolean($"{f.Key}_target_met", f.TargetMet == true);
        }
        json.WriteStartObject("definitions");
        foreach (var (key, text) in ControlResults.Definitions) json.WriteString(key, text);
        json.WriteEndObject();

        json.WriteStartArray("cuts");
        foreach (var cut in results.Cuts)
        {
            json.WriteStartObject();
            json.WriteString("link", cut.Link);
            Number(json, "reported_ms", cut.ReportedMs);
            Number(json, "installed_ms", cut.InstalledMs);
            Number(json, "converged_ms", cut.ConvergedMs);
            json.WriteNumber("lost_packets", cut.Lost);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("applies");
        foreach (var apply in results.Applies)
        {
            json.WriteStartObject();
            Number(json, "installed_ms", apply.InstalledMs);
            Number(json, "forwarding_ms", apply.ForwardingMs);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        Tally(json, "untouched_streams", results.Untouched);
        json.WriteStartArray("restarts");
        foreach (var restart in results.Restarts)
        {
            json.WriteStartObject();
            Number(json, "resubscribed_ms", restart.ResubscribedMs);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        Tally(json, "restart_streams", results.RestartStreams);
        json.WriteStartArray("users");
        foreach (var user in results.Users)
        {
            json.WriteStartObject();
            json.WriteString("user", user.User);
            Number(json, "installed_ms", user.InstalledMs);
            Number(json, "ready_ms", user.ReadyMs);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartObject("gateway");
        var gateway = results.Gateway;
        Number(json, "capacity_pps", gateway.Capacity);
        Number(json, "guarantee_pps", gateway.Guarantee);
        json.WriteNumber("limit_pps", gateway.Limit);
        Number(json, "flood_offered_pps", gateway.FloodOffered);
        Number(json, "flood_sent_pps", gateway.FloodSent);
        Number(json, "crossed_pps", gateway.Crossed);
        Number(json, "alone_p99_us", gateway.AloneP99Us);
        Number(json, "flood_p99_us", gateway.FloodP99Us);
        Number(json, "worker_cpu_share", gateway.WorkerCpuShare);
        json.WriteStartArray("window_pcts");
        foreach (var pct in gateway.WindowPcts) json.WriteNumberValue(pct);
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void Tally(Utf8JsonWriter json, string key, StreamTally tally)
    {
        json.WriteStartObject(key);
        json.WriteNumber("streams", tally.Streams);
        json.WriteNumber("sent", tally.Sent);
        json.WriteNumber("lost", tally.Lost);
        json.WriteNumber("reordered", tally.Reordered);
        json.WriteEndObject();
    }

    /// <summary>Writes a finite number rounded to 6 significant digits; leaves out one that is not (no data).</summary>
    private static void Number(Utf8JsonWriter json, string key, double value)
    {
        if (!double.IsFinite(value)) return;
        json.WriteNumber(key, value == 0 ? 0 : Math.Round(value, Math.Clamp(5 - (int)Math.Floor(Math.Log10(Math.Abs(value))), 0, 15)));
    }
}
