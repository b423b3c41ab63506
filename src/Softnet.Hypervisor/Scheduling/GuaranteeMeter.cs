namespace Softnet.Hypervisor.Scheduling;

/// <summary>
/// What each network may offer within its guaranteed rate (SPEC 4.2: "while it has tokens it is guaranteed its
/// minimum rate"): a bucket of credit per network that fills at the network's share of the node's rated capacity,
/// holds at most <see cref="DepthSeconds"/> of it and starts full, and is spent by what the network offers (its
/// arrivals), not by the service it gets. A network whose bucket holds credit offers no more than its guarantee: it is
/// served before the others, so that a machine that slows down or a flood elsewhere takes nothing from it; the
/// flooder, whose bucket is empty, absorbs the loss. Pure: the time comes from the caller.
/// </summary>
internal sealed class GuaranteeMeter
{
    /// <summary>How much of its guaranteed rate a network may bank and spend at once: a burst that fits in it conforms.</summary>
    public const double DepthSeconds = 0.005;

    private readonly double[] _credit;
    private readonly double[] _perTick;
    private readonly double[] _depth;
    private long _last = long.MinValue;

    public GuaranteeMeter(IReadOnlyList<int> baseTokens, double ratedPerSecond, long ticksPerSecond)
    {
        if (!(ratedPerSecond > 0)) throw new ArgumentOutOfRangeException(nameof(ratedPerSecond), "a rated capacity is positive");
        double total = baseTokens.Sum();
        _perTick = [.. baseTokens.Select(t => ratedPerSecond * t / total / ticksPerSecond)];
        _depth = [.. baseTokens.Select(t => ratedPerSecond * t / total * DepthSeconds)];
        _credit = [.. _depth];
    }

    /// <summary>Fills every bucket for the time since the last call.</summary>
    public void Advance(long now)
    {
        if (_last == long.MinValue || now <= _last)
        {
            if (_last == long.MinValue) _last = now;
            return;
        }
        long elapsed = now - _last;
        for (int i = 0; i < _credit.Length; i++) _credit[i] = Math.Min(_depth[i], _credit[i] + _perTick[i] * elapsed);
        _last = now;
    }

    /// <summary>Network <paramref name="i"/> offered <paramref name="cost"/> byte-equivalents.</summary>
    public void Offer(int i, long cost) => _credit[i] = Math.Max(-_depth[i], _credit[i] - cost);

    /// <summary>Network <paramref name="i"/>'s credit as a fraction of its bucket: above 0 it offers within its guarantee.</summary>
    public double Level(int i) => _credit[i] / _depth[i];
}
