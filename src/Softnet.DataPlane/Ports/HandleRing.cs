using System.Numerics;

namespace Softnet.DataPlane.Ports;

/// <summary>A bounded single-threaded FIFO of packet handles.</summary>
internal sealed class HandleRing
{
    private readonly int[] _slots;
    private readonly int _mask;
    private long _head;
    private long _tail;

    public HandleRing(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _slots = new int[(int)BitOperations.RoundUpToPowerOf2((uint)capacity)];
        _mask = _slots.Length - 1;
    }

    public int Count => (int)(_tail - _head);
    public int Free => _slots.Length - Count;

    public int Enqueue(ReadOnlySpan<int> handles)
    {
        var n = Math.Min(handles.Length, Free);
        for (var i = 0; i < n; i++) _slots[(int)(_tail++ & _mask)] = handles[i];
        return n;
    }

    public int Dequeue(Span<int> destination)
    {
        var n = Math.Min(destination.Length, Count);
        for (var i = 0; i < n; i++) destination[i] = _slots[(int)(_head++ & _mask)];
        return n;
    }
}
