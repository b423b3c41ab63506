using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Softnet.Hypervisor.Linux;
using Softnet.Hypervisor.Runtime;
using Softnet.Hypervisor.Tests.Linux;
using Softnet.Hypervisor.Topology;
using SoftnetHypervisor = Softnet.Hypervisor.Runtime.Hypervisor;

namespace Softnet.Hypervisor.Tests.RealTraffic;

/// <summary>
/// Carrier detection on real host ports: a host's eth0 taken down in its namespace is seen through rtnetlink (in the
/// namespace for a TAP, on the veth's root end for AF_PACKET) and cuts the host's link; brought up again, the link is
/// restored and the host's routes with it. Runs as root; every namespace goes with the hypervisor.
/// </summary>
[Collection(KernelNetworkCollection.Name)]
public sealed class CarrierTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static TopologyFile Topology(string name, string phy) => TopologyLoader.Parse($"""
        networks:
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
        """, "carrier.yaml");

    [Theory]
    [InlineData("cartap", "tap")]
    [InlineData("carafp", "af_packet")]
    public void AHostInterfaceGoingDownCutsItsLinkAndComingBackUpRestoresItAndTheHostsRoutes(string network, string phy)
    {
        var changes = new BlockingCollection<HostCarrier>();
        using var hosts = new LinuxHostPorts(changes.Add);
        using var hypervisor = SoftnetHypervisor.Start(Topology(network, phy), hosts);
        var h1Link = new LinkSpec(new Endpoint("h1", "eth0"), new Endpoint("r1", "eth0"));
        Assert.Contains("2 received", Exec(network, "h1", "ping", "-c", "2", "-i", "0.2", "-W", "2", "10.0.2.10"));

        Exec(network, "h1", "ip", "link", "set", "eth0", "down");

        Assert.True(changes.TryTake(out var down, Patience), "no carrier change within 10 s");
        Assert.Equal(new HostCarrier(network, "h1", false), down);
        hypervisor.SetHostLink(down.Network, down.Host, down.Up);
        var cut = Assert.Single(hypervisor.CutLinks());
        Assert.Equal((network, h1Link), (cut.Network, cut.Link));
        var r1 = Port(hypervisor, "eth0");
        // r1's answers to h2's ARP and ping for h1 go nowhere: counted as dropped on the cut port.
        Assert.Throws<InvalidOperationException>(() => Exec(network, "h2", "ping", "-c", "1", "-W", "1", "10.0.1.10"));
        Assert.True(Port(hypervisor, "eth0").TxDropped > r1.TxDropped, "r1 sent nothing into the cut link");

        Exec(network, "h1", "ip", "link", "set", "eth0", "up");

        Assert.True(changes.TryTake(out var up, Patience), "no carrier change within 10 s");
        Assert.Equal(new HostCarrier(network, "h1", true), up);
        hypervisor.SetHostLink(up.Network, up.Host, up.Up);
        Assert.Empty(hypervisor.CutLinks());
        Assert.Contains("default via 10.0.1.1 dev eth0", Exec(network, "h1", "ip", "route"));
        Assert.Contains("2 received", Exec(network, "h1", "ping", "-c", "2", "-i", "0.2", "-W", "2", "10.0.2.10"));
        Assert.Empty(changes);
    }

    [Fact]
    public void AnInterfaceAlreadyDownWhenWatchedIsReportedAtOnceAndAWatchEndsWhenDisposed()
    {
        var ns = "sn-carrier-watch";
        Ip.Run("netns", "add", ns);
        try
        {
            Ip.Run("-n", ns, "link", "add", "w0", "type", "veth", "peer", "name", "w1");
            Ip.Run("-n", ns, "link", "set", "w0", "up");
            using var monitor = new CarrierMonitor();
            var changes = new BlockingCollection<bool>();

            using (monitor.Watch(ns, "w0", changes.Add))
            {
                // w1 is down: w0 has no carrier.
                Assert.True(changes.TryTake(out var first, Patience), "the state of w0 was not reported");
                Assert.False(first);
                Ip.Run("-n", ns, "link", "set", "w1", "up");
                Assert.True(changes.TryTake(out var second, Patience), "w0's carrier was not reported");
                Assert.True(second);
            }

            Ip.Run("-n", ns, "link", "set", "w1", "down");
            Assert.False(changes.TryTake(out _, TimeSpan.FromMilliseconds(1500)), "a disposed watch reported a change");
        }
        finally
        {
            Ip.Run("netns", "del", ns);
        }
    }

    private static PortStatus Port(SoftnetHypervisor hypervisor, string port) =>
        hypervisor.Inspect().Networks.Single().Domains.Single().Ports.Single(p => p.Name == port);

    private static string Exec(string network, string host, params string[] command) =>
        Ip.Run(["netns", "exec", HostNames.Namespace(network, host), .. command]);
}

/// <summary>rtnetlink link messages as the kernel writes them (host byte order).</summary>
public sealed class LinkMessagesTests
{
    [Fact]
    public void ALinkMessageGivesTheInterfaceItsIndexAndWhetherItCarriesFrames()
    {
        var datagram = new List<byte>();
        datagram.AddRange(Message(LinkMessages.NewLink, index: 7, flags: LinkMessages.IffUp | LinkMessages.IffLowerUp | 0x40, "eth0"));
        datagram.AddRange(Message(LinkMessages.NewLink, index: 8, flags: LinkMessages.IffUp, "snv0123456789ab"));
        datagram.AddRange(Message(LinkMessages.DelLink, index: 9, flags: LinkMessages.IffUp | LinkMessages.IffLowerUp, "w0"));
        datagram.AddRange(Message(LinkMessages.Done, index: 0, flags: 0, "x"));
        var statuses = new List<LinkStatus>();

        LinkMessages.Parse(datagram.ToArray(), statuses);

        Assert.Equal([new LinkStatus(7, "eth0", true), new LinkStatus(8, "snv0123456789ab", false), new LinkStatus(9, "w0", false)], statuses);
    }

    [Fact]
    public void ATruncatedMessageEndsTheWalk()
    {
        var message = Message(LinkMessages.NewLink, index: 3, flags: LinkMessages.IffUp | LinkMessages.IffLowerUp, "eth1");
        var statuses = new List<LinkStatus>();

        LinkMessages.Parse(message.AsSpan(0, message.Length - 4), statuses);
        LinkMessages.Parse(message.AsSpan(0, 10), statuses);

        Assert.Empty(statuses);
    }

    [Fact]
    public void TheRequestAsksForOneInterfaceByName()
    {
        var buffer = new byte[64];

        var length = LinkMessages.WriteRequest(buffer, "eth0", sequence: 5);

        Assert.Equal(
            [
                44, 0, 0, 0, 18, 0, 1, 0, 5, 0, 0, 0, 0, 0, 0, 0, // nlmsghdr: length 44, RTM_GETLINK, NLM_F_REQUEST, sequence 5
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // ifinfomsg: any family, index 0
                9, 0, 3, 0, (byte)'e', (byte)'t', (byte)'h', (byte)'0', 0, 0, 0, 0, // IFLA_IFNAME "eth0\0", padded
            ],
            buffer[..length]);
    }

    /// <summary>A link message as the kernel sends it, with an IFLA_MTU attribute before the name.</summary>
    private static byte[] Message(ushort type, int index, uint flags, string name)
    {
        var nameLength = name.Length + 1;
        var length = 16 + 16 + 8 + ((4 + nameLength + 3) & ~3);
        var message = new byte[length];
        var span = message.AsSpan();
        MemoryMarshal.Write(span, (uint)length);
        MemoryMarshal.Write(span[4..], type);
        MemoryMarshal.Write(span[20..], index);
        MemoryMarshal.Write(span[24..], flags);
        MemoryMarshal.Write(span[32..], (ushort)8);
        MemoryMarshal.Write(span[34..], (ushort)4); // IFLA_MTU
        MemoryMarshal.Write(span[36..], 1500u);
        MemoryMarshal.Write(span[40..], (ushort)(4 + nameLength));
        MemoryMarshal.Write(span[42..], (ushort)3); // IFLA_IFNAME
        System.Text.Encoding.ASCII.GetBytes(name, span[44..]);
        return message;
    }
}
