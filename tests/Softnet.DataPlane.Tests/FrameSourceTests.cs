using Softnet.DataPlane.Ports;

namespace Softnet.DataPlane.Tests;

public sealed class FrameSourceTests
{
    private static byte[] Frame(int length, byte seed) => Enumerable.Range(0, length).Select(i => (byte)(seed + i)).ToArray();

    [Fact]
    public void Fill_copies_the_templates_round_robin_into_fresh_buffers()
    {
        var pool = new PacketPool(16);
        byte[][] templates = [Frame(60, 1), Frame(61, 2), Frame(1514, 3)];
        var source = new FrameSource(pool, templates);

        var frames = new int[7];
        Assert.Equal(7, source.Fill(frames));

        Assert.Equal(7, frames.Distinct().Count());
        Assert.Equal(7, pool.InUse);
        Assert.Equal(7, source.Produced);
        for (var i = 0; i < frames.Length; i++)
        {
            Assert.Equal(templates[i % 3], pool.Data(frames[i]).ToArray());
            Assert.Equal(PacketPool.Headroom, pool.Meta(frames[i]).Offset);
        }

        // The next fill carries on where this one stopped.
        var more = new int[2];
        Assert.Equal(2, source.Fill(more));
        Assert.Equal(templates[1], pool.Data(more[0]).ToArray());
        Assert.Equal(templates[2], pool.Data(more[1]).ToArray());
    }

    [Fact]
    public void Buffers_handed_out_are_independent_copies()
    {
        var pool = new PacketPool(4);
        var template = Frame(60, 7);
        var source = new FrameSource(pool, [template]);
        var frames = new int[2];
        source.Fill(frames);

        pool.Data(frames[0])[0] = 0xFF;
        template[1] = 0xEE;

        Assert.Equal(Frame(60, 7), source.Template(0).ToArray());
        Assert.Equal(Frame(60, 7), pool.Data(frames[1]).ToArray());
    }

    [Fact]
    public void Fill_stops_when_the_pool_is_empty()
    {
        var pool = new PacketPool(5);
        var source = new FrameSource(pool, [Frame(60, 0), Frame(60, 100)]);
        var frames = new int[8];

        Assert.Equal(5, source.Fill(frames));
        Assert.Equal(0, pool.Available);
        Assert.Equal(0, source.Fill(frames));

        pool.Free(frames.AsSpan(0, 2));
        Assert.Equal(2, source.Fill(frames));
        Assert.Equal(Frame(60, 100), pool.Data(frames[0]).ToArray());
        Assert.Equal(Frame(60, 0), pool.Data(frames[1]).ToArray());
        Assert.Equal(7, source.Produced);
    }

    [Fact]
    public void Rewind_starts_over_at_the_first_template()
    {
        var pool = new PacketPool(8);
        var source = new FrameSource(pool, [Frame(60, 0), Frame(60, 50), Frame(60, 100)]);
        var frames = new int[1];
        source.Fill(frames);
        source.Fill(frames);

        source.Rewind();
        source.Fill(frames);

        Assert.Equal(Frame(60, 0), pool.Data(frames[0]).ToArray());
    }

    [Fact]
    public void Many_templates_of_mixed_lengths_are_kept_exactly()
    {
        var pool = new PacketPool(4, bufferSize: 256);
        var source = new FrameSource(pool);
        var templates = Enumerable.Range(0, 1000).Select(i => Frame(1 + i % 128, (byte)i)).ToArray();
        foreach (var template in templates) source.Add(template);

        Assert.Equal(1000, source.Count);
        for (var i = 0; i < templates.Length; i++) Assert.Equal(templates[i], source.Template(i).ToArray());
    }

    [Fact]
    public void Templates_must_fit_a_pool_buffer_and_a_source_needs_one()
    {
        var pool = new PacketPool(4, bufferSize: 256);
        var source = new FrameSource(pool);

        Assert.Throws<InvalidOperationException>(() => source.Fill(new int[1]));
        Assert.Throws<ArgumentException>(() => source.Add([]));
        Assert.Throws<ArgumentException>(() => source.Add(new byte[pool.MaxFrameLength + 1]));
        source.Add(new byte[pool.MaxFrameLength]);
        Assert.Equal(1, source.Count);
    }

    [Fact]
    public void Filling_allocates_no_managed_memory()
    {
        var pool = new PacketPool(PacketBatch.MaxSize);
        var source = new FrameSource(pool, Enumerable.Range(0, 300).Select(i => Frame(60 + i % 5, (byte)i)));
        var sink = new DiscardPort(pool);
        var frames = new int[PacketBatch.MaxSize];
        for (var i = 0; i < 100; i++) sink.Transmit(frames.AsSpan(0, source.Fill(frames)));

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++) sink.Transmit(frames.AsSpan(0, source.Fill(frames)));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(1100L * PacketBatch.MaxSize, sink.Packets);
        Assert.Equal(PacketBatch.MaxSize, pool.Available);
    }

    [Fact]
    public void Discard_port_frees_and_counts_every_frame_and_receives_nothing()
    {
        var pool = new PacketPool(8);
        var sink = new DiscardPort(pool);
        var frames = new int[3];
        for (var i = 0; i < frames.Length; i++) Assert.True(pool.TryAllocate(new byte[60 + i], out frames[i]));

        Assert.Equal(3, sink.Transmit(frames));
        Assert.Equal(0, sink.Receive(new int[4]));

        Assert.Equal(3, sink.Packets);
        Assert.Equal(60 + 61 + 62, sink.Bytes);
        Assert.Equal(0, pool.InUse);
        Assert.Throws<InvalidOperationException>(() => pool.Free(frames[0]));
    }
}
