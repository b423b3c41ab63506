namespace Softnet.Wire.Tests;

public sealed class UdpTests
{
    [Fact]
    public void Reads_real_dns_query()
    {
        Assert.True(Ipv4Packet.TryCreate(Fixtures.DnsQuery.AsSpan(14), out var ip));
        Assert.Equal(IpProtocol.Udp, ip.Protocol);
        Assert.True(UdpPacket.TryCreate(ip.Payload, out var udp));
        Assert.Equal(39449, udp.SourcePort);
        Assert.Equal(53, udp.DestinationPort);
        Assert.Equal(41, udp.Length);
        Assert.Equal(0xDBF8, udp.Checksum);
        Assert.Equal(33, udp.Payload.Length);
        Assert.Equal(0x7B14, System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(udp.Payload)); // DNS id
        Assert.True(udp.VerifyChecksum(ip.Source, ip.Destination));
        Assert.False(udp.VerifyChecksum(ip.Destination, Ipv4Address.Broadcast));
        Assert.True(UdpRepr.TryParse(udp, ip.Source, ip.Destination, out var repr));
        Assert.Equal(new UdpRepr(39449, 53, 33), repr);
    }

    [Fact]
    public void Reads_real_vxlan_outer_udp_without_checksum()
    {
        Assert.True(Ipv4Packet.TryCreate(Fixtures.Vxlan.AsSpan(14), out var ip));
        Assert.True(UdpPacket.TryCreate(ip.Payload, out var udp));
        Assert.Equal(45149, udp.SourcePort);
        Assert.Equal(VxlanHeader.UdpPort, udp.DestinationPort);
        Assert.Equal(0, udp.Checksum);
        Assert.True(udp.VerifyChecksum(ip.Source, ip.Destination));
    }

    [Fact]
    public void Round_trips_real_dns_query()
    {
        Assert.True(Ipv4Packet.TryCreate(Fixtures.DnsQuery.AsSpan(14), out var ip));
        Assert.True(UdpPacket.TryCreate(ip.Payload, out var udp));
        Assert.True(UdpRepr.TryParse(udp, ip.Source, ip.Destination, out var repr));
        var emitted = new byte[repr.BufferLength];
        var copy = UdpPacket.CreateUnchecked(emitted);
        udp.Payload.CopyTo(emitted.AsSpan(repr.HeaderLength));
        repr.Emit(copy, ip.Source, ip.Destination);
        Assert.Equal(Hex.Of(udp.Buffer), Hex.Of(emitted));
    }

    [Fact]
    public void Sends_a_computed_zero_as_all_ones()
    {
        // Choose the payload word that makes the sum come out at 0xFFFF, so the complement is 0.
        var source = Ipv4Address.Parse("10.0.0.1");
        var destination = Ipv4Address.Parse("10.0.0.2");
        var bytes = new byte[10];
        var udp = UdpPacket.CreateUnchecked(bytes);
        var repr = new UdpRepr(1, 2, 2);
        repr.Emit(udp);
        var partial = Checksum.Fold(Checksum.Sum(udp.Datagram, Checksum.PseudoHeader(source, destination, IpProtocol.Udp, 10)));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(udp.Payload, partial);
        udp.FillChecksum(source, destination);
        Assert.Equal(0xFFFF, udp.Checksum);
        Assert.True(udp.VerifyChecksum(source, destination));
    }

    [Fact]
    public void Ipv6_requires_a_checksum()
    {
        var source = Ipv6Address.Parse("2001:db8::1");
        var destination = Ipv6Address.Parse("2001:db8::2");
        var bytes = new byte[12];
        var udp = UdpPacket.CreateUnchecked(bytes);
        new UdpRepr(5000, 53, 4).Emit(udp);
        Assert.False(udp.VerifyChecksum(source, destination));
        udp.FillChecksum(source, destination);
        Assert.True(udp.VerifyChecksum(source, destination));
        Assert.True(UdpRepr.TryParse(udp, source, destination, out _));
    }

    [Fact]
    public void Payload_stops_at_length_field()
    {
        var bytes = Hex.Bytes("0001 0002 000a 0000 abcd eeee eeee");
        Assert.True(UdpPacket.TryCreate(bytes, out var udp));
        Assert.Equal("abcd", Hex.Of(udp.Payload));
    }

    [Theory]
    [InlineData("0001 0002 0007 0000")] // length below the header
    [InlineData("0001 0002 0009 0000")] // length beyond the buffer
    [InlineData("0001 0002 0008 00")] // 7 bytes
    public void Refuses_inconsistent_lengths(string hex) => Assert.False(UdpPacket.TryCreate(Hex.Bytes(hex), out _));
}
