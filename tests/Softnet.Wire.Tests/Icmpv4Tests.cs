namespace Softnet.Wire.Tests;

public sealed class Icmpv4Tests
{
    [Fact]
    public void Reads_real_echo_request_and_reply()
    {
        var request = Icmp(Fixtures.IcmpEchoRequest);
        Assert.Equal(Icmpv4Type.EchoRequest, request.Type);
        Assert.Equal(0, request.Code);
        Assert.Equal(0xE05B, request.Checksum);
        Assert.Equal(0x0200, request.Identifier);
        Assert.Equal(0x6B00, request.SequenceNumber);
        Assert.Equal(0x02006B00u, request.RestOfHeader);
        Assert.Equal("abcdefghijklmnopqrstuvwabcdefghi", System.Text.Encoding.ASCII.GetString(request.Data));
        Assert.True(request.VerifyChecksum());

        var reply = Icmp(Fixtures.IcmpEchoReply);
        Assert.True(Icmpv4Repr.TryParse(reply, out var repr));
        Assert.Equal(Icmpv4Repr.EchoReply(0x0200, 0x6B00, 32), repr);
        Assert.Equal(0xE85B, reply.Checksum);
        Assert.True(reply.Data.SequenceEqual(request.Data));
    }

    [Fact]
    public void Reads_real_admin_prohibited_error()
    {
        var icmp = Icmp(Fixtures.IcmpAdminProhibited);
        Assert.Equal(Icmpv4Type.DestinationUnreachable, icmp.Type);
        Assert.Equal(Icmpv4Code.AdminProhibited, icmp.Code);
        Assert.Equal(0x946E, icmp.Checksum);
        Assert.Equal(0u, icmp.RestOfHeader);
        Assert.Equal(28, icmp.Data.Length);
        Assert.True(icmp.VerifyChecksum());
    }

    [Fact]
    public void Reads_real_echo_request_behind_mpls_and_vxlan()
    {
        Assert.True(Ipv4Packet.TryCreate(Fixtures.MplsTwoLabels.AsSpan(22), out var ip));
        Assert.True(Icmpv4Packet.TryCreate(ip.Payload, out var icmp));
        Assert.Equal(Icmpv4Type.EchoRequest, icmp.Type);
        Assert.Equal(11, icmp.Identifier);
        Assert.Equal(2, icmp.SequenceNumber);
        Assert.True(icmp.VerifyChecksum());

        Assert.True(Ipv4Packet.TryCreate(Fixtures.Vxlan.AsSpan(64), out ip));
        Assert.True(Icmpv4Packet.TryCreate(ip.Payload, out icmp));
        Assert.Equal(0x050C, icmp.Identifier);
        Assert.Equal(1, icmp.SequenceNumber);
        Assert.Equal(56, icmp.Data.Length);
        Assert.True(icmp.VerifyChecksum());
    }

    [Fact]
    public void Round_trips_real_messages()
    {
        foreach (var bytes in new[] { Fixtures.IcmpEchoRequest, Fixtures.IcmpEchoReply, Fixtures.IcmpAdminProhibited })
        {
            var icmp = Icmp(bytes);
            Assert.True(Icmpv4Repr.TryParse(icmp, out var repr));
            var emitted = new byte[repr.BufferLength];
            icmp.Data.CopyTo(emitted.AsSpan(repr.HeaderLength));
            repr.Emit(Icmpv4Packet.CreateUnchecked(emitted));
            Assert.Equal(Hex.Of(icmp.Buffer), Hex.Of(emitted));
        }
    }

    [Fact]
    public void Writes_fragmentation_needed_with_next_hop_mtu()
    {
        var bytes = new byte[8 + 28];
        var icmp = Icmpv4Packet.CreateUnchecked(bytes);
        Fixtures.IcmpAdminProhibited.AsSpan(14 + 28, 28).CopyTo(icmp.Data);
        new Icmpv4Repr(Icmpv4Type.DestinationUnreachable, Icmpv4Code.FragmentationNeeded, 1400, 28).Emit(icmp);
        Assert.Equal(1400, icmp.NextHopMtu);
        Assert.Equal("0304", Hex.Of(bytes.AsSpan(0, 2)));
        Assert.Equal("00000578", Hex.Of(bytes.AsSpan(4, 4)));
        Assert.True(icmp.VerifyChecksum());
    }

    [Fact]
    public void Repr_refuses_bad_checksum()
    {
        var bytes = Fixtures.IcmpEchoRequest;
        bytes[^1] ^= 0x40;
        Assert.False(Icmpv4Repr.TryParse(Icmp(bytes), out _));
        Assert.False(Icmpv4Packet.TryCreate(new byte[7], out _));
    }

    private static Icmpv4Packet Icmp(byte[] frame)
    {
        Assert.True(Ipv4Packet.TryCreate(frame.AsSpan(EthernetFrame.HeaderLength), out var ip));
        Assert.Equal(IpProtocol.Icmp, ip.Protocol);
        Assert.True(Icmpv4Packet.TryCreate(ip.Payload, out var icmp));
        return icmp;
    }
}
