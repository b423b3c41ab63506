using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Softnet.DataPlane;

/// <summary>
/// A large zeroed array outside the GC heap (an anonymous mapping on Linux), aligned to 2 MiB and advised to the
/// kernel as huge-page memory before it is first touched, so that on Linux with transparent huge pages (<c>madvise</c> mode is enough) it lies on
/// 2 MiB pages. Tables that are read at random addresses (a MAC table, a FIB's first level) then take one TLB entry
/// per 2 MiB instead of per 4 KiB, which in a virtual machine saves a nested page walk on most packets.
/// </summary>
public sealed unsafe class NativeArray<T> : IDisposable where T : unmanaged
{
    private const nuint HugePage = 2 << 20;
    private const int MadviseHugePage = 14;

    private T* _items;
    private void* _mapping;
    private nuint _mappingSize;

    /// <summary>Reserves zeroed memory for <paramref name="length"/> items; pages become resident only when touched.</summary>
    public NativeArray(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Length = length;
        var bytes = Math.Max((nuint)length * (nuint)sizeof(T), 1);
        var size = (bytes + HugePage - 1) & ~(HugePage - 1);
        if (OperatingSystem.IsLinux())
        {
            // An anonymous mapping is zero-filled lazily; one huge page more leaves room to align the start.
            _mappingSize = size + HugePage;
            _mapping = LinuxMemory.MapAnonymous(_mappingSize);
            _items = (T*)(((nuint)_mapping + HugePage - 1) & ~(HugePage - 1));
            UsesHugePages = LinuxMemory.Madvise(_items, size, MadviseHugePage) == 0;
        }
        else
        {
            _items = (T*)NativeMemory.AlignedAlloc(size, HugePage);
            NativeMemory.Clear(_items, bytes);
        }
        SizeInBytes = (long)size;
        GC.AddMemoryPressure(SizeInBytes);
    }

    ~NativeArray() => Free();

    public int Length { get; }

    /// <summary>Bytes reserved (the length rounded up to whole 2 MiB pages).</summary>
    public long SizeInBytes { get; }

    /// <summary>True when the kernel accepted the huge-page advice (whether it could honour it is its business).</summary>
    public bool UsesHugePages { get; }

    public ref T this[int index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            if ((uint)index >= (uint)Length) ThrowIndex(index);
            return ref _items[index];
        }
    }

    public ref T this[uint index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            if (index >= (uint)Length) ThrowIndex((int)Math.Min(index, int.MaxValue));
            return ref _items[index];
        }
    }

    public Span<T> AsSpan() => new(_items, Length);

    /// <summary>A reference to the first element, for loops that index without bounds checks.</summary>
    public ref T First => ref *_items;

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    private void Free()
    {
        if (_items is null) return;
        if (_mapping is not null) LinuxMemory.Unmap(_mapping, _mappingSize);
        else NativeMemory.AlignedFree(_items);
        _items = null;
        _mapping = null;
        GC.RemoveMemoryPressure(SizeInBytes);
    }

    private void ThrowIndex(int index) => throw new IndexOutOfRangeException($"Index {index} is outside a native array of {Length}.");
}

internal static unsafe class LinuxMemory
{
    private const int ProtRead = 1, ProtWrite = 2, MapPrivate = 0x02, MapAnonymousFlag = 0x20;

    public static void* MapAnonymous(nuint length)
    {
        var address = Mmap(null, length, ProtRead | ProtWrite, MapPrivate | MapAnonymousFlag, -1, 0);
        if (address == (void*)-1) throw new OutOfMemoryException($"mmap of {length} bytes failed (errno {Marshal.GetLastPInvokeError()}).");
        return address;
    }

    public static void Unmap(void* address, nuint length) => Munmap(address, length);

    [DllImport("libc", EntryPoint = "madvise", SetLastError = true)]
    public static extern int Madvise(void* address, nuint length, int advice);

    [DllImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static extern void* Mmap(void* address, nuint length, int protection, int flags, int fd, nint offset);

    [DllImport("libc", EntryPoint = "munmap", SetLastError = true)]
    private static extern int Munmap(void* address, nuint length);
}
