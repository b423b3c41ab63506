namespace Softnet.DataPlane.Ports;

/// <summary>
/// An endless in-memory receiver for benchmarks and tests: it holds template frames and, as a NIC's receive DMA
/// does, fills freshly allocated pool buffers with copies of them, taking the templates round-robin. Filling never
/// allocates managed memory; the templates live back to back in one array.
/// </summary>
public sealed class FrameSource
{
    private byte[] _bytes = new byte[4096];
    private int[] _offsets = new int[65];
    private int _size;
    private int _next;

    public FrameSource(PacketPool pool) => Pool = pool;

    /// <summary>A source of <paramref name="templates"/>, in order.</summary>
    public FrameSource(PacketPool pool, IEnumerable<byte[]> templates) : this(pool)
    {
        foreach (var template in templates) Add(template);
    }

    public PacketPool Pool { get; }

    /// <summary>How many templates the source cycles through.</summary>
    public int Count { get; private set; }

    /// <summary>Frames handed out so far.</summary>
    public long Produced { get; private set; }

    /// <summary>Appends a template; the frame is copied.</summary>
    /// <exception cref="ArgumentException">The frame is empty or longer than a pool buffer holds.</exception>
    public void Add(ReadOnlySpan<byte> frame)
    {
        if (frame.IsEmpty || frame.Length > Pool.MaxFrameLength)
            throw new ArgumentException($"A template frame must hold 1..{Pool.MaxFrameLength} bytes (the pool's largest frame), not {frame.Length}.", nameof(frame));
        if (_size + frame.Length > _bytes.Length) Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _size + frame.Length));
        if (Count + 1 == _offsets.Length) Array.Resize(ref _offsets, _offsets.Length * 2);
        frame.CopyTo(_bytes.AsSpan(_size));
        _size += frame.Length;
        _offsets[++Count] = _size;
    }

    /// <summary>The bytes of template <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> Template(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
        return _bytes.AsSpan(_offsets[index], _offsets[index + 1] - _offsets[index]);
    }

    /// <summary>
    /// Allocates a buffer for each slot of <paramref name="frames"/> holding a copy of the next template; stops early
    /// when the pool runs out. Returns how many frames were filled (the first slots); the caller owns them.
    /// </summary>
    public int Fill(Span<int> frames)
    {
        if (Count == 0) throw new InvalidOperationException("The frame source has no templates.");
        var pool = Pool;
        var next = _next;
        var filled = 0;
        while (filled < frames.Length)
        {
            var start = _offsets[next];
            if (!pool.TryAllocate(_bytes.AsSpan(start, _offsets[next + 1] - start), out var frame)) break;
            frames[filled++] = frame;
            if (++next == Count) next = 0;
        }
        _next = next;
        Produced += filled;
        return filled;
    }

    /// <summary>Starts the next fill over at the first template.</summary>
    public void Rewind() => _next = 0;
}
