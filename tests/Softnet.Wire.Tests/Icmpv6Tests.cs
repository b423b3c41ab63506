namespace Softnet.Wire.Tests;

public sealed class Icmpv6Tests
{
    [Fact]
    public void Reads_real_echo_request()
    {
        Assert.True(Ipv6Packet.TryCreate(Fixtures.Icmpv6EchoRequestRaw, out var ip));
        Assert.True(Icmpv6Packet.TryCreate(ip.Payload, out var icmp));
        Assert.Equal(Icmpv6Type.EchoRequest, icmp.Type);
        Assert.Equal(0, icmp.Code);
        Assert.Equal(0x99B9, icmp.Checksum);
        Assert.Equal(0x4D46, icmp.Identifier);
        Assert.Equal(0, icmp.SequenceNumber);
        Assert.Equal("53df7d050001c7cd", Hex.Of(icmp.Data));
        Assert.True(icmp.VerifyChecksum(ip.Source, ip.Destination));
        Assert.False(icmp.VerifyChecksum(ip.Source, Ipv6Address.AllNodes));
        Assert.True(Icmpv6Repr.TryParse(icmp, ip.Source, ip.Destination, out var repr));
        Assert.Equal(Icmpv6Repr.EchoRequest(0x4D46, 0, 8), repr);
    }

    [Fact]
    public void Round_trips_real_echo_request()
    {
        Assert.True(Ipv6Packet.TryCreate(Fixtures.Icmpv6EchoRequestRaw, out var ip));
        Assert.True(Icmpv6Packet.TryCreate(ip.Payload, out var icmp));
        Assert.True(Icmpv6Repr.TryParse(icmp, ip.Source, ip.Destination, out var repr));
        var emitted = new byte[repr.BufferLength];
        icmp.Data.CopyTo(emitted.AsSpan(repr.HeaderLength));
        repr.Emit(Icmpv6Packet.CreateUnchecked(emitted), ip.Source, ip.Destination);
        Assert.Equal(Hex.Of(icmp.Buffer), Hex.Of(emitted));
    }

    [Fact]
    public void Writes_packet_too_big()
    {
        var source = Ipv6Address.Parse("2001:db8::1");
        var destination = Ipv6Address.Parse("2001:db8::2");
        var bytes = new byte[8 + 40];
        var icmp = Icmpv6Packet.CreateUnchecked(bytes);
        Fixtures.Icmpv6EchoRequestRaw.AsSpan(0, 40).CopyTo(icmp.Data);
        new Icmpv6Repr(Icmpv6Type.PacketTooBig, 0, 1280, 40).Emit(icmp, source, destination);
        Assert.Equal(1280u, icmp.Mtu);
        Assert.Equal("0200", Hex.Of(bytes.AsSpan(0, 2)));
        Assert.Equal("00000500", Hex.Of(bytes.AsSpan(4, 4)));
        Assert.True(icmp.VerifyChecksum(source, destination));
    }

    [Fact]
    public void Repr_refuses_bad_checksum()
    {
        var bytes = Fixtures.Icmpv6EchoRequestRaw;
        bytes[^1] ^= 1;
        Assert.True(Ipv6Packet.TryCreate(bytes, out var ip));
        Assert.True(Icmpv6Packet.TryCreate(ip.Payload, out var icmp));
        Assert.False(Icmpv6Repr.TryParse(icmp, ip.Source, ip.Destination, out _));
        Assert.False(Icmpv6Packet.TryCreate(new byte[7], out _));
    }
}
