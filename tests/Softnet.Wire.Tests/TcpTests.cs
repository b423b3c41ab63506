namespace Softnet.Wire.Tests;

public sealed class TcpTests
{
    [Fact]
    public void Reads_real_syn_with_options()
    {
        var tcp = Tcp(Fixtures.TcpSyn, out var ip);
        Assert.Equal(44644, tcp.SourcePort);
        Assert.Equal(80, tcp.DestinationPort);
        Assert.Equal(0x9349C830u, tcp.SequenceNumber);
        Assert.Equal(0u, tcp.AcknowledgmentNumber);
        Assert.Equal(40, tcp.HeaderLength);
        Assert.Equal(TcpFlags.Syn, tcp.Flags);
        Assert.Equal(29200, tcp.WindowSize);
        Assert.Equal(0xE47D, tcp.Checksum);
        Assert.Equal(0, tcp.UrgentPointer);
        Assert.Equal("020405b40402080a3d8f93af0000000001030307", Hex.Of(tcp.Options));
        Assert.True(tcp.Payload.IsEmpty);
        Assert.True(tcp.VerifyChecksum(ip.Source, ip.Destination));
        Assert.True(tcp.TryGetOption(TcpOptionKind.MaxSegmentSize, out var mss));
        Assert.Equal("05b4", Hex.Of(mss));
        Assert.True(tcp.TryGetOption(TcpOptionKind.WindowScale, out var scale));
        Assert.Equal("07", Hex.Of(scale));
        Assert.False(tcp.TryGetOption(TcpOptionKind.Sack, out _));

        Assert.True(TcpRepr.TryParse(tcp, ip.Source, ip.Destination, out var repr));
        Assert.Equal(new TcpRepr(44644, 80, 0x9349C830, 0, TcpFlags.Syn, 29200, 0)
        {
            MaxSegmentSize = 1460,
            SackPermitted = true,
            Timestamps = new TcpTimestamps(0x3D8F93AF, 0),
            WindowScale = 7,
        }, repr);
    }

    [Fact]
    public void Reads_real_syn_ack()
    {
        var tcp = Tcp(Fixtures.TcpSynAck, out var ip);
        Assert.True(TcpRepr.TryParse(tcp, ip.Source, ip.Destination, out var repr));
        Assert.Equal(TcpFlags.Syn | TcpFlags.Ack, repr.Flags);
        Assert.Equal(0x9349C831u, repr.AcknowledgmentNumber);
        Assert.Equal((byte)4, repr.WindowScale);
        Assert.Equal(new TcpTimestamps(0x03740903, 0x3D8F93AF), repr.Timestamps);
    }

    [Fact]
    public void Round_trips_real_handshake()
    {
        foreach (var bytes in new[] { Fixtures.TcpSyn, Fixtures.TcpSynAck })
        {
            var tcp = Tcp(bytes, out var ip);
            Assert.True(TcpRepr.TryParse(tcp, ip.Source, ip.Destination, out var repr));
            var emitted = new byte[repr.BufferLength];
            repr.Emit(TcpPacket.CreateUnchecked(emitted), ip.Source, ip.Destination);
            Assert.Equal(Hex.Of(tcp.Buffer), Hex.Of(emitted));
        }
    }

    [Fact]
    public void Clamps_mss_in_place()
    {
        var bytes = Fixtures.TcpSyn;
        var tcp = Tcp(bytes, out var ip);
        Assert.True(tcp.TryGetOption(TcpOptionKind.MaxSegmentSize, out var mss));
        var old = System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(mss);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(mss, 1400);
        tcp.Checksum = Checksum.Update(tcp.Checksum, old, (ushort)1400);
        Assert.True(tcp.VerifyChecksum(ip.Source, ip.Destination));
        Assert.True(TcpRepr.TryParse(tcp, out var repr));
        Assert.Equal((ushort)1400, repr.MaxSegmentSize);
    }

    [Theory]
    [InlineData(null, false, false, null, "")]
    [InlineData((ushort)1460, false, false, null, "020405b4")]
    [InlineData(null, true, false, null, "01010402")]
    [InlineData(null, false, true, null, "0101080a0000000100000002")]
    [InlineData(null, false, false, (byte)14, "0103030e")]
    [InlineData((ushort)536, true, true, (byte)0, "02040218 0402080a0000000100000002 01030300")]
    public void Lays_out_options_like_linux(ushort? mss, bool sack, bool timestamps, byte? scale, string expected)
    {
        var repr = new TcpRepr(1, 2, 3, 4, TcpFlags.Syn, 5, 0)
        {
            MaxSegmentSize = mss,
            SackPermitted = sack,
            Timestamps = timestamps ? new TcpTimestamps(1, 2) : null,
            WindowScale = scale,
        };
        var bytes = new byte[repr.BufferLength];
        repr.Emit(TcpPacket.CreateUnchecked(bytes));
        Assert.True(TcpPacket.TryCreate(bytes, out var tcp));
        Assert.Equal(Hex.Of(Hex.Bytes(expected)), Hex.Of(tcp.Options));
        Assert.True(TcpRepr.TryParse(tcp, out var parsed));
        Assert.Equal(repr, parsed);
    }

    [Fact]
    public void Skips_unknown_options_and_stops_at_end()
    {
        // SACK block, then MSS, then End followed by garbage that must not be read.
        var tcp = Segment("0101 050a 00000001 00000002 020405b4 00 ffffff");
        Assert.True(TcpRepr.TryParse(tcp, out var repr));
        Assert.Equal((ushort)1460, repr.MaxSegmentSize);
        Assert.True(tcp.TryGetOption(TcpOptionKind.Sack, out var sack));
        Assert.Equal(8, sack.Length);
    }

    [Theory]
    [InlineData("0203 05b4")] // MSS with length 3
    [InlineData("0201 0000")] // length below 2
    [InlineData("0408 0000")] // SACK permitted with length 8, beyond the options
    [InlineData("0303 0701 0404 0000")] // SACK permitted with length 4
    public void Refuses_malformed_options(string options) => Assert.False(TcpRepr.TryParse(Segment(options), out _));

    [Theory]
    [InlineData("0001 0002 00000000 00000000 4002 0000 0000 0000")] // data offset 4
    [InlineData("0001 0002 00000000 00000000 6002 0000 0000 0000")] // data offset 6 beyond buffer
    [InlineData("0001 0002 00000000 00000000 5002 0000 0000 00")] // 19 bytes
    public void Refuses_inconsistent_lengths(string hex) => Assert.False(TcpPacket.TryCreate(Hex.Bytes(hex), out _));

    private static TcpPacket Segment(string options)
    {
        var optionBytes = Hex.Bytes(options);
        var bytes = new byte[20 + optionBytes.Length];
        var tcp = TcpPacket.CreateUnchecked(bytes);
        tcp.HeaderLength = bytes.Length;
        optionBytes.CopyTo(tcp.Options);
        Assert.True(TcpPacket.TryCreate(bytes, out tcp));
        return tcp;
    }

    private static TcpPacket Tcp(byte[] frame, out Ipv4Packet ip)
    {
        Assert.True(Ipv4Packet.TryCreate(frame.AsSpan(EthernetFrame.HeaderLength), out ip));
        Assert.Equal(IpProtocol.Tcp, ip.Protocol);
        Assert.True(TcpPacket.TryCreate(ip.Payload, out var tcp));
        return tcp;
    }
}
