using System.Buffers.Binary;

namespace Softnet.DataPlane.Pcap;

/// <summary>One frame of a pcap file.</summary>
public sealed record PcapRecord(DateTimeOffset Timestamp, byte[] Data, int OriginalLength);

/// <summary>Reads classic pcap files (micro- or nanosecond, either byte order), for tests and tools.</summary>
public static class PcapReader
{
    public static IEnumerable<PcapRecord> Read(Stream stream)
    {
        var header = new byte[24];
        if (stream.ReadAtLeast(header, 24, throwOnEndOfStream: false) < 24) throw new InvalidDataException("pcap: the file is shorter than its 24-byte global header.");
        var magic = BinaryPrimitives.ReadUInt32LittleEndian(header);
        var (littleEndian, nanoseconds) = magic switch
        {
            PcapWriter.NanosecondMagic => (true, true),
            PcapWriter.MicrosecondMagic => (true, false),
            _ when BinaryPrimitives.ReverseEndianness(magic) == PcapWriter.NanosecondMagic => (false, true),
            _ when BinaryPrimitives.ReverseEndianness(magic) == PcapWriter.MicrosecondMagic => (false, false),
            _ => throw new InvalidDataException($"pcap: unknown magic number 0x{magic:x8} at offset 0."),
        };
        var record = new byte[16];
        long offset = 24;
        while (true)
        {
            var got = stream.ReadAtLeast(record, 16, throwOnEndOfStream: false);
            if (got == 0) yield break;
            if (got < 16) throw new InvalidDataException($"pcap: truncated record header at offset {offset}.");
            var seconds = Read32(record, 0, littleEndian);
            var fraction = Read32(record, 4, littleEndian);
            var captured = (int)Read32(record, 8, littleEndian);
            var original = (int)Read32(record, 12, littleEndian);
            if (captured is < 0 or > 262_144) throw new InvalidDataException($"pcap: record at offset {offset} claims {captured} captured bytes.");
            var data = new byte[captured];
            if (stream.ReadAtLeast(data, captured, throwOnEndOfStream: false) < captured) throw new InvalidDataException($"pcap: truncated record data at offset {offset + 16}.");
            var ticks = seconds * TimeSpan.TicksPerSecond + (nanoseconds ? fraction / 100 : fraction * 10);
            yield return new PcapRecord(DateTimeOffset.UnixEpoch.AddTicks((long)ticks), data, original);
            offset += 16 + captured;
        }
    }

    private static uint Read32(byte[] buffer, int at, bool littleEndian) =>
        littleEndian ? BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(at)) : BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(at));
}
