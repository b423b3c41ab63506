using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Softnet.Hypervisor.Linux;
using Softnet.Hypervisor.Runtime;
using Softnet.Hypervisor.Tests.Linux;
using Softnet.Hypervisor.Tests.Topology;
using Softnet.Hypervisor.Topology;
using SoftnetHypervisor = Softnet.Hypervisor.Runtime.Hypervisor;

namespace Softnet.Hypervisor.Tests.RealTraffic;

/// <summary>
/// examples/gateway.yaml for real, as root: iperf3 in red's h1 reaches blue's web server through the secure gateway,
/// on the one port the policy admits, under NAT (both networks number alike), and no faster than the gateway's limit;
/// a connection to any other port is refused by the policy. Its own network names; every namespace goes with the hypervisor.
/// </summary>
[Collection(KernelNetworkCollection.Name)]
public sealed partial class GatewayTrafficTests
{
    private const string Red = "gwred", Blue = "gwblue";

    [GeneratedRegex(@"\b(red|blue)\b")]
    private static partial Regex NetworkNames();

    [Fact]
    public void TcpToTheAdmittedPortCrossesTranslatedAndWithinItsLimit()
    {
        var text = NetworkNames().Replace(File.ReadAllText(RepositoryFiles.PathOf("examples/gateway.yaml")), m => m.Value == "red" ? Red : Blue);
        using var hypervisor = SoftnetHypervisor.Start(TopologyLoader.Parse(text, "gateway.yaml"), new LinuxHostPorts());

        using var server = Process.Start(new ProcessStartInfo("ip", ["netns", "exec", HostNames.Namespace(Blue, "web"), "iperf3", "-s", "-1", "-p", "80", "-J"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        try
        {
            for (var i = 0; i < 100 && Exec(Blue, "web", "ss", "-Hltn", "sport", "=", ":80").Trim().Length == 0; i++) Thread.Sleep(50);
            // Red addresses blue's web server by its mapped address; blue's 10.0.2.10 is red's own h2.
            var json = Exec(Red, "h1", "iperf3", "-c", "172.16.2.10", "-p", "80", "-t", "2", "-J");
            using var report = JsonDocument.Parse(json);
            var end = report.RootElement.GetProperty("end");
            var bytes = end.GetProperty("sum_received").GetProperty("bytes").GetInt64();
            var seconds = end.GetProperty("sum_received").GetProperty("seconds").GetDouble();
            Assert.True(bytes > 100_000, $"iperf3 moved {bytes} bytes through the gateway");
            // The limit red -> blue is 100 Mbit/s (bits counted on IP packets), with a 10 ms burst.
            Assert.True(bytes * 8 / seconds < 100e6 * 1.1, $"{bytes * 8 / seconds / 1e6:0.0} Mbit/s crossed a 100 Mbit/s limit");
            Assert.Equal("172.16.2.10", report.RootElement.GetProperty("start").GetProperty("connected")[0].GetProperty("remote_host").GetString());
            // The server saw the client under its mapped address, not as 10.0.1.10 (blue's own h1).
            Assert.True(server.WaitForExit(5_000), "the iperf3 server did not finish");
            using var served = JsonDocument.Parse(server.StandardOutput.ReadToEnd());
            Assert.Equal("172.16.1.10", served.RootElement.GetProperty("start").GetProperty("connected")[0].GetProperty("remote_host").GetString());
        }
        finally
        {
            if (!server.WaitForExit(5_000)) server.Kill();
        }

        // Any other port: the policy drops the SYN, so the connection times out.
        var refused = Process.Start(new ProcessStartInfo("ip", ["netns", "exec", HostNames.Namespace(Red, "h1"), "timeout", "3", "bash", "-c", "exec 3<>/dev/tcp/172.16.2.10/22"])
        {
            RedirectStandardError = true,
        })!;
        refused.WaitForExit();
        Assert.NotEqual(0, refused.ExitCode);
        var gateway = hypervisor.Inspect().Networks.Single(n => n.Name == "gw").Domains.Single();
        Assert.True(gateway.Elements.Sum(e => e.Counters.GetValueOrDefault("drop:denied-no-rule")) >= 1);
        Assert.True(gateway.Elements.Sum(e => e.Counters.GetValueOrDefault("translated")) > 0);
    }

    private static string Exec(string network, string host, params string[] command) =>
        Ip.Run(["netns", "exec", HostNames.Namespace(network, host), .. command]);
}
