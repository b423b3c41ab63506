using System.Buffers.Binary;
using Softnet.Cli.Node;
using Softnet.DataPlane.Pcap;

namespace Softnet.Cli.Tests.Node;

public sealed class PcapRecordLimiterTests
{
    private static readonly DateTimeOffset Time = new(2026, 11, 25, 4, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    public void It_passes_the_header_and_exactly_the_first_N_records_however_the_bytes_are_cut(int chunk)
    {
        var pcap = Pcap(Frame(0, 60), Frame(1, 0), Frame(2, 1514), Frame(3, 42), Frame(4, 100));
        var output = new MemoryStream();
        using var limiter = new PcapRecordLimiter(output, 3);

        for (var at = 0; at < pcap.Length; at += chunk) limiter.Write(pcap, at, Math.Min(chunk, pcap.Length - at));

        Assert.Equal(3, limiter.Records);
        Assert.True(limiter.Completion.IsCompletedSuccessfully);
        Assert.Equal(pcap[..(24 + 3 * 16 + 60 + 0 + 1514)], output.ToArray());
        var records = PcapReader.Read(new MemoryStream(output.ToArray())).ToList();
        Assert.Equal([Frame(0, 60), Frame(1, 0), Frame(2, 1514)], records.Select(r => r.Data));
    }

    [Fact]
    public void Without_a_limit_it_passes_everything_and_counts_the_records()
    {
        var pcap = Pcap(Frame(0, 60), Frame(1, 70));
        var output = new MemoryStream();
        using var limiter = new PcapRecordLimiter(output, null);

        limiter.Write(pcap);

        Assert.Equal(pcap, output.ToArray());
        Assert.Equal(2, limiter.Records);
        Assert.False(limiter.Completion.IsCompleted);
    }

    [Fact]
    public void A_big_endian_pcap_is_followed_too()
    {
        var header = new byte[24];
        BinaryPrimitives.WriteUInt32BigEndian(header, PcapWriter.MicrosecondMagic);
        var record = new byte[16 + 5];
        BinaryPrimitives.WriteInt32BigEndian(record.AsSpan(8), 5);
        BinaryPrimitives.WriteInt32BigEndian(record.AsSpan(12), 5);
        var output = new MemoryStream();
        using var limiter = new PcapRecordLimiter(output, 2);

        limiter.Write(header);
        limiter.Write(record);
        limiter.Write(record);
        limiter.Write(record);

        Assert.Equal(24 + 2 * 21, output.Length);
        Assert.True(limiter.Completion.IsCompletedSuccessfully);
    }

    [Fact]
    public void Bytes_that_are_not_pcap_are_refused()
    {
        using var limiter = new PcapRecordLimiter(new MemoryStream(), null);

        var error = Assert.Throws<InvalidDataException>(() => limiter.Write(new byte[24]));

        Assert.Equal("pcap: unknown magic number 0x00000000.", error.Message);
    }

    [Fact]
    public void A_failing_reader_surfaces_as_an_IOException_and_nothing_passes_after_disposal()
    {
        var pcap = Pcap(Frame(0, 60));
        using var failing = new PcapRecordLimiter(new FailingStream(), null);
        var output = new MemoryStream();
        var limiter = new PcapRecordLimiter(output, null);

        var error = Assert.Throws<IOException>(() => failing.Write(pcap));
        limiter.Dispose();
        limiter.Write(pcap);

        Assert.IsType<ObjectDisposedException>(error.InnerException);
        Assert.Equal(0, output.Length);
        Assert.True(limiter.Completion.IsCompletedSuccessfully);
    }

    private static byte[] Frame(int seed, int length) => [.. Enumerable.Range(0, length).Select(i => (byte)(seed * 31 + i))];

    private static byte[] Pcap(params byte[][] frames)
    {
        var stream = new MemoryStream();
        using (var writer = new PcapWriter(stream, leaveOpen: true))
            foreach (var frame in frames) writer.Write(frame, Time);
        return stream.ToArray();
    }

    private sealed class FailingStream : MemoryStream
    {
        public override void Write(ReadOnlySpan<byte> buffer) => throw new ObjectDisposedException("response");
    }
}
