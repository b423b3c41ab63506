namespace Softnet.Wire.Tests;

public sealed class VirtioNetHeaderTests
{
    // What a TAP hands over for a TCP/IPv4 super-frame: NEEDS_CSUM, TCPV4, hdr_len 66 (14 + 20 + 32),
    // gso_size 1448, csum_start 34 (the TCP header), csum_offset 16 (the TCP checksum field), num_buffers 0.
    private const string TcpIpv4SuperFrame = "01 01 4200 a805 2200 1000 0000";

    [Fact]
    public void Reads_little_endian_fields()
    {
        var bytes = Hex.Bytes(TcpIpv4SuperFrame + " eeee");
        Assert.True(VirtioNetHeader.TryCreate(bytes, out var header));
        Assert.Equal(VirtioNetHeader.FlagNeedsChecksum, header.Flags);
        Assert.True(header.NeedsChecksum);
        Assert.Equal(VirtioNetHeader.GsoTcpIpv4, header.GsoType);
        Assert.Equal(66, header.HeaderLength);
        Assert.Equal(1448, header.GsoSize);
        Assert.Equal(34, header.ChecksumStart);
        Assert.Equal(16, header.ChecksumOffset);
        Assert.Equal(0, header.NumBuffers);
        Assert.Equal("eeee", Hex.Of(header.Payload));
    }

    [Fact]
    public void Writes_every_field_at_its_offset()
    {
        var bytes = new byte[VirtioNetHeader.Size];
        var header = VirtioNetHeader.CreateUnchecked(bytes);
        header.Flags = VirtioNetHeader.FlagNeedsChecksum | VirtioNetHeader.FlagDataValid;
        header.GsoType = VirtioNetHeader.GsoTcpIpv6 | VirtioNetHeader.GsoEcn;
        header.HeaderLength = 0x0102;
        header.GsoSize = 0x0304;
        header.ChecksumStart = 0x0506;
        header.ChecksumOffset = 0x0708;
        header.NumBuffers = 0x090a;
        Assert.Equal("0384 0201 0403 0605 0807 0a09".Replace(" ", ""), Hex.Of(bytes));
    }

    [Fact]
    public void Round_trips_fixture()
    {
        var source = Hex.Bytes(TcpIpv4SuperFrame);
        Assert.True(VirtioNetHeader.TryCreate(source, out var read));
        var copy = new byte[VirtioNetHeader.Size];
        var written = VirtioNetHeader.CreateUnchecked(copy);
        written.Flags = read.Flags;
        written.GsoType = read.GsoType;
        written.HeaderLength = read.HeaderLength;
        written.GsoSize = read.GsoSize;
        written.ChecksumStart = read.ChecksumStart;
        written.ChecksumOffset = read.ChecksumOffset;
        written.NumBuffers = read.NumBuffers;
        Assert.Equal(Hex.Of(source), Hex.Of(copy));
    }

    [Fact]
    public void Refuses_short_buffer()
    {
        Assert.False(VirtioNetHeader.TryCreate(new byte[VirtioNetHeader.Size - 1], out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => VirtioNetHeader.CreateUnchecked(new byte[VirtioNetHeader.Size - 1]));
    }
}
