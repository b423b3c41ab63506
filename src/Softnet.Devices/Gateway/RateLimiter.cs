namespace Softnet.Devices.Gateway;

/// <summary>
/// The rate limit of one direction through the gateway: a packet bucket and a bit bucket, and a packet passes only if
/// both can pay for it. Each bucket is kept as the generic cell rate algorithm (ITU-T I.371's virtual scheduling, the
/// integer form of a token bucket): <c>due</c> is when the bucket would be full again, each unit of cost moves it
/// <c>ticksPerSecond / rate</c> ticks later, and a packet conforms if that leaves <c>due</c> at most
/// <c>burst * ticksPerSecond / rate</c> ahead of now. Hence a full bucket lets <c>burst</c> units through at once and
/// then <c>rate</c> units per second, exactly, in integer ticks.
/// </summary>
internal sealed class RateLimiter(GatewayRateLimit limit)
{
    private Bucket _packets = new(limit.Packets);
    private Bucket _bits = new(limit.Bits);

    public GatewayRateLimit Limit { get; } = limit;

    public bool TryTake(long packets, long bits, long now, long ticksPerSecond)
    {
        if (!_packets.Conforms(packets, now, ticksPerSecond, out var packetsDue) || !_bits.Conforms(bits, now, ticksPerSecond, out var bitsDue)) return false;
        _packets.Due = packetsDue;
        _bits.Due = bitsDue;
        return true;
    }

    private struct Bucket(GatewayRate? rate)
    {
        private readonly long _perSecond = rate?.PerSecond ?? 0;
        private readonly long _burst = rate?.Burst ?? 0;
        private long _ticksPerSecond;
        private long _tolerance;

        public long Due = long.MinValue;

        /// <summary>Whether <paramref name="cost"/> units fit now, and when the bucket would then be full again. An unset bucket always conforms.</summary>
        public bool Conforms(long cost, long now, long ticksPerSecond, out long due)
        {
            due = Due;
            if (_perSecond == 0) return true;
            if (ticksPerSecond != _ticksPerSecond)
            {
                _ticksPerSecond = ticksPerSecond;
                _tolerance = (long)Int128.Min((Int128)_burst * ticksPerSecond / _perSecond, long.MaxValue / 4);
            }
            // cost * ticksPerSecond stays far below 2^63: a packet costs at most 2^19 bits, and clocks tick at most 2^40 a second.
            due = Math.Max(Due, now) + cost * ticksPerSecond / _perSecond;
            return due - now <= _tolerance;
        }
    }
}
