using Softnet.DataPlane;

namespace Softnet.DataPlane.Tests;

public sealed class NativeArrayTests
{
    [Fact]
    public void Starts_zeroed_is_aligned_to_whole_huge_pages_and_keeps_what_is_written()
    {
        using var array = new NativeArray<ulong>(3_000_000);

        Assert.Equal(3_000_000, array.Length);
        Assert.Equal(0, array.SizeInBytes % (2 << 20));
        Assert.True(array.SizeInBytes >= 3_000_000L * sizeof(ulong));
        Assert.True(array.AsSpan().IndexOfAnyExcept(0UL) < 0);
        Assert.Equal(OperatingSystem.IsLinux(), array.UsesHugePages);

        array[0] = 1;
        array[2_999_999] = 0xFEED;
        array[(uint)1234] = 7;
        Assert.Equal(0xFEEDUL, array.AsSpan()[^1]);
        Assert.Equal(7UL, array[1234]);
        Assert.Equal(1UL, array.First);
    }

    [Fact]
    public void Indexing_outside_the_array_throws_instead_of_touching_memory()
    {
        using var array = new NativeArray<int>(10);
        var error = Assert.Throws<IndexOutOfRangeException>(() => array[10]);
        Assert.Contains("10", error.Message);
        Assert.Throws<IndexOutOfRangeException>(() => array[-1]);
        Assert.Throws<IndexOutOfRangeException>(() => array[uint.MaxValue]);
    }
}
