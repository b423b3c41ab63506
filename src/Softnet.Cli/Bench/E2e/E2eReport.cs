using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Softnet.Cli.Bench.E2e;

/// <summary>The results as a table (Softnet beside the kernel) and as one JSON object: headline figures first, then every round.</summary>
internal static class E2eReport
{
    public static void WriteTable(E2eResults results, TextWriter output)
    {
        var rows = new List<string[]>
        {
            new[] { "", "softnet", "kernel", "target", "" },
            Row(results, "TCP Gbps", results.Softnet.Gbps, results.Kernel.Gbps, "0.00"),
            Row(results, "  softnet/kernel", results.Ratio, null, "0.00", "ratio"),
            Row(results, "RTT p50 us", results.Softnet.RttP50, results.Kernel.RttP50, "0"),
            Row(results, "RTT p99 us", results.Softnet.RttP99, results.Kernel.RttP99, "0", "softnet_rtt_p99_us"),
            Row(results, "UDP 64 B kpps", results.Softnet.Udp64Kpps, results.Kernel.Udp64Kpps, "0", "softnet_udp64_kpps"),
            Row(results, "  offered kpps", results.Softnet.Udp64OfferedKpps, results.Kernel.Udp64OfferedKpps, "0"),
            Row(results, "  loss %", results.Softnet.Udp64LossPercent, results.Kernel.Udp64LossPercent, "0.0"),
        };
        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (var row in rows)
            output.WriteLine(string.Join("  ", row.Select((cell, c) => c is 1 or 2 ? cell.PadLeft(widths[c]) : cell.PadRight(widths[c]))).TrimEnd());
        output.WriteLine($"Medians of {results.Rounds.Count} round(s) of {results.Seconds} s; RTT percentiles over {results.Rounds.Count * results.PingsPerRound} pings per path " +
            $"({results.Softnet.PingsLost} lost through Softnet, {results.Kernel.PingsLost} through the kernel).");
    }

    public static void WriteJson(E2eResults results, string path)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartObject();
        foreach (var (key, value) in results.Figures) json.WriteNumber(key, Round(value));
        foreach (var target in E2eResults.Targets)
        {
            json.WriteNumber($"{target.Key}_target", target.Bound);
            json.WriteBoolean($"{target.Key}_target_met", target.IsMet(Value(results, target.Key)));
        }
        json.WriteNumber("seconds", results.Seconds);
        json.WriteNumber("pings_per_round", results.PingsPerRound);
        json.WriteNumber("ping_interval_ms", PingRtt.IntervalSeconds * 1000);
        json.WriteString("udp64_method", Iperf3.Udp64Method);
        json.WriteString("topology", "h1 10.0.1.10/24 - r1 - h2 10.0.2.10/24; softnet: r1 a Softnet router, 1 worker, TAP ports with offloads; " +
            "kernel: r1 a namespace with ip_forward, veth pairs with default offloads");
        json.WriteStartArray("rounds");
        foreach (var round in results.Rounds)
        {
            json.WriteStartObject();
            WriteRound(json, "softnet", round.Softnet);
            WriteRound(json, "kernel", round.Kernel);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        WriteCounters(json, results);
        json.WriteEndObject();
    }

    private static void WriteRound(Utf8JsonWriter json, string key, PathRound round)
    {
        json.WriteNumber($"{key}_gbps", Round(round.Tcp.Gbps));
        json.WriteNumber($"{key}_tcp_retransmits", round.Tcp.Retransmits);
        json.WriteNumber($"{key}_udp64_kpps", Round(round.Udp64.DeliveredKpps));
        json.WriteNumber($"{key}_udp64_offered_kpps", Round(round.Udp64.OfferedKpps));
        json.WriteNumber($"{key}_rtt_p50_us", Round(Statistics.Percentile(round.RttMicroseconds, 0.50)));
        json.WriteNumber($"{key}_rtt_p99_us", Round(Statistics.Percentile(round.RttMicroseconds, 0.99)));
    }

    /// <summary>The Softnet side's counters after the last round: physical ports, and every drop r1 counted.</summary>
    private static void WriteCounters(Utf8JsonWriter json, E2eResults results)
    {
        var snapshot = results.SoftnetSnapshot;
        json.WriteStartObject("softnet_counters");
        json.WriteStartArray("physical_ports");
        foreach (var port in snapshot.PhysicalPorts)
        {
            json.WriteStartObject();
            json.WriteString("name", port.Name);
            json.WriteString("backend", port.Backend);
            json.WriteNumber("rx_frames", port.RxFrames);
            json.WriteNumber("rx_bytes", port.RxBytes);
            json.WriteNumber("tx_frames", port.TxFrames);
            json.WriteNumber("tx_bytes", port.TxBytes);
            json.WriteNumber("rx_dropped", port.RxDropped);
            json.WriteNumber("tx_dropped", port.TxDropped);
            json.WriteNumber("segmented", port.Segmented);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartObject("r1_drops");
        foreach (var domain in snapshot.Networks.SelectMany(n => n.Domains))
        {
            foreach (var port in domain.Ports.Where(p => p.TxDropped > 0)) json.WriteNumber($"{port.Name} tx_dropped", port.TxDropped);
            foreach (var element in domain.Elements)
            {
                foreach (var (name, count) in element.Counters.Where(c => c.Key.StartsWith("drop:", StringComparison.Ordinal)))
                    json.WriteNumber($"{element.Name} {name}", count);
            }
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static double Value(E2eResults results, string key) => results.Figures.Single(f => f.Key == key).Value;

    private static double Round(double value) => Math.Round(value, 3);

    private static string[] Row(E2eResults results, string name, double softnet, double? kernel, string format, string? targetKey = null)
    {
        var target = targetKey is null ? null : E2eResults.Targets.Single(t => t.Key == targetKey);
        return
        [
            name,
            softnet.ToString(format, CultureInfo.InvariantCulture),
            kernel?.ToString(format, CultureInfo.InvariantCulture) ?? "",
            target?.ToString() ?? "",
            target is null ? "" : target.IsMet(Value(results, target.Key)) ? "met" : "MISSED",
        ];
    }
}
