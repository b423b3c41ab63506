namespace Softnet.DataPlane;

/// <summary>
/// A pre-allocated pool of fixed-size packet buffers in one pinned slab, addressed by integer handles (as VPP's
/// buffer indices). Handing a handle to another element, device or ring hands over the buffer: payloads are never
/// copied to move a packet. Each buffer keeps <see cref="Headroom"/> bytes in front of the frame so that headers
/// (VLAN tags, MPLS labels, encapsulations) can be pushed in place.
/// </summary>
/// <remarks>A pool belongs to one thread at a time; cross-thread hand-over goes through a ring, never the pool.</remarks>
public sealed class PacketPool
{
    public const int DefaultBufferSize = 2048;
    public const int Headroom = 128;

    private readonly byte[] _memory;
    private readonly PacketMeta[] _meta;
    private readonly int[] _free;
    private int _freeCount;

    public PacketPool(int capacity, int bufferSize = DefaultBufferSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, Headroom + 64);
        Capacity = capacity;
        BufferSize = bufferSize;
        _memory = GC.AllocateUninitializedArray<byte>(checked(capacity * bufferSize), pinned: true);
        _meta = new PacketMeta[capacity];
        _free = new int[capacity];
        for (var i = 0; i < capacity; i++) _free[i] = capacity - 1 - i;
        _freeCount = capacity;
    }

    public int Capacity { get; }
    public int BufferSize { get; }
    public int Available => _freeCount;
    public int InUse => Capacity - _freeCount;

    /// <summary>The largest frame a buffer holds once the headroom is reserved.</summary>
    public int MaxFrameLength => BufferSize - Headroom;

    public bool TryAllocate(out int handle)
    {
        if (_freeCount == 0)
        {
            handle = -1;
            return false;
        }
        handle = _free[--_freeCount];
        ref var meta = ref _meta[handle];
        meta = default;
        meta.Offset = Headroom;
        meta.InUse = true;
        return true;
    }

    /// <summary>Allocates a buffer holding a copy of <paramref name="frame"/>.</summary>
    public bool TryAllocate(ReadOnlySpan<byte> frame, out int handle)
    {
        if (frame.Length > MaxFrameLength || !TryAllocate(out handle))
        {
            handle = -1;
            return false;
        }
        frame.CopyTo(SetLength(handle, frame.Length));
        return true;
    }

    public void Free(int handle)
    {
        ref var meta = ref _meta[handle];
        if (!meta.InUse) throw new InvalidOperationException($"Packet buffer {handle} was freed twice.");
        meta.InUse = false;
        _free[_freeCount++] = handle;
    }

    public void Free(ReadOnlySpan<int> handles)
    {
        foreach (var handle in handles) Free(handle);
    }

    public ref PacketMeta Meta(int handle) => ref _meta[handle];

    public int Length(int handle) => _meta[handle].Length;

    /// <summary>The frame bytes of a packet.</summary>
    public Span<byte> Data(int handle)
    {
        ref var meta = ref _meta[handle];
        return _memory.AsSpan(handle * BufferSize + meta.Offset, meta.Length);
    }

    /// <summary>Sets the frame length, keeping its start; returns the frame bytes.</summary>
    public Span<byte> SetLength(int handle, int length)
    {
        ref var meta = ref _meta[handle];
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, BufferSize - meta.Offset);
        meta.Length = length;
        return _memory.AsSpan(handle * BufferSize + meta.Offset, length);
    }

    /// <summary>Starts the frame over at the default headroom with <paramref name="length"/> bytes.</summary>
    public Span<byte> Reset(int handle, int length)
    {
        _meta[handle].Offset = Headroom;
        return SetLength(handle, length);
    }

    /// <summary>Grows the frame by <paramref name="count"/> bytes at its front, into the headroom; returns the new frame.</summary>
    public Span<byte> Prepend(int handle, int count)
    {
        ref var meta = ref _meta[handle];
        if (count > meta.Offset) throw new InvalidOperationException($"Packet buffer {handle} has {meta.Offset} bytes of headroom, {count} were asked for.");
        meta.Offset -= count;
        meta.Length += count;
        return _memory.AsSpan(handle * BufferSize + meta.Offset, meta.Length);
    }

    /// <summary>Removes <paramref name="count"/> bytes from the front of the frame; returns the new frame.</summary>
    public Span<byte> TrimFront(int handle, int count)
    {
        ref var meta = ref _meta[handle];
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, meta.Length);
        meta.Offset += count;
        meta.Length -= count;
        meta.L3Offset = Math.Max(0, meta.L3Offset - count);
        return _memory.AsSpan(handle * BufferSize + meta.Offset, meta.Length);
    }

    /// <summary>Clears what elements wrote into a packet's metadata, keeping only where the frame lies in its buffer.</summary>
    public void ClearMetadata(int handle)
    {
        ref var meta = ref _meta[handle];
        var (offset, length) = (meta.Offset, meta.Length);
        meta = default;
        meta.Offset = offset;
        meta.Length = length;
        meta.InUse = true;
    }

    /// <summary>Copies every metadata field but the buffer layout (offset, length) from one packet to another.</summary>
    public void CopyMetadata(int source, int destination)
    {
        ref var target = ref _meta[destination];
        var (offset, length) = (target.Offset, target.Length);
        target = _meta[source];
        target.Offset = offset;
        target.Length = length;
    }

    /// <summary>Allocates a new packet with a copy of the frame and metadata of <paramref name="handle"/>.</summary>
    public bool TryClone(int handle, out int clone)
    {
        if (!TryAllocate(out clone)) return false;
        var source = _meta[handle];
        _meta[clone] = source;
        _memory.AsSpan(handle * BufferSize + source.Offset, source.Length).CopyTo(_memory.AsSpan(clone * BufferSize + source.Offset, source.Length));
        return true;
    }
}
