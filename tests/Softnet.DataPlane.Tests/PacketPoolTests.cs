using Softnet.DataPlane;

namespace Softnet.DataPlane.Tests;

public sealed class PacketPoolTests
{
    [Fact]
    public void Allocation_fails_cleanly_when_the_pool_is_exhausted_and_recovers_after_free()
    {
        var pool = new PacketPool(4);
        var handles = new int[4];
        for (var i = 0; i < 4; i++) Assert.True(pool.TryAllocate(out handles[i]));
        Assert.False(pool.TryAllocate(out _));
        Assert.Equal(4, handles.Distinct().Count());

        pool.Free(handles[2]);
        Assert.True(pool.TryAllocate(out var again));
        Assert.Equal(handles[2], again);
    }

    [Fact]
    public void A_double_free_is_detected()
    {
        var pool = new PacketPool(2);
        Assert.True(pool.TryAllocate(out var handle));
        pool.Free(handle);
        var error = Assert.Throws<InvalidOperationException>(() => pool.Free(handle));
        Assert.Contains("freed twice", error.Message);
    }

    [Fact]
    public void Headroom_lets_headers_be_pushed_and_stripped_in_place()
    {
        var pool = new PacketPool(2);
        Assert.True(pool.TryAllocate([1, 2, 3, 4], out var handle));

        var grown = pool.Prepend(handle, 4);
        Assert.Equal(8, grown.Length);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, grown[4..].ToArray());
        grown[..4].Fill(0xEE);

        var trimmed = pool.TrimFront(handle, 6);
        Assert.Equal(new byte[] { 3, 4 }, trimmed.ToArray());
        Assert.Throws<InvalidOperationException>(() => pool.Prepend(handle, PacketPool.Headroom + 100));
    }

    [Fact]
    public void A_clone_is_an_independent_copy_with_the_same_metadata()
    {
        var pool = new PacketPool(2);
        Assert.True(pool.TryAllocate([9, 8, 7], out var original));
        pool.Meta(original).InputPort = 5;

        Assert.True(pool.TryClone(original, out var clone));
        pool.Data(clone)[0] = 1;

        Assert.Equal(9, pool.Data(original)[0]);
        Assert.Equal(new byte[] { 1, 8, 7 }, pool.Data(clone).ToArray());
        Assert.Equal(5, pool.Meta(clone).InputPort);
    }

    [Fact]
    public void Frames_larger_than_a_buffer_are_refused()
    {
        var pool = new PacketPool(2, bufferSize: 512);
        Assert.False(pool.TryAllocate(new byte[pool.MaxFrameLength + 1], out _));
        Assert.True(pool.TryAllocate(new byte[pool.MaxFrameLength], out _));
    }
}
