using System.Numerics;
using System.Runtime.InteropServices;

namespace Softnet.DataPlane.Ports;

/// <summary>
/// A bounded lock-free FIFO of packet handles for one producer and one consumer, which may be two threads: the
/// producer publishes slots with a release store of the tail, the consumer frees them with a release store of the
/// head. Handing a handle through the ring hands over its buffer (zero copy).
/// </summary>
/// <remarks>The producer may change threads between calls, and so may the consumer, as long as each side's calls never overlap.</remarks>
public sealed class HandleRing
{
    private readonly int[] _slots;
    private readonly int _mask;
    private Indices _indices;

    public HandleRing(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _slots = new int[(int)BitOperations.RoundUpToPowerOf2((uint)capacity)];
        _mask = _slots.Length - 1;
    }

    public int Capacity => _slots.Length;

    /// <summary>Handles waiting; exact on either side's own thread, a snapshot elsewhere.</summary>
    public int Count => (int)(Volatile.Read(ref _indices.Tail) - Volatile.Read(ref _indices.Head));

    public int Free => _slots.Length - Count;

    /// <summary>Producer side: appends as many handles as fit; returns how many the ring took.</summary>
    public int Enqueue(ReadOnlySpan<int> handles)
    {
        var tail = _indices.Tail;
        var n = Math.Min(handles.Length, _slots.Length - (int)(tail - Volatile.Read(ref _indices.Head)));
        for (var i = 0; i < n; i++) _slots[(int)((tail + i) & _mask)] = handles[i];
        Volatile.Write(ref _indices.Tail, tail + n);
        return n;
    }

    /// <summary>Consumer side: takes up to <c>destination.Length</c> handles; returns how many.</summary>
    public int Dequeue(Span<int> destination)
    {
        var n = Peek(destination);
        Skip(n);
        return n;
    }

    /// <summary>Consumer side: copies up to <c>destination.Length</c> of the oldest handles and leaves them queued.</summary>
    public int Peek(Span<int> destination)
    {
        var head = _indices.Head;
        var n = Math.Min(destination.Length, (int)(Volatile.Read(ref _indices.Tail) - head));
        for (var i = 0; i < n; i++) destination[i] = _slots[(int)((head + i) & _mask)];
        return n;
    }

    /// <summary>Consumer side: takes the <paramref name="count"/> oldest handles, which <see cref="Peek"/> returned.</summary>
    public void Skip(int count) => Volatile.Write(ref _indices.Head, _indices.Head + count);

    /// <summary>Head and tail on cache lines of their own, so that producer and consumer do not false-share.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 192)]
    private struct Indices
    {
        [FieldOffset(64)] public long Head;
        [FieldOffset(128)] public long Tail;
    }
}
