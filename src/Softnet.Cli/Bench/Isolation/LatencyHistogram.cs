using System.Numerics;

namespace Softnet.Cli.Bench.Isolation;

/// <summary>
/// One-way latencies in Stopwatch ticks, counted without allocating: log-linear buckets, 64 per power of two above
/// 128 ticks (one per tick below), so a percentile is read to within 1/128 of its value.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBits = 6;
    private const int Sub = 1 << SubBits;
    private const int MaxShift = 40;

    private readonly long[] _counts = new long[(MaxShift + 2) * Sub];

    public long Count { get; private set; }

    public void Clear()
    {
        Array.Clear(_counts);
        Count = 0;
    }

    public void Add(long ticks)
    {
        _counts[Index(Math.Max(0, ticks))]++;
        Count++;
    }

    /// <summary>Adds every latency counted in <paramref name="other"/>.</summary>
    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < _counts.Length; i++) _counts[i] += other._counts[i];
        Count += other.Count;
    }

    /// <summary>The <paramref name="fraction"/> quantile in ticks (the middle of its bucket), or NaN when empty.</summary>
    public double Quantile(double fraction)
    {
        if (Count == 0) return double.NaN;
        var rank = Math.Max(1, (long)Math.Ceiling(fraction * Count));
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank) return Middle(i);
        }
        return Middle(_counts.Length - 1);
    }

    private int Index(long ticks)
    {
        if (ticks < 2 * Sub) return (int)ticks;
        var shift = Math.Min(63 - BitOperations.LeadingZeroCount((ulong)ticks) - SubBits, MaxShift);
        return Math.Min((shift + 1) * Sub + (int)(ticks >> shift) - Sub, _counts.Length - 1);
    }

    private static double Middle(int index)
    {
        if (index < 2 * Sub) return index;
        var shift = index / Sub - 1;
        var low = (long)(index % Sub + Sub) << shift;
        return low + ((1L << shift) - 1) / 2.0;
    }
}
