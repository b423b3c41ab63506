using Softnet.Devices.Gateway;
using Softnet.Wire;
using static Softnet.Devices.Tests.Gateway.GatewayFrames;

namespace Softnet.Devices.Tests.Gateway;

/// <summary>A full flow table, malformed and truncated packets, and fragments: dropped and counted, never thrown on.</summary>
public sealed class GatewayRobustnessTests
{
    private static GatewayRig Rig(GatewayOptions? options = null)
    {
        var rig = new GatewayRig(options);
        rig.Route("10.1.0.0/16", "blue");
        rig.Route("10.2.0.0/16", "red");
        rig.Gateway.AddRule(new GatewayRule("blue", "red", GatewayPrefix.Any, GatewayPrefix.Any));
        return rig;
    }

    [Fact]
    public void A_full_flow_table_drops_new_flows_and_counts_them_while_existing_flows_go_on()
    {
        var rig = Rig(new GatewayOptions { FlowCapacity = 3, FlowIdleTimeout = TimeSpan.FromSeconds(5) });
        for (var port = 1; port <= 5; port++) rig.Blue.Send(rig.FromBlue(Tcp4("10.1.0.5", "10.2.0.7", (ushort)port, 80)));
        rig.Net.Run();

        Assert.Equal(3, rig.Red.Received().Count);
        Assert.Equal(2, rig.Counter("gateway-ip4", "flow-table-full"));
        Assert.Equal(3, rig.Gateway.FlowCount);
        Assert.Equal(3, rig.Gateway.RuleHits(0));
        // Flows already open still carry their packets and replies.
        Assert.Single(rig.Exchange(rig.Blue, rig.FromBlue(Tcp4("10.1.0.5", "10.2.0.7", 1, 80, TcpFlags.Ack))).Red);
        Assert.Single(rig.Exchange(rig.Red, rig.FromRed(Tcp4("10.2.0.7", "10.1.0.5", 80, 3, TcpFlags.Ack))).Blue);

        // Once they are idle past the timeout, ageing frees them for new flows.
        rig.Net.Elapse(TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(1));
        Assert.Equal(0, rig.Gateway.FlowCount);
        Assert.Single(rig.Exchange(rig.Blue, rig.FromBlue(Tcp4("10.1.0.5", "10.2.0.7", 4, 80))).Red);
        Assert.Equal(1, rig.Gateway.FlowCount);
    }

    [Fact]
    public void Many_flows_opened_and_aged_keep_the_table_consistent()
    {
        var rig = Rig(new GatewayOptions { FlowCapacity = 64, FlowIdleTimeout = TimeSpan.FromSeconds(2) });
        var random = new Random(64);
        var open = new HashSet<ushort>();
        for (var round = 0; round < 20; round++)
        {
            foreach (var port in Enumerable.Range(0, 48).Select(_ => (ushort)random.Next(1, 200)).Distinct())
            {
                rig.Blue.Send(rig.FromBlue(Udp4("10.1.0.5", "10.2.0.7", port, 53, [1])));
                open.Add(port);
            }
            rig.Net.Run();
            rig.Red.Received();
            // Every flow open this round answers; a port never used answers nothing.
            foreach (var port in open) rig.Red.Send(rig.FromRed(Udp4("10.2.0.7", "10.1.0.5", 53, port, [2])));
            rig.Red.Send(rig.FromRed(Udp4("10.2.0.7", "10.1.0.5", 53, 999, [2])));
            rig.Net.Run();
            Assert.Equal(open.Count, rig.Blue.Received().Count);
            Assert.Equal(open.Count, rig.Gateway.FlowCount);
            rig.Net.Elapse(TimeSpan.FromSeconds(3), TimeSpan.FromMilliseconds(500));
            Assert.Equal(0, rig.Gateway.FlowCount);
            open.Clear();
        }
        Assert.Equal(0, rig.Counter("gateway-ip4", "flow-table-full"));
        Assert.Equal(20, rig.Counter("gateway-ip4", "denied-no-rule"));
    }

    [Fact]
    public void Truncated_transport_headers_and_fragments_are_dropped_and_counted()
    {
        var rig = Rig();
        // A TCP header cut to 12 bytes, with the IP total length saying so.
        var tcp = rig.FromBlue(Tcp4("10.1.0.5", "10.2.0.7", 40000, 80));
        var shortTcp = Truncate(tcp, EthernetFrame.HeaderLength + Ipv4Packet.MinHeaderLength + 12);
        // A UDP length beyond the datagram, and an ICMP message of 4 bytes.
        var udp = rig.FromBlue(Udp4("10.1.0.5", "10.2.0.7", 5000, 53, [1, 2, 3, 4]));
        UdpPacket.CreateUnchecked(udp.AsSpan(EthernetFrame.HeaderLength + Ipv4Packet.MinHeaderLength)).Length = 200;
        var shortIcmp = Truncate(rig.FromBlue(Echo4("10.1.0.5", "10.2.0.7", 1)), EthernetFrame.HeaderLength + Ipv4Packet.MinHeaderLength + 4);
        // A fragment (offset 8 bytes).
        var fragment = rig.FromBlue(Udp4("10.1.0.5", "10.2.0.7", 5000, 53, [1, 2, 3, 4]));
        var ip = Ipv4Packet.CreateUnchecked(fragment.AsSpan(EthernetFrame.HeaderLength));
        ip.FragmentOffset = 8;
        ip.FillChecksum();
        // An IPv6 TCP header cut to 10 bytes.
        rig.Route("2001:db8:e::/48", "red");
        var shortTcp6 = Truncate(rig.FromBlue(Tcp6("2001:db8:b::5", "2001:db8:e::7", 40000, 80)), EthernetFrame.HeaderLength + Ipv6Packet.HeaderLength + 10);

        foreach (var frame in new[] { shortTcp, udp, shortIcmp, fragment, shortTcp6 }) rig.Blue.Send(frame);
        rig.Net.Run();

        Assert.Empty(rig.Red.Received());
        Assert.Equal(3, rig.Counter("gateway-ip4", "malformed"));
        Assert.Equal(1, rig.Counter("gateway-ip4", "fragment"));
        Assert.Equal(1, rig.Counter("gateway-ip6", "malformed"));
        Assert.Equal(0, rig.Gateway.FlowCount);
        Assert.Equal(0, rig.Net.Pool.InUse);
    }

    [Fact]
    public void Random_corruption_never_throws_and_every_packet_is_accounted_for()
    {
        var rig = Rig();
        rig.Route("2001:db8:e::/48", "red");
        rig.Gateway.AddNat(new GatewayNat("red", Ipv4Prefix.Parse("10.2.0.0/16"), Ipv4Prefix.Parse("10.9.0.0/16")));
        rig.Route("10.9.0.0/16", "red");
        var templates = new[]
        {
            rig.FromBlue(Tcp4("10.1.0.5", "10.9.0.7", 40000, 80, payload: [1, 2, 3])),
            rig.FromBlue(Udp4("10.1.0.5", "10.2.0.7", 5000, 53, [1, 2, 3, 4, 5])),
            rig.FromBlue(Echo4("10.1.0.5", "10.9.0.7", 9)),
            rig.FromBlue(Tcp6("2001:db8:b::5", "2001:db8:e::7", 40000, 80)),
            rig.FromBlue(Echo6("2001:db8:b::5", "2001:db8:e::7", 9)),
        };
        var random = new Random(4);
        for (var i = 0; i < 5000; i++)
        {
            var frame = (byte[])templates[i % templates.Length].Clone();
            // Corrupt a byte past the Ethernet header (and fix the IPv4 header checksum, so that the gateway sees it), or cut the frame.
            if (random.Next(2) == 0) frame = Truncate(frame, random.Next(EthernetFrame.HeaderLength, frame.Length));
            else
            {
                frame[random.Next(EthernetFrame.HeaderLength, frame.Length)] = (byte)random.Next(256);
                if (EthernetFrame.CreateUnchecked(frame).EtherType == EtherType.Ipv4 && Ipv4Packet.TryCreate(frame.AsSpan(EthernetFrame.HeaderLength), out var ip)) ip.FillChecksum();
            }
            rig.Blue.Send(frame);
            if (i % 100 == 99) rig.Net.Run();
        }
        rig.Net.Run();
        rig.Red.Received();
        rig.Blue.Received();

        Assert.Equal(0, rig.Net.Pool.InUse);
        var entry = rig.Gateway.Graph.Elements.Single(e => e.Name == "ethernet-input");
        Assert.Equal(5000, entry.Counters.Received);
    }

    /// <summary>The frame cut to <paramref name="length"/> bytes, its IP length fields saying so.</summary>
    private static byte[] Truncate(byte[] frame, int length)
    {
        var cut = frame.AsSpan(0, length).ToArray();
        var network = cut.AsSpan(EthernetFrame.HeaderLength);
        if (EthernetFrame.CreateUnchecked(cut).EtherType == EtherType.Ipv4 && network.Length >= Ipv4Packet.MinHeaderLength)
        {
            var ip = Ipv4Packet.CreateUnchecked(network);
            ip.TotalLength = (ushort)network.Length;
            ip.FillChecksum();
        }
        else if (EthernetFrame.CreateUnchecked(cut).EtherType == EtherType.Ipv6 && network.Length >= Ipv6Packet.HeaderLength)
        {
            Ipv6Packet.CreateUnchecked(network).PayloadLength = (ushort)(network.Length - Ipv6Packet.HeaderLength);
        }
        return cut;
    }
}
