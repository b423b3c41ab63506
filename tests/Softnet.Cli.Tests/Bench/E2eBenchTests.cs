using System.Text.Json;
using Softnet.Cli.Bench.E2e;

namespace Softnet.Cli.Tests.Bench;

/// <summary>The whole bench, briefly, as root: both routers carry every workload, and nothing is left behind.</summary>
[Collection(E2eKernelNetworkCollection.Name)]
public sealed class E2eBenchTests
{
    private static readonly string[] HeadlineKeys =
    [
        "softnet_gbps", "kernel_gbps", "ratio", "softnet_rtt_p50_us", "softnet_rtt_p99_us", "kernel_rtt_p50_us", "kernel_rtt_p99_us",
        "softnet_udp64_kpps", "kernel_udp64_kpps", "softnet_udp64_offered_kpps", "kernel_udp64_offered_kpps",
    ];

    [Fact]
    public void A_short_run_reports_every_figure_of_both_routers_and_removes_its_namespaces()
    {
        var json = Path.Combine(Path.GetTempPath(), $"softnet-e2e-{Guid.NewGuid():N}.json");
        var output = new StringWriter();
        var progress = new StringWriter();
        try
        {
            var exit = E2eBench.Run(json, seconds: 1, pings: 40, rounds: 1, output, progress);

            Assert.True(exit == 0, $"exit code {exit}:\n{progress}");
            using var report = JsonDocument.Parse(File.ReadAllText(json));
            var root = report.RootElement;
            foreach (var key in HeadlineKeys)
            {
                Assert.True(root.TryGetProperty(key, out var value), $"no {key}");
                Assert.True(double.IsFinite(value.GetDouble()) && value.GetDouble() > 0, $"{key} = {value}");
            }
            Assert.Equal(root.GetProperty("softnet_gbps").GetDouble() / root.GetProperty("kernel_gbps").GetDouble(), root.GetProperty("ratio").GetDouble(), 0.01);
            Assert.Equal(0, root.GetProperty("softnet_pings_lost").GetInt32());
            Assert.Equal(0, root.GetProperty("kernel_pings_lost").GetInt32());
            foreach (var target in new[] { "ratio", "softnet_rtt_p99_us", "softnet_udp64_kpps" })
                Assert.Contains(root.GetProperty($"{target}_target_met").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });
            var round = Assert.Single(root.GetProperty("rounds").EnumerateArray());
            Assert.Equal(root.GetProperty("softnet_gbps").GetDouble(), round.GetProperty("softnet_gbps").GetDouble());
            var ports = root.GetProperty("softnet_counters").GetProperty("physical_ports").EnumerateArray().ToList();
            Assert.Equal(["sn-e2e-h1/eth0", "sn-e2e-h2/eth0"], ports.Select(p => p.GetProperty("name").GetString()).Order());
            Assert.All(ports, p => Assert.True(p.GetProperty("tx_frames").GetInt64() > 40));
            Assert.Contains("softnet/kernel", output.ToString());
            Assert.Contains("[round 1/1] kernel ping", progress.ToString());
        }
        finally
        {
            File.Delete(json);
        }
        var left = Directory.Exists("/run/netns") ? Directory.GetFiles("/run/netns", "sn-e2e*").Select(Path.GetFileName).ToList() : [];
        Assert.Empty(left);
    }
}
