using Softnet.DataPlane;
using Softnet.DataPlane.Ports;
using Softnet.Devices.Ip;
using Softnet.Devices.Mpls;
using Softnet.Devices.Switching;
using Softnet.Wire;

namespace Softnet.Devices.Tests.Allocation;

/// <summary>
/// Forwarding in steady state must not allocate: a million packets through each device after a warm-up, with the
/// thread's allocation counter unchanged and every packet delivered.
/// </summary>
public sealed class SteadyStateAllocationTests
{
    private const int WarmUp = 300_000;
    private const int Packets = 1_000_000;
    private const int PortCount = 4;

    private static readonly byte[] Data = new byte[18]; // a 60-byte UDP/IPv4 frame: 14 + 20 + 8 + 18

    [Fact]
    public void Switch_forwarding_known_unicast_between_access_and_trunk_ports_allocates_nothing()
    {
        const int vlan = 10;
        const int stations = 1_000;
        var pool = new PacketPool(1024);
        var sw = new L2Switch("s1", pool);
        for (var p = 0; p < PortCount - 1; p++) sw.AddPort($"eth{p}", SwitchPortMode.Access(vlan));
        sw.AddPort($"eth{PortCount - 1}", SwitchPortMode.Trunk([vlan, 20]));
        for (var i = 0; i < stations; i++) sw.MacTable.Learn(vlan, Station(i), i % PortCount);

        var random = new Random(1);
        var inputs = new (int, FrameSource)[PortCount];
        for (var p = 0; p < PortCount; p++)
        {
            var source = new FrameSource(pool);
            for (var k = 0; k < 4096; k++)
            {
                var from = p + PortCount * random.Next(stations / PortCount);
                int to;
                do to = random.Next(stations); while (to % PortCount == p);
                var frame = Frames.Udp4(Station(to), Station(from), Host(from), Host(to), 1000, 2000, Data);
                source.Add(p == PortCount - 1 ? Tagged(frame, vlan) : frame);
            }
            inputs[p] = (p, source);
        }
        var rig = new SteadyStateRig(sw, inputs);

        var (allocated, delivered) = rig.Measure(WarmUp, Packets);

        Assert.Equal(0, allocated);
        Assert.Equal(Packets, delivered);
        Assert.Equal(0, rig.Dropped);
        Assert.Equal(0, pool.InUse);
        Assert.Equal(0, sw.Graph.Elements.OfType<L2Forward>().Single().Counters.Emitted(L2Forward.Flooded));
        Assert.Equal(stations, sw.MacTable.Count);
    }

    [Fact]
    public void Router_forwarding_ipv4_to_static_neighbours_allocates_nothing()
    {
        var router = new Router("r1", new PacketPool(1024));
        var neighbours = AddPorts(router);
        var routes = RandomPrefixes(2_000, seed: 2).Select((prefix, i) => (prefix, i % PortCount)).ToList();
        router.Stack.LoadRoutes(routes, [.. neighbours.Select(n => (n.Port, n.Ipv4))]);
        // One ECMP route, so flow hashing is on the path too.
        router.AddRoute(Ipv4Prefix.Parse("203.0.113.0/24"), ("eth1", neighbours[1].Ipv4), ("eth2", neighbours[2].Ipv4));

        var random = new Random(3);
        var inputs = Enumerable.Range(0, PortCount).Select(p =>
        {
            var source = new FrameSource(router.Pool);
            for (var k = 0; k < 4096; k++)
            {
                var destination = k % 8 == 0
                    ? new Ipv4Address(0xCB00_7100u | (uint)random.Next(256))
                    : RandomAddressIn(routes[random.Next(routes.Count)].prefix, random);
                var sender = Ipv4Address.Parse("198.18.0.1");
                source.Add(Frames.Udp4(router.Ports[p].Mac, Sender(p), sender, destination, (ushort)(1024 + k), 53, Data));
            }
            return (p, source);
        }).ToArray();
        var rig = new SteadyStateRig(router, inputs);

        var (allocated, delivered) = rig.Measure(WarmUp, Packets);

        Assert.Equal(0, allocated);
        Assert.Equal(Packets, delivered);
        Assert.Equal(0, rig.Dropped);
        Assert.Equal(0, router.Pool.InUse);
        Assert.All(router.Ports, port => Assert.True(port.Counters.TxPackets > 0));
    }

    [Fact]
    public void Router_forwarding_ipv6_to_static_neighbours_allocates_nothing()
    {
        var router = new Router("r1", new PacketPool(1024));
        var neighbours = AddPorts(router);
        var random = new Random(4);
        var routes = Enumerable.Range(0, 2_000)
            .Select(i => new Ipv6Prefix(new Ipv6Address(0x2400_0000_0000_0000UL | (ulong)random.NextInt64() >> 8, 0), 32 + i % 33))
            .Distinct().Select((prefix, i) => (prefix, i % PortCount)).ToList();
        router.Stack.LoadRoutes(routes, [.. neighbours.Select(n => (n.Port, n.Ipv6))]);

        var inputs = Enumerable.Range(0, PortCount).Select(p =>
        {
            var source = new FrameSource(router.Pool);
            for (var k = 0; k < 4096; k++)
            {
                var prefix = routes[random.Next(routes.Count)].prefix;
                var destination = new Ipv6Address(prefix.Network.Value | (new UInt128((ulong)random.NextInt64(), (ulong)random.NextInt64()) & ~prefix.Mask));
                var sender = Ipv6Address.Parse("2001:2::1");
                source.Add(Frames.Udp6(router.Ports[p].Mac, Sender(p), sender, destination, (ushort)(1024 + k), 53, []));
            }
            return (p, source);
        }).ToArray();
        var rig = new SteadyStateRig(router, inputs);

        var (allocated, delivered) = rig.Measure(WarmUp, Packets);

        Assert.Equal(0, allocated);
        Assert.Equal(Packets, delivered);
        Assert.Equal(0, rig.Dropped);
        Assert.Equal(0, router.Pool.InUse);
    }

    [Fact]
    public void Lsr_swapping_labels_allocates_nothing()
    {
        const int labels = 5_000;
        var lsr = new Lsr("p1", new PacketPool(1024));
        var neighbours = AddPorts(lsr);
        for (var i = 0; i < labels; i++)
        {
            var next = neighbours[i % PortCount];
            lsr.AddLabelSwap(new MplsLabel(100 + (uint)i), new MplsLabel(200_000 + (uint)i), $"eth{next.Port}", next.Ipv4);
        }

        var random = new Random(5);
        var inputs = Enumerable.Range(0, PortCount).Select(p =>
        {
            var source = new FrameSource(lsr.Pool);
            var ip = Frames.Udp4(lsr.Ports[p].Mac, Sender(p), Ipv4Address.Parse("198.18.0.1"), Ipv4Address.Parse("203.0.113.9"), 1000, 53, Data[..14]);
            for (var k = 0; k < 4096; k++)
            {
                var label = new MplsLabel(100 + (uint)random.Next(labels));
                source.Add(Labelled(ip, label));
            }
            return (p, source);
        }).ToArray();
        var rig = new SteadyStateRig(lsr, inputs);

        var (allocated, delivered) = rig.Measure(WarmUp, Packets);

        Assert.Equal(0, allocated);
        Assert.Equal(Packets, delivered);
        Assert.Equal(0, rig.Dropped);
        Assert.Equal(0, lsr.Pool.InUse);
        Assert.Equal(WarmUp + Packets, lsr.Graph.Elements.OfType<MplsInput>().Single().Counters.Emitted(MplsInput.Tx));
    }

    /// <summary>Ports eth0..eth3 with 10.0.p.1/24 and 2001:db8:p::1/64, and a static neighbour .2 / ::2 on each.</summary>
    private static List<(int Port, Ipv4Address Ipv4, Ipv6Address Ipv6)> AddPorts(IpDevice device)
    {
        var neighbours = new List<(int, Ipv4Address, Ipv6Address)>();
        for (var p = 0; p < PortCount; p++)
        {
            device.AddInterface($"eth{p}");
            device.AddAddress($"eth{p}", $"10.0.{p}.1/24");
            device.AddAddress($"eth{p}", $"2001:db8:{p}::1/64");
            var ipv4 = Ipv4Address.Parse($"10.0.{p}.2");
            var ipv6 = Ipv6Address.Parse($"2001:db8:{p}::2");
            device.AddStaticNeighbor($"eth{p}", ipv4.ToString(), new MacAddress(0x0200_0000_0200UL | (uint)p));
            device.AddStaticNeighbor($"eth{p}", ipv6.ToString(), new MacAddress(0x0200_0000_0200UL | (uint)p));
            neighbours.Add((p, ipv4, ipv6));
        }
        return neighbours;
    }

    private static MacAddress Station(int index) => new(0x0200_0001_0000UL + (ulong)index);

    private static MacAddress Sender(int port) => new(0x0200_0000_0300UL | (uint)port);

    private static Ipv4Address Host(int index) => new(0x0A01_0000u + (uint)index);

    /// <summary>Distinct prefixes of /16 to /28 under 11.0.0.0-223.255.255.255 (clear of the ports' 10.0.0.0/8).</summary>
    private static List<Ipv4Prefix> RandomPrefixes(int count, int seed)
    {
        var random = new Random(seed);
        var prefixes = new HashSet<Ipv4Prefix>();
        while (prefixes.Count < count)
        {
            var address = new Ipv4Address((uint)random.NextInt64(11L << 24, 224L << 24));
            prefixes.Add(new Ipv4Prefix(address, 16 + prefixes.Count % 13));
        }
        return [.. prefixes];
    }

    private static Ipv4Address RandomAddressIn(Ipv4Prefix prefix, Random random) =>
        new(prefix.Network.Value | (uint)random.Next() & ~prefix.Mask);

    /// <summary>The frame with an 802.1Q tag for <paramref name="vlan"/> after its addresses.</summary>
    private static byte[] Tagged(byte[] frame, int vlan)
    {
        var tagged = new byte[frame.Length + VlanHeader.Size];
        frame.AsSpan(0, 12).CopyTo(tagged);
        EthernetFrame.CreateUnchecked(tagged).EtherType = EtherType.Vlan;
        VlanHeader.CreateUnchecked(tagged.AsSpan(EthernetFrame.HeaderLength)).Tci = (ushort)vlan;
        frame.AsSpan(12).CopyTo(tagged.AsSpan(EthernetFrame.HeaderLength + 2));
        return tagged;
    }

    /// <summary>The IPv4 frame with one MPLS label (bottom of stack, TTL 64) pushed after its Ethernet header.</summary>
    private static byte[] Labelled(byte[] ipv4Frame, MplsLabel label)
    {
        var frame = new byte[ipv4Frame.Length + MplsHeader.Size];
        ipv4Frame.AsSpan(0, EthernetFrame.HeaderLength).CopyTo(frame);
        EthernetFrame.CreateUnchecked(frame).EtherType = EtherType.Mpls;
        new MplsRepr(label, 0, BottomOfStack: true, 64).Emit(MplsHeader.CreateUnchecked(frame.AsSpan(EthernetFrame.HeaderLength)));
        ipv4Frame.AsSpan(EthernetFrame.HeaderLength).CopyTo(frame.AsSpan(EthernetFrame.HeaderLength + MplsHeader.Size));
        return frame;
    }
}
