using System.Net;
using Softnet.DataPlane.Pcap;
using Softnet.Devices.Ip;
using Softnet.Wire;

namespace Softnet.Devices.Tests.Ip;

public sealed class HostTests
{
    [Fact]
    public void Two_hosts_on_a_link_resolve_each_other_and_exchange_udp_both_ways()
    {
        var net = new TestNet();
        var (a, b) = Pair(net);
        a.Endpoints.BindUdp(7);
        b.Endpoints.BindUdp(9);

        Assert.True(a.SendUdp(Ipv4Address.Parse("10.0.0.2"), 1234, 9, "to b"u8));
        net.Run();
        Assert.True(b.Endpoints.TryReceiveUdp(9, out var atB));
        Assert.Equal("to b"u8.ToArray(), atB.Payload);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.0.0.1"), 1234), atB.Source);

        Assert.True(b.SendUdp(Ipv4Address.Parse("10.0.0.1"), 9, 7, "to a"u8));
        net.Run();
        Assert.True(a.Endpoints.TryReceiveUdp(7, out var atA));
        Assert.Equal("to a"u8.ToArray(), atA.Payload);
        Assert.False(a.Endpoints.TryReceiveUdp(7, out _));
    }

    [Fact]
    public void A_host_answers_ping_and_ping6_over_its_link_local_and_global_addresses()
    {
        var net = new TestNet();
        var (a, b) = Pair(net);

        a.Ping(Ipv4Address.Parse("10.0.0.2"), 1, 1);
        a.Ping(Ipv6Address.Parse("2001:db8::2"), 2, 2);
        a.Ping(b.Stack.Interface(0).LinkLocal, 3, 3);
        net.Run();

        var replies = new List<EchoReply>();
        while (a.Endpoints.TryReceiveEchoReply(out var reply)) replies.Add(reply);
        Assert.Equal([1, 2, 3], replies.Select(r => (int)r.Identifier).Order());
        Assert.Contains(replies, r => r.From.Equals(IPAddress.Parse("2001:db8::2")));
        Assert.All(replies, r => Assert.Equal(56, r.DataLength));
    }

    [Fact]
    public void Udp_to_an_unbound_port_comes_back_as_port_unreachable()
    {
        var net = new TestNet();
        var (a, _) = Pair(net);
        a.SendUdp(Ipv4Address.Parse("10.0.0.2"), 1, 4444, "x"u8);
        a.SendUdp(Ipv6Address.Parse("2001:db8::2"), 1, 4444, "x"u8);
        net.Run();

        Assert.True(a.Endpoints.TryReceiveIcmpReport(out var v4));
        Assert.Equal((IpFamily.Ipv4, Icmpv4Type.DestinationUnreachable, Icmpv4Code.Port), (v4.Family, v4.Type, v4.Code));
        Assert.True(a.Endpoints.TryReceiveIcmpReport(out var v6));
        Assert.Equal((IpFamily.Ipv6, Icmpv6Type.DestinationUnreachable, (byte)4), (v6.Family, v6.Type, v6.Code));
    }

    [Fact]
    public void A_host_never_forwards_and_sends_no_error_about_transit_packets()
    {
        var net = new TestNet();
        var host = net.Add(new Host("h", net.Pool));
        host.AddAddress("eth0", "10.0.0.2/24");
        var probe = net.Probe(host.Port("eth0"));
        var sender = MacAddress.Parse("02:00:00:00:00:99");
        probe.Send(Frames.Udp4(host.Port("eth0").Mac, sender, Ipv4Address.Parse("10.0.0.9"), Ipv4Address.Parse("192.0.2.1"), 1, 2, new byte[4]));
        probe.Send(Frames.Udp4(host.Port("eth0").Mac, sender, Ipv4Address.Parse("10.0.0.9"), Ipv4Address.Parse("10.0.0.7"), 1, 2, new byte[4]));
        net.Run();

        Assert.Empty(probe.Received());
        var lookup = host.Graph.Elements.Single(e => e.Name == "ip4-lookup");
        Assert.Equal(2, lookup.Counters.Dropped(lookup.DropReasons.ToList().IndexOf("not-forwarding")));
    }

    [Fact]
    public void A_port_capture_records_every_frame_in_both_directions_as_pcap()
    {
        var net = new TestNet();
        var (a, b) = Pair(net);
        var stream = new MemoryStream();
        var writer = new PcapWriter(stream, leaveOpen: true);
        a.Port("eth0").Capture = writer;
        b.Endpoints.BindUdp(9);

        a.SendUdp(Ipv4Address.Parse("10.0.0.2"), 1, 9, "captured"u8);
        net.Run();
        writer.Flush();

        stream.Position = 0;
        var frames = PcapReader.Read(stream).Select(r => r.Data).ToList();
        Assert.Equal(3, frames.Count);
        Assert.Equal(EtherType.Arp, EthernetFrame.CreateUnchecked(frames[0]).EtherType);
        Assert.Equal(EtherType.Arp, EthernetFrame.CreateUnchecked(frames[1]).EtherType);
        var udp = frames[2];
        Assert.True(Ipv4Packet.TryCreate(udp.AsSpan(14), out var ip));
        Assert.True(UdpPacket.TryCreate(ip.Payload, out var datagram));
        Assert.True(datagram.VerifyChecksum(ip.Source, ip.Destination));
        Assert.Equal("captured"u8.ToArray(), datagram.Payload.ToArray());
        Assert.Equal(a.Port("eth0").Counters.TxPackets + a.Port("eth0").Counters.RxPackets, frames.Count);
    }

    private static (Host A, Host B) Pair(TestNet net)
    {
        var a = net.Add(new Host("a", net.Pool));
        var b = net.Add(new Host("b", net.Pool));
        a.AddAddress("eth0", "10.0.0.1/24");
        a.AddAddress("eth0", "2001:db8::1/64");
        b.AddAddress("eth0", "10.0.0.2/24");
        b.AddAddress("eth0", "2001:db8::2/64");
        net.Link(a.Port("eth0"), b.Port("eth0"));
        return (a, b);
    }
}
