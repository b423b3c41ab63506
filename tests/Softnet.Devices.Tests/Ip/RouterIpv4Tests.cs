using Softnet.DataPlane;
using Softnet.Devices.Ip;
using Softnet.Wire;

namespace Softnet.Devices.Tests.Ip;

public sealed class RouterIpv4Tests
{
    private static readonly MacAddress H1Mac = MacAddress.Parse("02:00:00:00:00:0a");
    private static readonly MacAddress H2Mac = MacAddress.Parse("02:00:00:00:00:0b");
    private static readonly Ipv4Address H1 = Ipv4Address.Parse("10.0.1.10");
    private static readonly Ipv4Address H2 = Ipv4Address.Parse("10.0.2.10");
    private static readonly Ipv4Address R1Eth0 = Ipv4Address.Parse("10.0.1.1");
    private static readonly Ipv4Address R1Eth1 = Ipv4Address.Parse("10.0.2.1");

    private readonly TestNet _net = new();
    private readonly Router _router;
    private readonly Probe _p0;
    private readonly Probe _p1;

    public RouterIpv4Tests()
    {
        _router = _net.Add(new Router("r1", _net.Pool));
        _router.AddInterface("eth0");
        _router.AddInterface("eth1");
        _router.AddAddress("eth0", "10.0.1.1/24");
        _router.AddAddress("eth1", "10.0.2.1/24");
        _p0 = _net.Probe(_router.Port("eth0"));
        _p1 = _net.Probe(_router.Port("eth1"));
    }

    private MacAddress Eth0 => _router.Port("eth0").Mac;
    private MacAddress Eth1 => _router.Port("eth1").Mac;

    [Fact]
    public void Answers_an_arp_request_for_its_address_byte_for_byte()
    {
        _p0.Send(Frames.Arp(ArpOperation.Request, H1Mac, H1, MacAddress.Zero, R1Eth0, MacAddress.Broadcast));
        _net.Run();

        var reply = Assert.Single(_p0.Received());
        Assert.Equal(Frames.Arp(ArpOperation.Reply, Eth0, R1Eth0, H1Mac, H1, H1Mac), reply);
    }

    [Fact]
    public void Ignores_arp_for_addresses_it_does_not_own()
    {
        _p0.Send(Frames.Arp(ArpOperation.Request, H1Mac, H1, MacAddress.Zero, Ipv4Address.Parse("10.0.1.99"), MacAddress.Broadcast));
        _net.Run();

        Assert.Empty(_p0.Received());
        Assert.Equal(1, Counter("arp-input", "not-for-us"));
    }

    [Fact]
    public void Forwards_after_resolving_the_next_hop_with_exact_rewrite()
    {
        var payload = "hello through softnet"u8.ToArray();
        _p0.Send(Frames.Udp4(Eth0, H1Mac, H1, H2, 40000, 5001, payload, ttl: 64));
        _net.Run();

        var request = Assert.Single(_p1.Received());
        Assert.Equal(Frames.Arp(ArpOperation.Request, Eth1, R1Eth1, MacAddress.Zero, H2, MacAddress.Broadcast), request);
        Assert.Equal(1, _router.Graph.Elements.Single(e => e.Name == "ip4-rewrite").Counters.Held);

        _p1.Send(Frames.Arp(ArpOperation.Reply, H2Mac, H2, Eth1, R1Eth1, Eth1));
        _net.Run();

        var forwarded = Assert.Single(_p1.Received());
        Assert.Equal(Frames.Udp4(H2Mac, Eth1, H1, H2, 40000, 5001, payload, ttl: 63), forwarded);

        _p0.Send(Frames.Udp4(Eth0, H1Mac, H1, H2, 40000, 5001, payload, ttl: 9));
        _net.Run();
        Assert.Equal(Frames.Udp4(H2Mac, Eth1, H1, H2, 40000, 5001, payload, ttl: 8), Assert.Single(_p1.Received()));
        // The ARP request and the two forwarded datagrams.
        Assert.Equal(3, _router.Port("eth1").Counters.TxPackets);
    }

    [Fact]
    public void Ttl_expiry_is_answered_with_time_exceeded_quoting_the_datagram()
    {
        LearnH1();
        var original = Frames.Udp4(Eth0, H1Mac, H1, H2, 40000, 33434, new byte[12], ttl: 1);
        _p0.Send(original);
        _net.Run();

        var error = Assert.Single(_p0.Received());
        Assert.Equal(IcmpError(Icmpv4Type.TimeExceeded, Icmpv4Code.TtlExceeded, 0, original[14..]), error);
        Assert.Empty(_p1.Received());
    }

    [Fact]
    public void No_route_is_answered_with_net_unreachable()
    {
        LearnH1();
        var original = Frames.Udp4(Eth0, H1Mac, H1, Ipv4Address.Parse("198.51.100.7"), 1, 2, new byte[4]);
        _p0.Send(original);
        _net.Run();

        Assert.Equal(IcmpError(Icmpv4Type.DestinationUnreachable, Icmpv4Code.Net, 0, original[14..]), Assert.Single(_p0.Received()));
    }

    [Fact]
    public void Too_big_with_dont_fragment_is_answered_with_fragmentation_needed_and_the_mtu()
    {
        LearnH1();
        LearnH2();
        _router.Port("eth1").Mtu = 1000;
        var original = Frames.Udp4(Eth0, H1Mac, H1, H2, 1, 2, new byte[1200], dontFragment: true);
        _p0.Send(original);
        _net.Run();

        Assert.Equal(IcmpError(Icmpv4Type.DestinationUnreachable, Icmpv4Code.FragmentationNeeded, 1000, original[14..(14 + 548)]), Assert.Single(_p0.Received()));
        Assert.Empty(_p1.Received());
    }

    [Fact]
    public void Too_big_without_dont_fragment_is_fragmented_and_reassembles_to_the_original()
    {
        LearnH2();
        _router.Port("eth1").Mtu = 576;
        var data = Enumerable.Range(0, 1400).Select(i => (byte)(i * 7)).ToArray();
        var original = Frames.Udp4(Eth0, H1Mac, H1, H2, 1, 2, data);
        _p0.Send(original);
        _net.Run();

        var fragments = _p1.Received();
        Assert.Equal(3, fragments.Count);
        var reassembled = new byte[8 + 1400];
        foreach (var fragment in fragments)
        {
            Assert.True(fragment.Length - 14 <= 576);
            Assert.True(Ipv4Packet.TryCreate(fragment.AsSpan(14), out var ip));
            Assert.True(ip.VerifyChecksum());
            Assert.Equal(63, ip.TimeToLive);
            Assert.Equal(0x1234, ip.Identification);
            Assert.Equal(ip.FragmentOffset + ip.Payload.Length < reassembled.Length, ip.MoreFragments);
            Assert.Equal(0, ip.Payload.Length % 8 == 0 || !ip.MoreFragments ? 0 : 1);
            ip.Payload.CopyTo(reassembled.AsSpan(ip.FragmentOffset));
        }
        Assert.Equal(original[(14 + 20)..], reassembled);
        Assert.Equal(1, Counter("ip4-fragment", "fragmented"));
    }

    [Fact]
    public void Answers_pings_to_its_own_addresses()
    {
        LearnH1();
        _p0.Send(Frames.Echo4(Eth0, H1Mac, H1, R1Eth1, 0x77, 3));
        _net.Run();

        var reply = Assert.Single(_p0.Received());
        Assert.True(Ipv4Packet.TryCreate(reply.AsSpan(14), out var ip));
        Assert.True(ip.VerifyChecksum());
        Assert.Equal((R1Eth1, H1, (byte)64), (ip.Source, ip.Destination, ip.TimeToLive));
        Assert.True(Icmpv4Packet.TryCreate(ip.Payload, out var icmp));
        Assert.True(icmp.VerifyChecksum());
        Assert.Equal((Icmpv4Type.EchoReply, (ushort)0x77, (ushort)3), (icmp.Type, icmp.Identifier, icmp.SequenceNumber));
        Assert.Equal("softnet!"u8.ToArray(), icmp.Data.ToArray());
        var oracle = PacketDotNet.Packet.ParsePacket(PacketDotNet.LinkLayers.Ethernet, reply).Extract<PacketDotNet.IcmpV4Packet>();
        Assert.True(oracle.ValidIcmpChecksum);
    }

    [Fact]
    public void Udp_to_the_router_gets_port_unreachable()
    {
        LearnH1();
        var original = Frames.Udp4(Eth0, H1Mac, H1, R1Eth0, 5555, 161, new byte[3]);
        _p0.Send(original);
        _net.Run();

        Assert.Equal(IcmpError(Icmpv4Type.DestinationUnreachable, Icmpv4Code.Port, 0, original[14..]), Assert.Single(_p0.Received()));
    }

    [Fact]
    public void Ecmp_keeps_each_flow_on_one_path_and_spreads_flows_over_all_paths()
    {
        _router.AddInterface("eth2");
        _router.AddAddress("eth2", "10.0.3.1/24");
        var p2 = _net.Probe(_router.Port("eth2"));
        var gw1 = Ipv4Address.Parse("10.0.2.254");
        var gw2 = Ipv4Address.Parse("10.0.3.254");
        _router.AddRoute(Ipv4Prefix.Parse("192.0.2.0/24"), ("eth1", gw1), ("eth2", gw2));
        Resolve(_p1, gw1, R1Eth1, Eth1);
        Resolve(p2, gw2, Ipv4Address.Parse("10.0.3.1"), _router.Port("eth2").Mac);

        var perFlow = new Dictionary<ushort, int>();
        for (var round = 0; round < 3; round++)
        {
            for (ushort flow = 0; flow < 200; flow++)
            {
                _p0.Send(Frames.Udp4(Eth0, H1Mac, H1, Ipv4Address.Parse("192.0.2.9"), (ushort)(10000 + flow), 80, new byte[8]));
                _net.Run();
                var via1 = _p1.Received().Count;
                var via2 = p2.Received().Count;
                Assert.Equal(1, via1 + via2);
                var path = via1 == 1 ? 1 : 2;
                if (round == 0) perFlow[flow] = path;
                else Assert.Equal(perFlow[flow], path);
            }
        }
        var onFirst = perFlow.Values.Count(p => p == 1);
        Assert.InRange(onFirst, 60, 140);
    }

    [Fact]
    public void Packets_wait_in_a_bounded_queue_and_get_host_unreachable_when_resolution_fails()
    {
        LearnH1();
        for (var i = 0; i < Adjacency.MaxPending + 10; i++) _p0.Send(Frames.Udp4(Eth0, H1Mac, H1, H2, 1, (ushort)i, new byte[4]));
        _net.Run();

        Assert.Single(_p1.Received());
        Assert.Equal(10, Counter("ip4-rewrite", "resolution-queue-full"));

        _net.Elapse(TimeSpan.FromSeconds(4), TimeSpan.FromMilliseconds(250));
        var requests = _p1.Received();
        Assert.Equal(IpStack.MaxSolicitations - 1, requests.Count);
        var errors = _p0.Received();
        Assert.Equal(Adjacency.MaxPending, errors.Count);
        Assert.All(errors, e =>
        {
            var icmp = Icmpv4Packet.CreateUnchecked(e.AsSpan(14 + 20));
            Assert.Equal((Icmpv4Type.DestinationUnreachable, Icmpv4Code.Host), (icmp.Type, icmp.Code));
        });
        Assert.Equal(_net.Pool.Capacity, _net.Pool.Available);
    }

    [Fact]
    public void Malformed_and_corrupt_frames_are_dropped_and_counted_never_thrown()
    {
        var good = Frames.Udp4(Eth0, H1Mac, H1, H2, 1, 2, new byte[20]);
        var badChecksum = (byte[])good.Clone();
        badChecksum[14 + 10] ^= 0xFF;
        _p0.Send(badChecksum);
        _p0.Send(good[..30]);
        _net.Run();
        Assert.Equal(1, Counter("ip4-input", "bad-checksum"));
        Assert.Equal(1, Counter("ip4-input", "malformed"));

        var random = new Random(3);
        for (var i = 0; i < 5000; i++)
        {
            var frame = new byte[random.Next(1, 200)];
            random.NextBytes(frame);
            if (frame.Length > 14 && i % 2 == 0)
            {
                Eth0.WriteTo(frame);
                frame[12] = (byte)(i % 4 == 0 ? 0x86 : 0x08);
                frame[13] = (byte)(i % 4 == 0 ? 0xDD : i % 8 == 2 ? 0x06 : 0x00);
                if (frame[13] == 0x00 && frame.Length > 15) frame[14] = 0x45;
            }
            _p0.Send(frame);
            _net.Run();
        }
        _p0.Received();
        _p1.Received();

        var received = _router.Port("eth0").Counters.RxPackets;
        Assert.Equal(5002, received);
        var accounted = _router.Graph.Elements.Single(e => e.Name == "ethernet-input").Counters;
        Assert.Equal(received, accounted.Received);
        Assert.Equal(_net.Pool.Capacity, _net.Pool.Available + PendingInQueues());
    }

    private int PendingInQueues() => _router.Stack.Adjacencies.Sum(a => a.PendingCount);

    private byte[] IcmpError(byte type, byte code, uint rest, ReadOnlySpan<byte> quoted)
    {
        var icmp = new Icmpv4Repr(type, code, rest, quoted.Length);
        var ip = new Ipv4Repr(R1Eth0, H1, IpProtocol.Icmp, icmp.BufferLength);
        var bytes = new byte[ip.BufferLength];
        ip.Emit(Ipv4Packet.CreateUnchecked(bytes));
        var view = Icmpv4Packet.CreateUnchecked(bytes.AsSpan(ip.HeaderLength));
        icmp.Emit(view);
        quoted.CopyTo(view.Data);
        view.FillChecksum();
        return Frames.Ethernet(H1Mac, Eth0, EtherType.Ipv4, bytes);
    }

    private void LearnH1()
    {
        _p0.Send(Frames.Arp(ArpOperation.Request, H1Mac, H1, MacAddress.Zero, R1Eth0, MacAddress.Broadcast));
        _net.Run();
        Assert.Single(_p0.Received());
    }

    private void LearnH2() => Resolve(_p1, H2, R1Eth1, Eth1, H2Mac);

    private void Resolve(Probe probe, Ipv4Address neighbor, Ipv4Address routerAddress, MacAddress routerMac, MacAddress? neighborMac = null)
    {
        var mac = neighborMac ?? MacAddress.Parse("02:00:00:00:01:" + (neighbor.Value & 0xFF).ToString("x2"));
        probe.Send(Frames.Arp(ArpOperation.Request, mac, neighbor, MacAddress.Zero, routerAddress, MacAddress.Broadcast));
        _net.Run();
        Assert.Single(probe.Received());
    }

    private long Counter(string element, string reason)
    {
        var e = _router.Graph.Elements.Single(x => x.Name == element);
        return e.Counters.Dropped(e.DropReasons.ToList().IndexOf(reason));
    }
}
