using System.Buffers.Binary;

namespace Softnet.DataPlane.Pcap;

/// <summary>
/// Writes the classic libpcap file format with nanosecond timestamps (magic 0xa1b23c4d) and Ethernet link type, so
/// that tcpdump, Wireshark and tshark read it. Writing a frame allocates nothing.
/// </summary>
public sealed class PcapWriter : IFrameCapture, IDisposable
{
    public const uint NanosecondMagic = 0xA1B2_3C4D;
    public const uint MicrosecondMagic = 0xA1B2_C3D4;
    public const uint LinkTypeEthernet = 1;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly int _snapLength;

    public PcapWriter(Stream stream, int snapLength = 65535, bool leaveOpen = false)
    {
        _stream = stream;
        _leaveOpen = leaveOpen;
        _snapLength = snapLength;
        Span<byte> header = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, NanosecondMagic);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 4);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], 0);
        BinaryPrimitives.WriteInt32LittleEndian(header[16..], snapLength);
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], LinkTypeEthernet);
        _stream.Write(header);
    }

    public long FramesWritten { get; private set; }

    public void Write(ReadOnlySpan<byte> frame, DateTimeOffset timestamp)
    {
        var sinceEpoch = timestamp - DateTimeOffset.UnixEpoch;
        var nanoseconds = sinceEpoch.Ticks * 100;
        var captured = Math.Min(frame.Length, _snapLength);
        Span<byte> record = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)(nanoseconds / 1_000_000_000));
        BinaryPrimitives.WriteUInt32LittleEndian(record[4..], (uint)(nanoseconds % 1_000_000_000));
        BinaryPrimitives.WriteInt32LittleEndian(record[8..], captured);
        BinaryPrimitives.WriteInt32LittleEndian(record[12..], frame.Length);
        _stream.Write(record);
        _stream.Write(frame[..captured]);
        FramesWritten++;
    }

    public void Flush() => _stream.Flush();

    public void Dispose()
    {
        _stream.Flush();
        if (!_leaveOpen) _stream.Dispose();
    }
}
