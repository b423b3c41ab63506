using Softnet.DataPlane;
using Softnet.DataPlane.Pcap;
using Softnet.DataPlane.Ports;

namespace Softnet.DataPlane.Tests;

public sealed class PortTests
{
    [Fact]
    public void An_in_memory_link_delivers_in_order_and_refuses_beyond_capacity()
    {
        var pool = new PacketPool(64);
        var link = new InMemoryLink(capacity: 8);
        var sent = new int[10];
        for (var i = 0; i < sent.Length; i++) Assert.True(pool.TryAllocate([(byte)i], out sent[i]));

        Assert.Equal(8, link.A.Transmit(sent));
        Assert.Equal(8, link.B.Waiting);
        Assert.Equal(0, link.A.Waiting);

        var received = new int[16];
        var n = link.B.Receive(received);
        Assert.Equal(8, n);
        Assert.Equal(sent[..8], received[..8]);
    }

    [Fact]
    public void Pcap_trace_round_trips_every_frame_byte_for_byte()
    {
        var stream = new MemoryStream();
        var frames = Enumerable.Range(0, 20).Select(i => Enumerable.Range(0, 60 + i).Select(b => (byte)(b * i)).ToArray()).ToList();
        var stamp = new DateTimeOffset(2026, 11, 25, 1, 2, 3, TimeSpan.Zero).AddTicks(1234567);
        using (var writer = new PcapWriter(stream, leaveOpen: true))
        {
            foreach (var frame in frames) writer.Write(frame, stamp);
        }

        var bytes = stream.ToArray();
        Assert.Equal(new byte[] { 0x4D, 0x3C, 0xB2, 0xA1, 2, 0, 4, 0 }, bytes[..8]);
        stream.Position = 0;
        var records = PcapReader.Read(stream).ToList();
        Assert.Equal(frames.Count, records.Count);
        for (var i = 0; i < frames.Count; i++)
        {
            Assert.Equal(frames[i], records[i].Data);
            Assert.Equal(stamp, records[i].Timestamp);
        }
    }

    [Fact]
    public void Pcap_snap_length_truncates_but_keeps_the_original_length()
    {
        var stream = new MemoryStream();
        using (var writer = new PcapWriter(stream, snapLength: 32, leaveOpen: true)) writer.Write(new byte[100], DateTimeOffset.UnixEpoch);
        stream.Position = 0;
        var record = Assert.Single(PcapReader.Read(stream));
        Assert.Equal(32, record.Data.Length);
        Assert.Equal(100, record.OriginalLength);
    }

    [Fact]
    public void A_truncated_pcap_file_gives_an_error_naming_the_offset()
    {
        var stream = new MemoryStream();
        using (var writer = new PcapWriter(stream, leaveOpen: true)) writer.Write(new byte[50], DateTimeOffset.UnixEpoch);
        var cut = new MemoryStream(stream.ToArray()[..60]);
        var error = Assert.Throws<InvalidDataException>(() => PcapReader.Read(cut).ToList());
        Assert.Contains("offset 40", error.Message);
    }

    [Fact]
    public void The_tracing_port_records_both_directions()
    {
        var pool = new PacketPool(16);
        var link = new InMemoryLink();
        var stream = new MemoryStream();
        var writer = new PcapWriter(stream, leaveOpen: true);
        var traced = new PcapTracingPort(link.A, pool, writer, TimeProvider.System);

        Assert.True(pool.TryAllocate([1, 1, 1], out var outgoing));
        Assert.True(pool.TryAllocate([2, 2], out var incoming));
        Assert.Equal(1, traced.Transmit([outgoing]));
        Assert.Equal(1, link.B.Transmit([incoming]));
        var buffer = new int[4];
        Assert.Equal(1, traced.Receive(buffer));
        writer.Flush();

        stream.Position = 0;
        var records = PcapReader.Read(stream).Select(r => r.Data).ToList();
        Assert.Equal([new byte[] { 1, 1, 1 }, new byte[] { 2, 2 }], records);
    }

    [Fact]
    public void The_fault_injecting_port_drops_corrupts_and_duplicates_as_its_profile_says()
    {
        var pool = new PacketPool(8192);
        var link = new InMemoryLink(capacity: 8192);
        var faulty = new FaultInjectingPort(link.A, pool, new FaultProfile(DropProbability: 0.1, CorruptProbability: 0.1, DuplicateProbability: 0.05, Seed: 7));
        var frames = new int[2000];
        for (var i = 0; i < frames.Length; i++) Assert.True(pool.TryAllocate(new byte[64], out frames[i]));

        Assert.Equal(frames.Length, faulty.Transmit(frames));

        Assert.InRange(faulty.Dropped, 140, 260);
        Assert.InRange(faulty.Corrupted, 140, 260);
        Assert.InRange(faulty.Duplicated, 50, 150);
        Assert.Equal(frames.Length - faulty.Dropped + faulty.Duplicated, link.B.Waiting);
        var received = new int[8192];
        var n = link.B.Receive(received);
        var damaged = received[..n].Count(h => pool.Data(h).ToArray().Any(b => b != 0));
        Assert.True(damaged >= faulty.Corrupted);
    }

    [Fact]
    public void Peek_leaves_frames_queued_and_skip_takes_them_in_order()
    {
        var link = new InMemoryLink(8);
        Assert.Equal(3, link.A.Transmit([10, 11, 12]));
        var seen = new int[8];

        Assert.Equal(3, link.B.Peek(seen));
        Assert.Equal(3, link.B.Waiting);
        link.B.Skip(2);

        Assert.Equal(1, link.B.Receive(seen));
        Assert.Equal(12, seen[0]);
        Assert.Equal(8, link.A.Room);
    }
}
