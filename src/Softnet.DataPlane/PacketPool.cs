namespace Softnet.DataPlane;

/// <summary>
/// A pre-allocated pool of fixed-size packet buffers in one pinned slab, addressed by integer handles (as VPP's
/// buffer indices). Handing a handle to another element, device or ring hands over the buffer: payloads are never
/// copied to move a packet. Each buffer keeps <see cref="Headroom"/> bytes in front of the frame so that headers
/// (VLAN tags, MPLS labels, encapsulations) can be pushed in place.
/// </summary>
/// <remarks>
/// Any thread may allocate and free. As VPP's per-thread buffer caches do, each thread takes handles from a
/// cache of its own and goes to the shared free list, under a lock, only to refill or spill half a cache at a
/// time. A buffer's bytes and metadata belong to whoever holds its handle; a ring hands them across threads.
/// </remarks>
public sealed class PacketPool
{
    public const int DefaultBufferSize = 2048;
    public const int Headroom = 128;

    private const int CacheSize = 512;

    [ThreadStatic]
    private static ThreadCache? t_cache;

    private readonly byte[] _memory;
    private readonly PacketMeta[] _meta;
    private readonly int[] _free;
    private readonly Lock _lock = new();
    private readonly List<ThreadCache> _caches = [];
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

    /// <summary>Free buffers, in the shared list and every thread's cache; exact when no other thread is allocating or freeing.</summary>
    public int Available
    {
        get
        {
            lock (_lock)
            {
                var available = _freeCount;
                foreach (var cache in _caches) available += Volatile.Read(ref cache.Count);
                return available;
            }
        }
    }

    public int InUse => Capacity - Available;

    /// <summary>The largest frame a buffer holds once the headroom is reserved.</summary>
    public int MaxFrameLength => BufferSize - Headroom;

    public bool TryAllocate(out int handle)
    {
        var cache = t_cache;
        if (cache is null || cache.Pool != this) cache = Bind();
        if (cache.Count == 0 && !Refill(cache))
        {
            handle = -1;
            return false;
        }
        handle = cache.Handles[--cache.Count];
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
        var cache = t_cache;
        if (cache is null || cache.Pool != this) cache = Bind();
        if (cache.Count == CacheSize) Spill(cache);
        cache.Handles[cache.Count++] = handle;
    }

    public void Free(ReadOnlySpan<int> handles)
    {
        foreach (var handle in handles) Free(handle);
    }

    /// <summary>
    /// Gives the calling thread's cached free buffers back to the shared list; a thread that stops using the pool
    /// (a worker that ends) calls it so that no buffer stays stranded in its cache.
    /// </summary>
    public void ReleaseThreadCache()
    {
        var cache = t_cache;
        if (cache is null || cache.Pool != this) return;
        Unbind(cache);
        t_cache = null;
    }

    private ThreadCache Bind()
    {
        var cache = t_cache ??= new ThreadCache();
        if (cache.Pool is { } previous) previous.Unbind(cache);
        lock (_lock)
        {
            cache.Pool = this;
            _caches.Add(cache);
        }
        return cache;
    }

    private void Unbind(ThreadCache cache)
    {
        lock (_lock)
        {
            cache.Handles.AsSpan(0, cache.Count).CopyTo(_free.AsSpan(_freeCount));
            _freeCount += cache.Count;
            Volatile.Write(ref cache.Count, 0);
            _caches.Remove(cache);
            cache.Pool = null;
        }
    }

    private bool Refill(ThreadCache cache)
    {
        lock (_lock)
        {
            var n = Math.Min(CacheSize / 2, _freeCount);
            if (n == 0) return false;
            _freeCount -= n;
            _free.AsSpan(_freeCount, n).CopyTo(cache.Handles);
            Volatile.Write(ref cache.Count, n);
            return true;
        }
    }

    private void Spill(ThreadCache cache)
    {
        lock (_lock)
        {
            const int n = CacheSize / 2;
            var keep = cache.Count - n;
            cache.Handles.AsSpan(keep, n).CopyTo(_free.AsSpan(_freeCount));
            _freeCount += n;
            Volatile.Write(ref cache.Count, keep);
        }
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
        if (meta.ChecksumStart != 0) meta.ChecksumStart += (ushort)count;
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
        if (meta.ChecksumStart != 0) meta.ChecksumStart = (ushort)Math.Max(0, meta.ChecksumStart - count);
        return _memory.AsSpan(handle * BufferSize + meta.Offset, meta.Length);
    }

    /// <summary>
    /// Clears what elements wrote into a packet's metadata, keeping where the frame lies in its buffer and what
    /// describes the frame itself (segmentation and checksum offload).
    /// </summary>
    public void ClearMetadata(int handle)
    {
        ref var meta = ref _meta[handle];
        var kept = new PacketMeta
        {
            Offset = meta.Offset,
            Length = meta.Length,
            Flags = meta.Flags & PacketFlags.ChecksumPartial,
            GsoType = meta.GsoType,
            GsoSize = meta.GsoSize,
            ChecksumStart = meta.ChecksumStart,
            ChecksumOffset = meta.ChecksumOffset,
            InUse = true,
        };
        meta = kept;
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

    /// <summary>One thread's free buffers of one pool.</summary>
    private sealed class ThreadCache
    {
        public readonly int[] Handles = new int[CacheSize];
        public int Count;
        public PacketPool? Pool;
    }
}
