namespace Softnet.Devices.Ip;

/// <summary>
/// A token bucket bounding how many ICMP error messages a device generates per second (RFC 1812 section 4.3.2.8,
/// RFC 4443 section 2.4 (f)), so that a flood of bad packets cannot make it a flood of errors.
/// </summary>
public sealed class IcmpRateLimiter(int perSecond, int burst)
{
    private double _tokens = burst;
    private long _last;

    public int PerSecond { get; } = perSecond;
    public int Burst { get; } = burst;

    public bool TryTake(long now, long ticksPerSecond)
    {
        if (now != _last)
        {
            _tokens = Math.Min(Burst, _tokens + (double)(now - _last) / ticksPerSecond * PerSecond);
            _last = now;
        }
        if (_tokens < 1) return false;
        _tokens--;
        return true;
    }
}
