namespace Softnet.DataPlane;

/// <summary>A vector of up to <see cref="MaxSize"/> packet handles: the unit the graph dispatches.</summary>
public sealed class PacketBatch
{
    public const int MaxSize = 256;

    private readonly int[] _handles = new int[MaxSize];

    public int Count { get; private set; }
    public bool IsFull => Count == MaxSize;
    public bool IsEmpty => Count == 0;

    public ReadOnlySpan<int> Handles => _handles.AsSpan(0, Count);

    public void Add(int handle) => _handles[Count++] = handle;

    public void Clear() => Count = 0;
}
