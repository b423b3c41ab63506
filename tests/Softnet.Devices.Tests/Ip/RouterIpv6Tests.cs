using Softnet.Devices.Ip;
using Softnet.Wire;

namespace Softnet.Devices.Tests.Ip;

public sealed class RouterIpv6Tests
{
    private static readonly MacAddress H1Mac = MacAddress.Parse("02:00:00:00:00:0a");
    private static readonly MacAddress H2Mac = MacAddress.Parse("02:00:00:00:00:0b");
    private static readonly Ipv6Address H1 = Ipv6Address.Parse("2001:db8:1::10");
    private static readonly Ipv6Address H2 = Ipv6Address.Parse("2001:db8:2::10");
    private static readonly Ipv6Address R1Eth0 = Ipv6Address.Parse("2001:db8:1::1");
    private static readonly Ipv6Address R1Eth1 = Ipv6Address.Parse("2001:db8:2::1");

    private readonly TestNet _net = new();
    private readonly Router _router;
    private readonly Probe _p0;
    private readonly Probe _p1;

    public RouterIpv6Tests()
    {
        _router = _net.Add(new Router("r1", _net.Pool));
        _router.AddInterface("eth0");
        _router.AddInterface("eth1");
        _router.AddAddress("eth0", "2001:db8:1::1/64");
        _router.AddAddress("eth1", "2001:db8:2::1/64");
        _p0 = _net.Probe(_router.Port("eth0"));
        _p1 = _net.Probe(_router.Port("eth1"));
    }

    private MacAddress Eth0 => _router.Port("eth0").Mac;
    private MacAddress Eth1 => _router.Port("eth1").Mac;

    [Fact]
    public void Answers_a_neighbor_solicitation_with_a_solicited_advertisement_byte_for_byte()
    {
        var group = R1Eth0.SolicitedNodeMulticast;
        _p0.Send(Frames.NeighborMessage(MacAddress.FromIpv6Multicast(group), H1Mac, H1, group, NdpRepr.Solicitation(R1Eth0, H1Mac)));
        _net.Run();

        var advertisement = Assert.Single(_p0.Received());
        var expected = Frames.NeighborMessage(H1Mac, Eth0, R1Eth0, H1, NdpRepr.Advertisement(R1Eth0, Eth0, router: true, solicited: true, @override: true));
        Assert.Equal(expected, advertisement);
    }

    [Fact]
    public void Forwards_after_neighbor_discovery_with_the_hop_limit_decremented()
    {
        var payload = "v6 through softnet"u8.ToArray();
        _p0.Send(Frames.Udp6(Eth0, H1Mac, H1, H2, 40000, 5001, payload, hopLimit: 64));
        _net.Run();

        var group = H2.SolicitedNodeMulticast;
        var solicitation = Assert.Single(_p1.Received());
        Assert.Equal(Frames.NeighborMessage(MacAddress.FromIpv6Multicast(group), Eth1, R1Eth1, group, NdpRepr.Solicitation(H2, Eth1)), solicitation);

        _p1.Send(Frames.NeighborMessage(Eth1, H2Mac, H2, R1Eth1, NdpRepr.Advertisement(H2, H2Mac, router: false, solicited: true, @override: true)));
        _net.Run();

        Assert.Equal(Frames.Udp6(H2Mac, Eth1, H1, H2, 40000, 5001, payload, hopLimit: 63), Assert.Single(_p1.Received()));
    }

    [Fact]
    public void Hop_limit_expiry_and_packet_too_big_are_answered_with_icmpv6_errors()
    {
        LearnH1();
        LearnH2();
        var expiring = Frames.Udp6(Eth0, H1Mac, H1, H2, 1, 2, new byte[8], hopLimit: 1);
        _p0.Send(expiring);
        _router.Port("eth1").Mtu = 1280;
        var big = Frames.Udp6(Eth0, H1Mac, H1, H2, 1, 2, new byte[1400]);
        _p0.Send(big);
        _net.Run();

        var errors = _p0.Received();
        Assert.Equal(2, errors.Count);
        Assert.Equal(IcmpError(Icmpv6Type.TimeExceeded, 0, 0, expiring[14..]), errors[0]);
        Assert.Equal(IcmpError(Icmpv6Type.PacketTooBig, 0, 1280, big[14..(14 + 1280 - 48)]), errors[1]);
        Assert.Empty(_p1.Received());
    }

    [Fact]
    public void Answers_ping6_and_gives_port_unreachable_for_udp()
    {
        LearnH1();
        var udp = Frames.Udp6(Eth0, H1Mac, H1, R1Eth0, 5555, 161, new byte[3]);
        _p0.Send(udp);
        _net.Run();
        Assert.Equal(IcmpError(Icmpv6Type.DestinationUnreachable, 4, 0, udp[14..]), Assert.Single(_p0.Received()));

        var echo = new Icmpv6Repr(Icmpv6Type.EchoRequest, 0, 0x0042_0007, 4);
        var ip = new Ipv6Repr(H1, R1Eth1, IpProtocol.Icmpv6, echo.BufferLength);
        var bytes = new byte[ip.BufferLength];
        ip.Emit(Ipv6Packet.CreateUnchecked(bytes));
        echo.Emit(Icmpv6Packet.CreateUnchecked(bytes.AsSpan(40)), H1, R1Eth1);
        _p0.Send(Frames.Ethernet(Eth0, H1Mac, EtherType.Ipv6, bytes));
        _net.Run();

        var reply = Assert.Single(_p0.Received());
        Assert.True(Ipv6Packet.TryCreate(reply.AsSpan(14), out var replyIp));
        Assert.Equal((R1Eth1, H1), (replyIp.Source, replyIp.Destination));
        Assert.True(Icmpv6Packet.TryCreate(replyIp.Payload, out var icmp));
        Assert.True(icmp.VerifyChecksum(R1Eth1, H1));
        Assert.Equal((Icmpv6Type.EchoReply, (ushort)0x42, (ushort)7), (icmp.Type, icmp.Identifier, icmp.SequenceNumber));
    }

    [Fact]
    public void Link_local_traffic_is_never_forwarded_off_its_link()
    {
        LearnH2();
        _p0.Send(Frames.Udp6(Eth0, H1Mac, Ipv6Address.Parse("fe80::10"), H2, 1, 2, new byte[4]));
        _net.Run();
        Assert.Empty(_p1.Received());
        var lookup = _router.Graph.Elements.Single(e => e.Name == "ip6-lookup");
        Assert.Equal(1, lookup.Counters.Dropped(lookup.DropReasons.ToList().IndexOf("link-local-scope")));
    }

    [Fact]
    public void An_unanswered_reply_to_a_link_local_ping_is_dropped_without_errors_about_itself()
    {
        var h1LinkLocal = Ipv6Address.LinkLocalFromMac(H1Mac);
        var routerLinkLocal = _router.Stack.Interface(0).LinkLocal;
        var echo = new Icmpv6Repr(Icmpv6Type.EchoRequest, 0, 0x0001_0001, 0);
        var ip = new Ipv6Repr(h1LinkLocal, routerLinkLocal, IpProtocol.Icmpv6, echo.BufferLength);
        var bytes = new byte[ip.BufferLength];
        ip.Emit(Ipv6Packet.CreateUnchecked(bytes));
        echo.Emit(Icmpv6Packet.CreateUnchecked(bytes.AsSpan(40)), h1LinkLocal, routerLinkLocal);
        _p0.Send(Frames.Ethernet(Eth0, H1Mac, EtherType.Ipv6, bytes));
        _net.Run();
        _net.Elapse(TimeSpan.FromSeconds(8), TimeSpan.FromMilliseconds(250));

        var sent = _p0.Received();
        Assert.Equal(IpStack.MaxSolicitations, sent.Count);
        Assert.All(sent, frame =>
        {
            Assert.True(NdpNeighborMessage.TryCreate(frame.AsSpan(14 + 40), out var ns));
            Assert.Equal(h1LinkLocal, ns.TargetAddress);
        });
        var error = _router.Graph.Elements.Single(e => e.Name == "ip6-icmp-address-unreachable");
        Assert.Equal(1, error.Counters.Dropped(0));
        Assert.Equal(_net.Pool.Capacity, _net.Pool.Available);
    }

    private byte[] IcmpError(byte type, byte code, uint rest, ReadOnlySpan<byte> quoted)
    {
        var icmp = new Icmpv6Repr(type, code, rest, quoted.Length);
        var ip = new Ipv6Repr(R1Eth0, H1, IpProtocol.Icmpv6, icmp.BufferLength);
        var bytes = new byte[ip.BufferLength];
        ip.Emit(Ipv6Packet.CreateUnchecked(bytes));
        var view = Icmpv6Packet.CreateUnchecked(bytes.AsSpan(ip.HeaderLength));
        quoted.CopyTo(view.Data);
        icmp.Emit(view, R1Eth0, H1);
        return Frames.Ethernet(H1Mac, Eth0, EtherType.Ipv6, bytes);
    }

    private void LearnH1()
    {
        var group = R1Eth0.SolicitedNodeMulticast;
        _p0.Send(Frames.NeighborMessage(MacAddress.FromIpv6Multicast(group), H1Mac, H1, group, NdpRepr.Solicitation(R1Eth0, H1Mac)));
        _net.Run();
        Assert.Single(_p0.Received());
    }

    private void LearnH2()
    {
        var group = R1Eth1.SolicitedNodeMulticast;
        _p1.Send(Frames.NeighborMessage(MacAddress.FromIpv6Multicast(group), H2Mac, H2, group, NdpRepr.Solicitation(R1Eth1, H2Mac)));
        _net.Run();
        Assert.Single(_p1.Received());
    }
}
