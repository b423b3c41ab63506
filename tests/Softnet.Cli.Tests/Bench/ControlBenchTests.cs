using System.Text.Json;
using Softnet.Cli.Bench.Control;

namespace Softnet.Cli.Tests.Bench;

/// <summary>
/// The control bench end to end on a short run (one run of each measurement): a real controller, a real hypervisor
/// following it, every figure verified by traffic and reported within its range. Targets are not asserted: they are timing.
/// </summary>
public sealed class ControlBenchTests
{
    private static readonly string[] Targeted =
        ["convergence_ms", "apply_ms", "untouched_loss_packets", "untouched_reordered_packets", "controller_restart_loss_packets", "user_ready_ms", "gateway_flood_victim_pct"];

    [Fact]
    public void A_short_run_reports_every_figure_within_its_range()
    {
        var path = Path.Combine(Path.GetTempPath(), $"softnet-control-{Guid.NewGuid():N}.json");
        try
        {
            var output = new StringWriter();

            var exit = ControlBench.Run(path, runs: 1, output);

            Assert.True(exit == 0, output.ToString());
            using var json = JsonDocument.Parse(File.ReadAllText(path));
            var root = json.RootElement;
            Assert.Equal(1, root.GetProperty("runs").GetInt32());
            Assert.InRange(root.GetProperty("workers").GetInt32(), 1, 2);
            Assert.InRange(Finite(root, "seconds"), 1, 600);

            var convergence = Finite(root, "convergence_ms");
            Assert.True(convergence > 0);
            Assert.True(Finite(root, "convergence_installed_ms") > 0);
            var apply = Finite(root, "apply_ms");
            Assert.InRange(Finite(root, "apply_installed_ms"), double.Epsilon, apply);
            Assert.True(Finite(root, "user_ready_ms") >= Finite(root, "user_installed_ms"));
            Assert.True(Finite(root, "user_installed_ms") > 0);
            Assert.True(Finite(root, "controller_restart_resubscribed_ms") > 0);
            foreach (var key in new[] { "untouched_loss_packets", "untouched_reordered_packets", "controller_restart_loss_packets" })
            {
                var count = Finite(root, key);
                Assert.True(count >= 0 && count == Math.Floor(count), $"{key} = {count}");
            }
            Assert.InRange(Finite(root, "gateway_flood_victim_pct"), double.Epsilon, 1000);
            Assert.True(Finite(root, "gateway_capacity_pps") > 0);
            foreach (var key in Targeted)
            {
                Assert.False(string.IsNullOrEmpty(root.GetProperty($"{key}_target").GetString()), key);
                Assert.Contains(root.GetProperty($"{key}_target_met").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });
                Assert.True(root.GetProperty("definitions").TryGetProperty(key, out _), key);
            }

            var cut = Assert.Single(root.GetProperty("cuts").EnumerateArray());
            Assert.Matches(@"^r\d+:eth\d -- r\d+:eth\d$", cut.GetProperty("link").GetString());
            Assert.Equal(convergence, Finite(cut, "converged_ms"), 1e-3);
            Assert.True(cut.GetProperty("lost_packets").GetInt64() > 0, "a cut on the stream's path lost nothing");
            Assert.Single(root.GetProperty("applies").EnumerateArray());
            Assert.Single(root.GetProperty("restarts").EnumerateArray());
            Assert.Equal("bench1", Assert.Single(root.GetProperty("users").EnumerateArray()).GetProperty("user").GetString());
            var untouched = root.GetProperty("untouched_streams");
            Assert.Equal(19, untouched.GetProperty("streams").GetInt32());
            Assert.True(untouched.GetProperty("sent").GetInt64() > 0);
            Assert.Equal(20, root.GetProperty("restart_streams").GetProperty("streams").GetInt32());
            var gateway = root.GetProperty("gateway");
            Assert.Equal(10_000, gateway.GetProperty("limit_pps").GetInt64());
            // The gateway lets through at most its limit (and its 10 ms burst) of a flood far above it.
            Assert.InRange(Finite(gateway, "crossed_pps"), 1, 10_000 * 1.1);
            Assert.True(Finite(gateway, "flood_sent_pps") > 10 * Finite(gateway, "crossed_pps"));
            Assert.True(Finite(gateway, "flood_offered_pps") >= Finite(gateway, "flood_sent_pps"));
            Assert.Equal(30, gateway.GetProperty("window_pcts").GetArrayLength());
            Assert.True(Finite(gateway, "alone_p99_us") > 0 && Finite(gateway, "flood_p99_us") > 0);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Bad_options_are_refused_before_anything_runs()
    {
        var output = new StringWriter();

        var exit = ControlBench.Run(null, runs: 0, output);

        Assert.Equal(2, exit);
        Assert.Contains("--runs", output.ToString());
    }

    private static double Finite(JsonElement element, string key)
    {
        Assert.True(element.TryGetProperty(key, out var value), $"missing {key}");
        var number = value.GetDouble();
        Assert.True(double.IsFinite(number), $"{key} = {number}");
        return number;
    }
}
