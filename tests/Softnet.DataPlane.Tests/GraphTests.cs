using Softnet.DataPlane;

namespace Softnet.DataPlane.Tests;

public sealed class GraphTests
{
    [Fact]
    public void Every_packet_is_emitted_or_dropped_and_counted()
    {
        var pool = new PacketPool(1024);
        var graph = new Graph(pool);
        var splitter = graph.Add(new ParitySplitter());
        var even = graph.Add(new Sink("even"));
        var odd = graph.Add(new Sink("odd"));
        graph.Connect(splitter, "even", even);
        graph.Connect(splitter, "odd", odd);
        graph.Seal();

        for (var i = 0; i < 600; i++)
        {
            Assert.True(pool.TryAllocate(i % 3 == 2 ? [] : [(byte)i, 0xAA], out var packet));
            graph.Enqueue(splitter, packet);
        }
        graph.Run();

        Assert.Equal(600, splitter.Counters.Received);
        Assert.Equal(200, splitter.Counters.Dropped(0));
        Assert.Equal(even.Frames.Count, splitter.Counters.Emitted(0));
        Assert.Equal(odd.Frames.Count, splitter.Counters.Emitted(1));
        Assert.Equal(400, even.Frames.Count + odd.Frames.Count);
        Assert.All(even.Frames, f => Assert.Equal(0, f[0] % 2));
        Assert.All(odd.Frames, f => Assert.Equal(1, f[0] % 2));
        Assert.Equal(pool.Capacity, pool.Available);
    }

    [Fact]
    public void Full_vectors_are_dispatched_at_once_and_never_exceed_the_batch_size()
    {
        var pool = new PacketPool(2048);
        var graph = new Graph(pool);
        var splitter = graph.Add(new ParitySplitter());
        var sink = graph.Add(new Sink("sink"));
        graph.Connect(splitter, 0, sink);
        graph.Connect(splitter, 1, sink);
        graph.Seal();

        for (var i = 0; i < 1000; i++)
        {
            Assert.True(pool.TryAllocate([(byte)i], out var packet));
            graph.Enqueue(splitter, packet);
        }
        graph.Run();

        Assert.Equal(1000, sink.Frames.Count);
        Assert.All(sink.VectorSizes, size => Assert.InRange(size, 1, PacketBatch.MaxSize));
        Assert.Contains(PacketBatch.MaxSize, sink.VectorSizes);
    }

    [Fact]
    public void Packets_may_loop_through_a_cycle_until_done()
    {
        var pool = new PacketPool(1024);
        var graph = new Graph(pool);
        var incrementer = graph.Add(new Incrementer(limit: 50));
        var sink = graph.Add(new Sink("done"));
        graph.Connect(incrementer, "again", incrementer);
        graph.Connect(incrementer, "done", sink);
        graph.Seal();

        for (var i = 0; i < 700; i++)
        {
            Assert.True(pool.TryAllocate([(byte)(i % 50)], out var packet));
            graph.Enqueue(incrementer, packet);
        }
        graph.Run();

        Assert.Equal(700, sink.Frames.Count);
        Assert.All(sink.Frames, f => Assert.Equal(50, f[0]));
        Assert.Equal(pool.Capacity, pool.Available);
    }

    [Fact]
    public void An_unconnected_output_is_refused_when_sealing()
    {
        var graph = new Graph(new PacketPool(8));
        var splitter = graph.Add(new ParitySplitter());
        graph.Connect(splitter, "even", graph.Add(new Sink("even")));

        var error = Assert.Throws<InvalidOperationException>(graph.Seal);
        Assert.Contains("'odd'", error.Message);
        Assert.Contains("'parity'", error.Message);
    }

    [Fact]
    public void Connecting_an_unknown_output_names_the_outputs_there_are()
    {
        var graph = new Graph(new PacketPool(8));
        var splitter = graph.Add(new ParitySplitter());
        var error = Assert.Throws<ArgumentException>(() => graph.Connect(splitter, "blue", graph.Add(new Sink("s"))));
        Assert.Contains("even, odd", error.Message);
    }
}
