namespace Softnet.DataPlane.Fib;

/// <summary>
/// One growable array carved into blocks of 1..64 consecutive items (the children or leaves of one trie node).
/// Freed blocks are reused for blocks of the same size.
/// </summary>
internal sealed class BlockPool<T> where T : unmanaged
{
    public const int MaxBlock = 64;

    private readonly Stack<int>?[] _free = new Stack<int>?[MaxBlock + 1];
    private int _top;

    /// <summary>The backing array; it is replaced when it grows, so never keep it across an allocation.</summary>
    public T[] Items { get; private set; } = [];

    public int InUse { get; private set; }

    public long Bytes => (long)Items.Length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();

    public int Allocate(int size)
    {
        InUse += size;
        if (_free[size] is { Count: > 0 } free) return free.Pop();
        if (_top + size > Items.Length)
        {
            var items = Items;
            Array.Resize(ref items, Math.Max(_top + size, Math.Max(MaxBlock, Items.Length * 2)));
            Items = items;
        }
        var start = _top;
        _top += size;
        return start;
    }

    public void Free(int start, int size)
    {
        InUse -= size;
        (_free[size] ??= new()).Push(start);
    }

    /// <summary>Drops the spare capacity left by growth (after a bulk build).</summary>
    public void Trim()
    {
        var items = Items;
        Array.Resize(ref items, _top);
        Items = items;
    }
}
