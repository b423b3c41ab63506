namespace Softnet.Wire.Tests;

public sealed class Ipv6Tests
{
    private static readonly byte[][] RealPackets =
    [
        Fixtures.NeighborSolicitation[14..], Fixtures.NeighborSolicitationDad[14..], Fixtures.NeighborAdvertisement[14..],
        Fixtures.MldWithHopByHop[14..], Fixtures.Icmpv6EchoRequestRaw,
    ];

    [Fact]
    public void Reads_real_neighbor_solicitation_header()
    {
        Assert.True(EthernetFrame.TryCreate(Fixtures.NeighborSolicitation, out var frame));
        Assert.Equal(EtherType.Ipv6, frame.EtherType);
        Assert.True(Ipv6Packet.TryCreate(frame.Payload, out var ip));
        Assert.Equal(6, ip.Version);
        Assert.Equal(0xE0, ip.TrafficClass);
        Assert.Equal(0u, ip.FlowLabel);
        Assert.Equal(32, ip.PayloadLength);
        Assert.Equal(IpProtocol.Icmpv6, ip.NextHeader);
        Assert.Equal(255, ip.HopLimit);
        Assert.Equal(Ipv6Address.Parse("fe80::21f:caff:feb3:75c0"), ip.Source);
        Assert.Equal(Ipv6Address.Parse("2620:0:1005:0:26be:5ff:fe27:b17"), ip.Destination);
        Assert.Equal(32, ip.Payload.Length);
        Assert.True(ip.TryFindUpperLayer(out var protocol, out var offset));
        Assert.Equal(IpProtocol.Icmpv6, protocol);
        Assert.Equal(40, offset);
    }

    [Fact]
    public void Reads_real_flow_label()
    {
        Assert.True(Ipv6Packet.TryCreate(Fixtures.Icmpv6EchoRequestRaw, out var ip));
        Assert.True(Ipv6Repr.TryParse(ip, out var repr));
        Assert.Equal(new Ipv6Repr(Ipv6Address.Loopback, Ipv6Address.Loopback, IpProtocol.Icmpv6, 16, 64) { FlowLabel = 0xA182 }, repr);
    }

    [Fact]
    public void Walks_real_hop_by_hop_header_to_icmpv6()
    {
        Assert.True(Ipv6Packet.TryCreate(Fixtures.MldWithHopByHop.AsSpan(14), out var ip));
        Assert.Equal(IpProtocol.HopByHop, ip.NextHeader);
        Assert.True(ip.TryFindUpperLayer(out var protocol, out var offset));
        Assert.Equal(IpProtocol.Icmpv6, protocol);
        Assert.Equal(48, offset);
        Assert.True(Icmpv6Packet.TryCreate(ip.Buffer[offset..(40 + ip.PayloadLength)], out var icmp));
        Assert.Equal(143, icmp.Type); // MLDv2 report
        Assert.True(icmp.VerifyChecksum(ip.Source, ip.Destination));
    }

    [Fact]
    public void Round_trips_real_headers()
    {
        foreach (var bytes in RealPackets)
        {
            Assert.True(Ipv6Packet.TryCreate(bytes, out var ip));
            Assert.True(Ipv6Repr.TryParse(ip, out var repr));
            var emitted = new byte[repr.HeaderLength];
            repr.Emit(Ipv6Packet.CreateUnchecked(emitted));
            Assert.Equal(Hex.Of(bytes.AsSpan(0, Ipv6Packet.HeaderLength)), Hex.Of(emitted));
        }
    }

    [Fact]
    public void Walks_every_extension_header_kind()
    {
        var chain = Hex.Bytes("""
            2b00 0000 0000 0000
            2c00 0000 0000 0000
            3c00 0001 0000 0000
            3300 0000 0000 0000
            0601 0000 0000 0000 0000 0000
            """);
        // Hop-by-Hop(8) > Routing(8) > Fragment(8, first, M set) > Destination Options(8) > AH(12) > TCP.
        var packet = Build(IpProtocol.HopByHop, chain, extra: 20);
        Assert.True(Ipv6Packet.TryCreate(packet, out var ip));
        Assert.True(ip.TryFindUpperLayer(out var protocol, out var offset));
        Assert.Equal(IpProtocol.Tcp, protocol);
        Assert.Equal(40 + 44, offset);
    }

    [Fact]
    public void Stops_at_a_non_first_fragment()
    {
        var packet = Build(IpProtocol.Ipv6Fragment, Hex.Bytes("1100 05a8 0000 0001"), extra: 16);
        Assert.True(Ipv6Packet.TryCreate(packet, out var ip));
        Assert.True(ip.TryFindUpperLayer(out var protocol, out var offset));
        Assert.Equal(IpProtocol.Ipv6Fragment, protocol);
        Assert.Equal(40, offset);
    }

    [Theory]
    [InlineData(IpProtocol.Esp)]
    [InlineData(IpProtocol.Ipv6NoNext)]
    [InlineData(IpProtocol.Udp)]
    public void Stops_at_headers_it_cannot_walk(byte next)
    {
        var packet = Build(next, [], extra: 0);
        Assert.True(Ipv6Packet.TryCreate(packet, out var ip));
        Assert.True(ip.TryFindUpperLayer(out var protocol, out var offset));
        Assert.Equal(next, protocol);
        Assert.Equal(40, offset);
    }

    [Theory]
    [InlineData(IpProtocol.HopByHop, "3a01 0000 0000 0000")] // claims 16 bytes, has 8
    [InlineData(IpProtocol.Ipv6Fragment, "3a00 0000")] // fragment header cut short
    [InlineData(IpProtocol.Ah, "3a04 0000 0000 0000")] // AH claims 24 bytes
    [InlineData(IpProtocol.Ipv6Options, "00")] // one byte only
    [InlineData(IpProtocol.Ipv6Options, "0000 0000 0000 0000 3a00 0000 0000 0000")] // Hop-by-Hop after another header
    public void Refuses_truncated_or_misplaced_headers(byte next, string chain)
    {
        var packet = Build(next, Hex.Bytes(chain), extra: 0);
        Assert.True(Ipv6Packet.TryCreate(packet, out var ip));
        Assert.False(ip.TryFindUpperLayer(out _, out _));
    }

    [Fact]
    public void Refuses_payload_length_beyond_buffer()
    {
        var bytes = Fixtures.Icmpv6EchoRequestRaw;
        Assert.False(Ipv6Packet.TryCreate(bytes.AsSpan(0, bytes.Length - 1), out _));
        Assert.False(Ipv6Packet.TryCreate(bytes.AsSpan(0, 39), out _));
    }

    [Fact]
    public void Repr_refuses_other_versions()
    {
        var bytes = Fixtures.Icmpv6EchoRequestRaw;
        bytes[0] = 0x40;
        Assert.True(Ipv6Packet.TryCreate(bytes, out var ip));
        Assert.False(Ipv6Repr.TryParse(ip, out _));
    }

    [Fact]
    public void Packs_traffic_class_and_flow_label()
    {
        var bytes = new byte[40];
        new Ipv6Repr(Ipv6Address.Parse("2001:db8::1"), Ipv6Address.Parse("2001:db8::2"), IpProtocol.Udp, 0, 1)
        {
            TrafficClass = 0xB8,
            FlowLabel = 0xFEDCB,
        }.Emit(Ipv6Packet.CreateUnchecked(bytes));
        Assert.Equal("6b8fedcb00001101", Hex.Of(bytes.AsSpan(0, 8)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Ipv6Packet.CreateUnchecked(new byte[40]).FlowLabel = 0x100000);
    }

    private static byte[] Build(byte next, byte[] chain, int extra)
    {
        var bytes = new byte[40 + chain.Length + extra];
        new Ipv6Repr(Ipv6Address.Parse("2001:db8::1"), Ipv6Address.Parse("2001:db8::2"), next, chain.Length + extra)
            .Emit(Ipv6Packet.CreateUnchecked(bytes));
        chain.CopyTo(bytes, 40);
        return bytes;
    }
}
