using Softnet.DataPlane;
using Softnet.Hypervisor.Linux;
using Softnet.Wire;

namespace Softnet.Hypervisor.Tests.Linux;

public sealed class VirtioOffloadTests
{
    // NEEDS_CSUM, TCPV4, hdr_len 66, gso_size 1448, csum_start 34, csum_offset 16: a TAP's TCP/IPv4 super-frame.
    private static readonly byte[] TcpIpv4 = [0x01, 0x01, 0x42, 0x00, 0xa8, 0x05, 0x22, 0x00, 0x10, 0x00, 0x00, 0x00];

    [Fact]
    public void ReadsSegmentationAndPartialChecksum()
    {
        var meta = new PacketMeta();
        Assert.True(VirtioOffload.TryRead(VirtioNetHeader.CreateUnchecked(TcpIpv4.ToArray()), 9000, ref meta));
        Assert.Equal((GsoKind.TcpIpv4, (ushort)1448), (meta.GsoType, meta.GsoSize));
        Assert.Equal((PacketFlags.ChecksumPartial, (ushort)34, (ushort)16), (meta.Flags, meta.ChecksumStart, meta.ChecksumOffset));
    }

    [Fact]
    public void ReadsPlainFrameAsNoOffload()
    {
        var meta = new PacketMeta();
        var header = new byte[VirtioNetHeader.Size];
        header[4] = 0xff; // a stray gso_size without a gso_type means nothing
        Assert.True(VirtioOffload.TryRead(VirtioNetHeader.CreateUnchecked(header), 60, ref meta));
        Assert.Equal((GsoKind.None, (ushort)0, PacketFlags.None), (meta.GsoType, meta.GsoSize, meta.Flags));
    }

    [Theory]
    [InlineData(VirtioNetHeader.GsoTcpIpv4 | VirtioNetHeader.GsoEcn, 9000)]
    [InlineData(VirtioNetHeader.GsoUdpL4, 9000)]
    [InlineData(VirtioNetHeader.GsoTcpIpv4, 51)]
    public void RefusesWhatTheMetadataCannotCarry(byte gsoType, int length)
    {
        var header = TcpIpv4.ToArray();
        header[1] = gsoType;
        var meta = new PacketMeta();
        Assert.False(VirtioOffload.TryRead(VirtioNetHeader.CreateUnchecked(header), length, ref meta));
        Assert.Equal(default, meta);
    }

    [Fact]
    public void WritesTcpSuperFrameHeaderUpToTheEndOfTheTcpHeader()
    {
        var frame = new byte[100];
        frame[34 + 12] = 0x80; // TCP data offset 8 words: 32 bytes of header with options
        var meta = new PacketMeta
        {
            Flags = PacketFlags.ChecksumPartial, ChecksumStart = 34, ChecksumOffset = 16, GsoType = GsoKind.TcpIpv4, GsoSize = 1448,
        };
        var header = Enumerable.Repeat((byte)0xee, VirtioNetHeader.Size).ToArray();
        VirtioOffload.Write(meta, frame, VirtioNetHeader.CreateUnchecked(header));
        Assert.Equal(Convert.ToHexStringLower(TcpIpv4), Convert.ToHexStringLower(header));
    }

    [Fact]
    public void WritesUdpPartialChecksumUpToTheChecksumField()
    {
        var meta = new PacketMeta { Flags = PacketFlags.ChecksumPartial, ChecksumStart = 54, ChecksumOffset = 6 };
        var header = new byte[VirtioNetHeader.Size];
        VirtioOffload.Write(meta, new byte[100], VirtioNetHeader.CreateUnchecked(header));
        Assert.Equal("01003e00" + "0000" + "3600" + "0600" + "0000", Convert.ToHexStringLower(header));
    }

    [Fact]
    public void WritesZeroHeaderForPlainFrame()
    {
        var header = Enumerable.Repeat((byte)0xee, VirtioNetHeader.Size).ToArray();
        VirtioOffload.Write(new PacketMeta { Flags = PacketFlags.LocallyOriginated }, new byte[60], VirtioNetHeader.CreateUnchecked(header));
        Assert.All(header, b => Assert.Equal(0, b));
    }
}
