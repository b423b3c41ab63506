using System.Text.Json;
using Softnet.DataPlane.Pcap;
using Softnet.Hypervisor.Linux;
using Softnet.Hypervisor.Runtime;
using Softnet.Hypervisor.Tests.Linux;
using Softnet.Hypervisor.Topology;
using Softnet.Wire;
using SoftnetHypervisor = Softnet.Hypervisor.Runtime.Hypervisor;

namespace Softnet.Hypervisor.Tests.RealTraffic;

/// <summary>
/// Real Linux programs in network namespaces (ping, iperf3) talking through software networks that the hypervisor
/// runs, with TAP ports carrying virtio-net offloads. Runs as root; every namespace goes with the hypervisor.
/// </summary>
[Collection(KernelNetworkCollection.Name)]
public sealed class RealTrafficTests
{
    private static string Network(string name, string phy = "tap") => $"""
          - name: {name}
            architecture: ipv4
            tokens: 10
            devices:
              - name: r1
                kind: router
                interfaces:
                  - name: eth0
                    addresses: ["10.0.1.1/24"]
                  - name: eth1
                    addresses: ["10.0.2.1/24"]
            hosts:
              - name: h1
                address: 10.0.1.10/24
                gateway: 10.0.1.1
                phy: {phy}
              - name: h2
                address: 10.0.2.10/24
                gateway: 10.0.2.1
                phy: {phy}
            links:
              - endpoints: ["h1:eth0", "r1:eth0"]
              - endpoints: ["h2:eth0", "r1:eth1"]
        """;

    private static SoftnetHypervisor Start(string networks) =>
        SoftnetHypervisor.Start(TopologyLoader.Parse("networks:\n" + networks, "real-traffic.yaml"), new LinuxHostPorts());

    private static string Exec(string network, string host, params string[] command) =>
        Ip.Run(["netns", "exec", HostNames.Namespace(network, host), .. command]);

    [Theory]
    [InlineData("tap")]
    [InlineData("af_packet")]
    public void PingAndTcpCrossTheRouter(string phy)
    {
        using var hypervisor = Start(Network("rtlab", phy));

        var ping = Exec("rtlab", "h1", "ping", "-c", "3", "-i", "0.2", "-W", "2", "10.0.2.10");
        Assert.Contains("3 received", ping);
        Assert.Contains("ttl=63", ping);

        var received = IperfBytes(hypervisor, "rtlab");
        Assert.True(received > 1_000_000, $"iperf3 moved {received} bytes");
        var snapshot = hypervisor.Inspect();
        var r1 = snapshot.Networks.Single().Domains.Single();
        var toH2 = r1.Ports.Single(p => p.Name == "eth1");
        Assert.True(toH2.TxBytes >= received, $"r1-eth1 sent {toH2.TxBytes} bytes, iperf3 received {received}");
        if (phy == "tap")
        {
            // TSO super-frames crossed whole: far fewer frames than 1500-byte segments would need.
            Assert.True(toH2.TxBytes / toH2.TxPackets > 3000, $"mean frame {toH2.TxBytes / toH2.TxPackets} bytes");
        }
        else
        {
            Assert.True(toH2.TxBytes / toH2.TxPackets <= 1514);
        }
    }

    [Fact]
    public void NetworksWithTheSameAddressesCannotReachEachOther()
    {
        using var hypervisor = Start(Network("rtred") + "\n" + Network("rtblue"));
        var red = new MemoryStream();
        var blue = new MemoryStream();
        using (hypervisor.Capture("rtred/r1:eth1", red))
        using (hypervisor.Capture("rtblue/r1:eth1", blue))
        {
            Assert.Contains("3 received", Exec("rtred", "h1", "ping", "-c", "3", "-i", "0.2", "-W", "2", "10.0.2.10"));
        }
        Assert.Equal(6, EchoFrames(red));
        Assert.Equal(0, EchoFrames(blue));

        // Take blue's h2 away: red's h1 still reaches red's h2, and blue's h1 no longer reaches anything at 10.0.2.10.
        Exec("rtblue", "h2", "ip", "link", "set", "eth0", "down");
        Assert.Contains("2 received", Exec("rtred", "h1", "ping", "-c", "2", "-i", "0.2", "-W", "2", "10.0.2.10"));
        var lost = Assert.Throws<InvalidOperationException>(() => Exec("rtblue", "h1", "ping", "-c", "2", "-i", "0.2", "-W", "1", "10.0.2.10"));
        Assert.Contains("0 received", lost.Message);
    }

    [Fact]
    public void FramesFromAHostReachOnlyTheDomainsOfItsNetwork()
    {
        using var hypervisor = Start(Network("rtred") + "\n" + Network("rtblue"));
        var before = hypervisor.Inspect();
        Exec("rtred", "h1", "ping", "-c", "20", "-i", "0.01", "-W", "2", "10.0.2.10");
        var after = hypervisor.Inspect();

        long Received(HypervisorSnapshot s, string network) => s.Networks.Single(n => n.Name == network).Domains.Sum(d => d.Ports.Sum(p => p.RxPackets));
        Assert.True(Received(after, "rtred") - Received(before, "rtred") >= 40);
        var blueFrames = Received(after, "rtblue") - Received(before, "rtblue");
        // Blue's hosts may chatter on their own (IPv6 router solicitations), but never 40 frames in that window.
        Assert.True(blueFrames < 10, $"blue's domains received {blueFrames} frames while red pinged");
        var blueDriver = after.PhysicalPorts.Where(p => p.Network == "rtblue").Sum(p => p.RxFrames) - before.PhysicalPorts.Where(p => p.Network == "rtblue").Sum(p => p.RxFrames);
        Assert.Equal(blueFrames, blueDriver, tolerance: 10);
    }

    private static long IperfBytes(SoftnetHypervisor hypervisor, string network)
    {
        using var server = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(
            "ip", ["netns", "exec", HostNames.Namespace(network, "h2"), "iperf3", "-s", "-1", "-p", "5202"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        try
        {
            for (var i = 0; i < 100 && Exec(network, "h2", "ss", "-Hltn", "sport", "=", ":5202").Trim().Length == 0; i++) Thread.Sleep(50);
            var json = Exec(network, "h1", "iperf3", "-c", "10.0.2.10", "-p", "5202", "-t", "2", "-J");
            using var report = JsonDocument.Parse(json);
            return report.RootElement.GetProperty("end").GetProperty("sum_received").GetProperty("bytes").GetInt64();
        }
        finally
        {
            if (!server.WaitForExit(5_000)) server.Kill();
        }
    }

    private static int EchoFrames(MemoryStream pcap)
    {
        pcap.Position = 0;
        return PcapReader.Read(pcap).Count(f =>
            f.Data.Length > EthernetFrame.HeaderLength + Ipv4Packet.MinHeaderLength
            && Ipv4Packet.TryCreate(f.Data.AsSpan(EthernetFrame.HeaderLength), out var ip)
            && ip.Protocol == IpProtocol.Icmp);
    }
}
