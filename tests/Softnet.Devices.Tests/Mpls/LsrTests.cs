using Softnet.Devices.Ip;
using Softnet.Devices.Mpls;
using Softnet.Wire;

namespace Softnet.Devices.Tests.Mpls;

public sealed class LsrTests
{
    private static readonly MacAddress UpMac = MacAddress.Parse("02:00:00:00:00:01");
    private static readonly MacAddress DownMac = MacAddress.Parse("02:00:00:00:00:02");
    private static readonly Ipv4Address Up = Ipv4Address.Parse("10.0.12.1");
    private static readonly Ipv4Address Down = Ipv4Address.Parse("10.0.23.2");
    private static readonly Ipv4Address Source = Ipv4Address.Parse("10.0.1.10");
    private static readonly Ipv4Address Destination = Ipv4Address.Parse("10.0.2.10");

    private readonly TestNet _net = new();
    private readonly Lsr _lsr;
    private readonly Probe _up;
    private readonly Probe _down;

    public LsrTests()
    {
        _lsr = _net.Add(new Lsr("p1", _net.Pool));
        _lsr.AddInterface("eth0");
        _lsr.AddInterface("eth1");
        _lsr.AddAddress("eth0", "10.0.12.2/30");
        _lsr.AddAddress("eth1", "10.0.23.1/30");
        _lsr.AddStaticNeighbor("eth0", "10.0.12.1", UpMac);
        _lsr.AddStaticNeighbor("eth1", "10.0.23.2", DownMac);
        _up = _net.Probe(_lsr.Port("eth0"));
        _down = _net.Probe(_lsr.Port("eth1"));
    }

    private MacAddress Eth0 => _lsr.Port("eth0").Mac;
    private MacAddress Eth1 => _lsr.Port("eth1").Mac;

    [Fact]
    public void Swaps_the_label_and_decrements_its_ttl_leaving_the_payload_untouched()
    {
        _lsr.AddLabelSwap(new MplsLabel(100), new MplsLabel(200), "eth1", Down);
        var ip = IpPacket(ttl: 64);
        _up.Send(Labelled(Eth0, UpMac, ip, (100, 5, 64)));
        _net.Run();

        Assert.Equal(Labelled(DownMac, Eth1, ip, (200, 5, 63)), Assert.Single(_down.Received()));
    }

    [Fact]
    public void Swaps_only_the_top_label_of_a_stack()
    {
        _lsr.AddLabelSwap(new MplsLabel(100), new MplsLabel(200), "eth1", Down);
        var ip = IpPacket(ttl: 64);
        _up.Send(Labelled(Eth0, UpMac, ip, (100, 0, 30), (7000, 0, 30)));
        _net.Run();

        Assert.Equal(Labelled(DownMac, Eth1, ip, (200, 0, 29), (7000, 0, 30)), Assert.Single(_down.Received()));
    }

    [Fact]
    public void Penultimate_hop_pops_and_copies_the_ttl_into_the_ip_header()
    {
        _lsr.AddLabelSwap(new MplsLabel(300), MplsLabel.ImplicitNull, "eth0", Up);
        _down.Send(Labelled(Eth1, DownMac, IpPacket(ttl: 64), (300, 0, 20)));
        _net.Run();

        Assert.Equal(Frames.Ethernet(UpMac, Eth0, EtherType.Ipv4, IpPacket(ttl: 19)), Assert.Single(_up.Received()));
    }

    [Fact]
    public void Ingress_pushes_the_fec_label_with_the_decremented_ip_ttl()
    {
        _lsr.AddLabelledRoute(Ipv4Prefix.Parse("10.0.2.0/24"), "eth1", Down, new MplsLabel(100));
        _up.Send(Frames.Ethernet(Eth0, UpMac, EtherType.Ipv4, IpPacket(ttl: 64)));
        _net.Run();

        Assert.Equal(Labelled(DownMac, Eth1, IpPacket(ttl: 63), (100, 0, 63)), Assert.Single(_down.Received()));
    }

    [Fact]
    public void Egress_pops_and_routes_the_ip_packet()
    {
        _lsr.AddLabelPopAndLookup(new MplsLabel(200));
        _lsr.AddRoute(Ipv4Prefix.Parse("10.0.2.0/24"), ("eth1", Down));
        _up.Send(Labelled(Eth0, UpMac, IpPacket(ttl: 64), (200, 0, 40)));
        _up.Send(Labelled(Eth0, UpMac, IpPacket(ttl: 64), (0, 0, 40)));
        _net.Run();

        var frames = _down.Received();
        Assert.Equal(2, frames.Count);
        Assert.All(frames, f => Assert.Equal(Frames.Ethernet(DownMac, Eth1, EtherType.Ipv4, IpPacket(ttl: 39)), f));
    }

    [Fact]
    public void Expired_labels_unknown_labels_and_truncated_stacks_are_dropped_and_counted()
    {
        _lsr.AddLabelSwap(new MplsLabel(100), new MplsLabel(200), "eth1", Down);
        _up.Send(Labelled(Eth0, UpMac, IpPacket(ttl: 64), (100, 0, 1)));
        _up.Send(Labelled(Eth0, UpMac, IpPacket(ttl: 64), (555, 0, 64)));
        _up.Send(Labelled(Eth0, UpMac, IpPacket(ttl: 64), (100, 0, 64))[..16]);
        _net.Run();

        Assert.Empty(_down.Received());
        Assert.Equal(1, Dropped("ttl-expired"));
        Assert.Equal(1, Dropped("no-binding"));
        Assert.Equal(1, Dropped("malformed"));
        Assert.Equal(_net.Pool.Capacity, _net.Pool.Available);
    }

    [Fact]
    public void Reserved_labels_cannot_be_bound()
    {
        var error = Assert.Throws<ArgumentException>(() => _lsr.AddLabelSwap(new MplsLabel(3), new MplsLabel(200), "eth1", Down));
        Assert.Contains("reserved", error.Message);
    }

    [Fact]
    public void Hosts_ping_each_other_across_a_label_switched_path_with_php()
    {
        var net = new TestNet();
        var h1 = net.Add(new Host("h1", net.Pool));
        var h2 = net.Add(new Host("h2", net.Pool));
        var pe1 = net.Add(new Lsr("pe1", net.Pool));
        var p = net.Add(new Lsr("p", net.Pool));
        var pe2 = net.Add(new Lsr("pe2", net.Pool));
        foreach (var lsr in new[] { pe1, p, pe2 })
        {
            lsr.AddInterface("eth0");
            lsr.AddInterface("eth1");
        }
        h1.AddAddress("eth0", "10.0.1.10/24");
        h1.SetGateway(Ipv4Address.Parse("10.0.1.1"));
        h2.AddAddress("eth0", "10.0.2.10/24");
        h2.SetGateway(Ipv4Address.Parse("10.0.2.1"));
        pe1.AddAddress("eth0", "10.0.1.1/24");
        pe1.AddAddress("eth1", "10.0.12.1/30");
        p.AddAddress("eth0", "10.0.12.2/30");
        p.AddAddress("eth1", "10.0.23.1/30");
        pe2.AddAddress("eth0", "10.0.23.2/30");
        pe2.AddAddress("eth1", "10.0.2.1/24");
        // h1 → h2: push 100 at pe1, swap 100 → 200 at p, pop and route at pe2 (egress).
        pe1.AddLabelledRoute(Ipv4Prefix.Parse("10.0.2.0/24"), "eth1", Ipv4Address.Parse("10.0.12.2"), new MplsLabel(100));
        p.AddLabelSwap(new MplsLabel(100), new MplsLabel(200), "eth1", Ipv4Address.Parse("10.0.23.2"));
        pe2.AddLabelPopAndLookup(new MplsLabel(200));
        // h2 → h1: push 300 at pe2, p pops (penultimate hop), pe1 routes plain IP.
        pe2.AddLabelledRoute(Ipv4Prefix.Parse("10.0.1.0/24"), "eth0", Ipv4Address.Parse("10.0.23.1"), new MplsLabel(300));
        p.AddLabelSwap(new MplsLabel(300), MplsLabel.ImplicitNull, "eth0", Ipv4Address.Parse("10.0.12.1"));
        net.Link(h1.Port("eth0"), pe1.Port("eth0"));
        net.Link(pe1.Port("eth1"), p.Port("eth0"));
        net.Link(p.Port("eth1"), pe2.Port("eth0"));
        net.Link(pe2.Port("eth1"), h2.Port("eth0"));

        var replies = new List<EchoReply>();
        for (ushort seq = 1; seq <= 4; seq++)
        {
            h1.Ping(Ipv4Address.Parse("10.0.2.10"), 9, seq);
            net.Run();
            while (h1.Endpoints.TryReceiveEchoReply(out var reply)) replies.Add(reply);
        }

        // p drops what it cannot yet send while it resolves each next hop (once per direction), as VPP does.
        var lost = p.Graph.Elements.Single(e => e.Name == "mpls-input").Counters.Dropped(3);
        Assert.Equal(4 - lost, replies.Count);
        Assert.InRange(lost, 0, 2);
        Assert.Equal(replies.Select(r => (int)r.SequenceNumber), Enumerable.Range((int)lost + 1, 4 - (int)lost));
        Assert.All(replies, r => Assert.Equal(61, r.Ttl));
        Assert.True(p.Port("eth1").Counters.TxPackets >= 2);
    }

    private long Dropped(string reason)
    {
        var element = _lsr.Graph.Elements.Single(e => e.Name == "mpls-input");
        return element.Counters.Dropped(element.DropReasons.ToList().IndexOf(reason));
    }

    private static byte[] IpPacket(byte ttl)
    {
        var frame = Frames.Udp4(MacAddress.Zero, MacAddress.Zero, Source, Destination, 1000, 2000, "labelled"u8, ttl);
        return frame[EthernetFrame.HeaderLength..];
    }

    private static byte[] Labelled(MacAddress destination, MacAddress source, byte[] payload, params (uint Label, byte Tc, byte Ttl)[] stack)
    {
        var bytes = new byte[stack.Length * MplsHeader.Size + payload.Length];
        for (var i = 0; i < stack.Length; i++)
        {
            var header = MplsHeader.CreateUnchecked(bytes.AsSpan(i * MplsHeader.Size));
            header.Label = new MplsLabel(stack[i].Label);
            header.TrafficClass = stack[i].Tc;
            header.BottomOfStack = i == stack.Length - 1;
            header.TimeToLive = stack[i].Ttl;
        }
        payload.CopyTo(bytes.AsSpan(stack.Length * MplsHeader.Size));
        return Frames.Ethernet(destination, source, EtherType.Mpls, bytes);
    }
}
