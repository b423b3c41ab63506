namespace Softnet.DataPlane;

/// <summary>What an element did with every packet it was given: each is sent out of a named output or dropped with a named reason.</summary>
public sealed class ElementCounters
{
    private readonly long[] _emitted;
    private readonly long[] _dropped;

    internal ElementCounters(int outputs, int dropReasons)
    {
        _emitted = new long[outputs];
        _dropped = new long[dropReasons];
    }

    public long Received { get; internal set; }

    /// <summary>Packets the element took into its own keeping (a queue awaiting address resolution, a reassembly).</summary>
    public long Held { get; internal set; }

    public long Emitted(int output) => _emitted[output];
    public long Dropped(int reason) => _dropped[reason];

    public long TotalDropped
    {
        get
        {
            long sum = 0;
            foreach (var count in _dropped) sum += count;
            return sum;
        }
    }

    internal void CountEmit(int output) => _emitted[output]++;
    internal void CountDrop(int reason) => _dropped[reason]++;
}
