namespace Softnet.Wire.Tests;

public sealed class Ipv4Tests
{
    private static readonly byte[][] RealPackets =
    [
        Fixtures.IcmpEchoRequest[14..], Fixtures.IcmpEchoReply[14..], Fixtures.IcmpAdminProhibited[14..],
        Fixtures.TcpSyn[14..], Fixtures.TcpSynAck[14..], Fixtures.DnsQuery[14..], Fixtures.MplsTwoLabels[22..],
        Fixtures.Vxlan[14..], Fixtures.Vxlan[64..],
    ];

    [Fact]
    public void Reads_real_echo_request_header()
    {
        Assert.True(Ipv4Packet.TryCreate(Fixtures.IcmpEchoRequest.AsSpan(14), out var ip));
        Assert.Equal(4, ip.Version);
        Assert.Equal(20, ip.HeaderLength);
        Assert.Equal(0, ip.Dscp);
        Assert.Equal(0, ip.Ecn);
        Assert.Equal(60, ip.TotalLength);
        Assert.Equal(0x5808, ip.Identification);
        Assert.False(ip.DontFragment);
        Assert.False(ip.MoreFragments);
        Assert.Equal(0, ip.FragmentOffset);
        Assert.False(ip.IsFragment);
        Assert.Equal(128, ip.TimeToLive);
        Assert.Equal(IpProtocol.Icmp, ip.Protocol);
        Assert.Equal(0x9293, ip.HeaderChecksum);
        Assert.Equal(Ipv4Address.Parse("192.168.1.150"), ip.Source);
        Assert.Equal(Ipv4Address.Parse("74.125.67.106"), ip.Destination);
        Assert.True(ip.Options.IsEmpty);
        Assert.Equal(40, ip.Payload.Length);
        Assert.True(ip.VerifyChecksum());
    }

    [Fact]
    public void Reads_real_syn_header_with_dont_fragment()
    {
        Assert.True(Ipv4Packet.TryCreate(Fixtures.TcpSyn.AsSpan(14), out var ip));
        Assert.True(Ipv4Repr.TryParse(ip, out var repr));
        Assert.Equal(new Ipv4Repr(Ipv4Address.Parse("10.1.1.2"), Ipv4Address.Parse("10.1.1.1"), IpProtocol.Tcp, 40, 64)
        {
            Identification = 0x5b9f,
            DontFragment = true,
        }, repr);
    }

    [Fact]
    public void Reads_quoted_header_inside_real_icmp_error()
    {
        Assert.True(Ipv4Packet.TryCreate(Fixtures.IcmpAdminProhibited.AsSpan(14), out var outer));
        Assert.True(Icmpv4Packet.TryCreate(outer.Payload, out var icmp));
        var quoted = icmp.Data.ToArray();
        // The quote holds the header and only 8 bytes of a 77-byte datagram, so the checked view refuses it...
        Assert.False(Ipv4Packet.TryCreate(quoted, out _));
        // ...but its header is whole and valid.
        var header = Ipv4Packet.CreateUnchecked(quoted);
        Assert.Equal(0x20 >> 2, header.Dscp);
        Assert.Equal(77, header.TotalLength);
        Assert.True(header.DontFragment);
        Assert.Equal(62, header.TimeToLive);
        Assert.Equal(IpProtocol.Udp, header.Protocol);
        Assert.Equal(Ipv4Address.Parse("172.29.20.15"), header.Source);
        Assert.Equal(Ipv4Address.Parse("10.66.73.201"), header.Destination);
        Assert.True(header.VerifyChecksum());
        Assert.Equal("8ecc62e10039769d", Hex.Of(header.Payload));
    }

    [Fact]
    public void Round_trips_real_headers()
    {
        foreach (var bytes in RealPackets)
        {
            Assert.True(Ipv4Packet.TryCreate(bytes, out var ip));
            Assert.True(ip.VerifyChecksum());
            Assert.True(Ipv4Repr.TryParse(ip, out var repr));
            Assert.Equal(ip.Payload.Length, repr.PayloadLength);
            var emitted = new byte[repr.HeaderLength];
            repr.Emit(Ipv4Packet.CreateUnchecked(emitted));
            Assert.Equal(Hex.Of(bytes.AsSpan(0, 20)), Hex.Of(emitted));
        }
    }

    [Fact]
    public void Payload_stops_at_total_length_not_at_link_padding()
    {
        var padded = Fixtures.DnsQuery[14..].Concat(new byte[10]).ToArray();
        Assert.True(Ipv4Packet.TryCreate(padded, out var ip));
        Assert.Equal(41, ip.Payload.Length);
    }

    [Fact]
    public void Options_sit_between_fixed_header_and_payload()
    {
        // Header with a 4-byte Router Alert option (RFC 2113), IHL 6.
        var bytes = Hex.Bytes("46000020 00010000 01020000 0a000001 e0000016 94040000 dddddddd dddddddd");
        var ip = Ipv4Packet.CreateUnchecked(bytes);
        ip.FillChecksum();
        Assert.True(Ipv4Packet.TryCreate(bytes, out ip));
        Assert.Equal(24, ip.HeaderLength);
        Assert.Equal("94040000", Hex.Of(ip.Options));
        Assert.Equal("dddddddddddddddd", Hex.Of(ip.Payload));
        Assert.True(Ipv4Repr.TryParse(ip, out var repr));
        Assert.Equal(8, repr.PayloadLength);
    }

    [Fact]
    public void Writes_fragment_fields()
    {
        var bytes = new byte[28];
        new Ipv4Repr(Ipv4Address.Parse("10.0.0.1"), Ipv4Address.Parse("10.0.0.2"), IpProtocol.Udp, 8, 1)
        {
            Dscp = 46,
            Ecn = 1,
            Identification = 0xBEEF,
            MoreFragments = true,
            FragmentOffset = 1480,
        }.Emit(Ipv4Packet.CreateUnchecked(bytes));
        Assert.Equal("45b9001cbeef20b90111", Hex.Of(bytes.AsSpan(0, 10)));
        Assert.True(Ipv4Packet.TryCreate(bytes, out var ip));
        Assert.True(ip.IsFragment);
        Assert.Equal(1480, ip.FragmentOffset);
        Assert.True(ip.VerifyChecksum());
    }

    [Theory]
    [InlineData("44000014 00000000 40000000 00000000 00000000")] // IHL 4
    [InlineData("46000014 00000000 40000000 00000000 00000000 00000000")] // total length shorter than the header
    [InlineData("45000020 00000000 40000000 00000000 00000000")] // total length beyond the buffer
    [InlineData("4f00003c 00000000 40000000 00000000 00000000")] // IHL 15 beyond the buffer
    [InlineData("45000014 00000000 40000000 00000000 000000")] // 19 bytes
    public void Refuses_inconsistent_lengths(string hex) => Assert.False(Ipv4Packet.TryCreate(Hex.Bytes(hex), out _));

    [Fact]
    public void Repr_refuses_wrong_version_and_bad_checksum()
    {
        var bytes = Fixtures.DnsQuery[14..];
        bytes[11] ^= 1;
        Assert.True(Ipv4Packet.TryCreate(bytes, out var ip));
        Assert.False(Ipv4Repr.TryParse(ip, out _));
        bytes[11] ^= 1;
        ip.Version = 6;
        ip.FillChecksum();
        Assert.False(Ipv4Repr.TryParse(ip, out _));
    }

    [Fact]
    public void Setters_refuse_unrepresentable_values()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Ipv4Packet.CreateUnchecked(new byte[20]).FragmentOffset = 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => Ipv4Packet.CreateUnchecked(new byte[20]).HeaderLength = 22);
        Assert.Throws<ArgumentOutOfRangeException>(() => Ipv4Packet.CreateUnchecked(new byte[20]).Dscp = 64);
        Assert.Throws<ArgumentOutOfRangeException>(() => Ipv4Packet.CreateUnchecked(new byte[20]).Ecn = 4);
    }
}
