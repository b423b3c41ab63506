using System.Text.Json;
using Softnet.Cli.Bench.Isolation;

namespace Softnet.Cli.Tests.Bench;

/// <summary>
/// The isolation bench end to end on a very short run (two 100 ms windows per scenario): the real hypervisor,
/// real routers, every figure reported and within its range. Targets are not asserted: they are timing.
/// </summary>
public sealed class IsolationBenchTests
{
    private static readonly string[] Scenarios =
        ["all_busy", "flood", "victim_alone", "one_idle", "priority_relative", "priority_accentuated", "priority_none"];

    [Fact]
    public void A_short_run_reports_every_figure_within_its_range()
    {
        var path = Path.Combine(Path.GetTempPath(), $"softnet-isolation-{Guid.NewGuid():N}.json");
        try
        {
            var output = new StringWriter();

            var exit = IsolationBench.Run(path, seconds: 0.2, frameBytes: 60, output);

            Assert.True(exit == 0, output.ToString());
            using var json = JsonDocument.Parse(File.ReadAllText(path));
            var root = json.RootElement;
            Assert.Equal(60, root.GetProperty("frame_bytes").GetInt32());
            Assert.Equal(64, root.GetProperty("per_packet_cost").GetInt32());
            Assert.Equal(124, root.GetProperty("byte_equivalents_per_frame").GetInt32());
            Assert.Equal(100, root.GetProperty("window_ms").GetDouble());

            var capacity = Finite(root, "capacity_byte_equivalents_per_s");
            Assert.True(capacity > 0);
            Assert.Equal(capacity / 124 / 1e6, Finite(root, "capacity_mpps"), 1e-3 * capacity / 124 / 1e6);
            var jain = Finite(root, "jain_index");
            Assert.InRange(jain, double.Epsilon, 1 + 1e-9);
            Assert.InRange(Finite(root, "max_share_error_pct"), 0, 100);
            Assert.True(Finite(root, "min_guarantee_pct_100ms") >= 0);
            Assert.True(Finite(root, "victim_p99_latency_ratio") > 0);
            Assert.True(Finite(root, "utilization_pct") > 0);
            Assert.True(Finite(root, "priority_p99_us") > 0);
            Assert.True(Finite(root, "flood_sent_x_share") > 0);
            Assert.Equal(IsolationBench.FloodFactor, Finite(root, "flood_offered_x_share"), 6);
            Assert.True(Finite(root, "flood_capacity_ratio") > 0);
            Assert.True(Finite(root, "min_guarantee_pct_100ms_of_window_capacity") >= 0);
            Assert.InRange(Finite(root, "undisturbed_windows_pct"), 0, 100);
            foreach (var key in new[] { "jain_index", "max_share_error_pct", "min_guarantee_pct_100ms", "victim_p99_latency_ratio", "utilization_pct" })
            {
                Assert.Contains(root.GetProperty($"{key}_target_met").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });
                Assert.True(root.GetProperty("definitions").TryGetProperty(key, out _), key);
            }

            var scenarios = root.GetProperty("scenarios");
            Assert.Equal(Scenarios, scenarios.EnumerateObject().Select(s => s.Name));
            foreach (var scenario in scenarios.EnumerateObject())
            {
                Assert.Equal(2, scenario.Value.GetProperty("windows").GetInt32());
                Assert.True(scenario.Value.GetProperty("drained").GetBoolean(), scenario.Name);
                Assert.True(Finite(scenario.Value, "delivered_mpps") > 0, scenario.Name);
                foreach (var network in scenario.Value.GetProperty("networks").EnumerateObject())
                {
                    Assert.InRange(Finite(network.Value, "share"), 0, 1);
                    Assert.True(Finite(network.Value, "guarantee_mpps") > 0);
                }
            }

            var allBusy = scenarios.GetProperty("all_busy").GetProperty("networks");
            Assert.Equal([0.625, 0.3125, 0.0625], new[] { "net1", "net2", "net3" }.Select(n => allBusy.GetProperty(n).GetProperty("expected_share").GetDouble()));
            Assert.All(allBusy.EnumerateObject(), n => Assert.Equal(0, n.Value.GetProperty("dropped_at_backend").GetInt64()));
            var flood = scenarios.GetProperty("flood").GetProperty("networks");
            var net1 = flood.GetProperty("net1");
            Assert.Equal(10 * Finite(net1, "share_mpps"), Finite(net1, "offered_mpps"), 1e-4 * Finite(net1, "offered_mpps"));
            Assert.Equal(0.9 * Finite(net1, "share_mpps"), Finite(net1, "guarantee_mpps"), 1e-6 * Finite(net1, "share_mpps"));
            Assert.Equal(Finite(flood.GetProperty("net3"), "guarantee_mpps"), Finite(flood.GetProperty("net3"), "offered_mpps"), 1e-4 * Finite(flood.GetProperty("net3"), "offered_mpps"));
            Assert.True(flood.GetProperty("net3").GetProperty("latency_samples").GetInt64() > 0);
            var voice = scenarios.GetProperty("priority_relative").GetProperty("networks").GetProperty("voice");
            Assert.Equal("relative", voice.GetProperty("priority").GetString());
            Assert.True(Finite(voice, "latency_p99_us") >= Finite(voice, "latency_p50_us"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(0.05, 60, "--seconds")]
    [InlineData(1, 20, "--frame-bytes")]
    public void Bad_options_are_refused_before_anything_runs(double seconds, int frameBytes, string option)
    {
        var output = new StringWriter();

        var exit = IsolationBench.Run(null, seconds, frameBytes, output);

        Assert.Equal(2, exit);
        Assert.Contains(option, output.ToString());
    }

    private static double Finite(JsonElement element, string key)
    {
        Assert.True(element.TryGetProperty(key, out var value), $"missing {key}");
        var number = value.GetDouble();
        Assert.True(double.IsFinite(number), $"{key} = {number}");
        return number;
    }
}
