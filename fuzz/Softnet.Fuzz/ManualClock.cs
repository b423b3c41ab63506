namespace Softnet.Fuzz;

/// <summary>A clock that moves only when told to: one tick is one nanosecond, so runs do not depend on the wall clock.</summary>
internal sealed class ManualClock : TimeProvider
{
    private long _ticks = 1_000_000_000;

    public override long TimestampFrequency => 1_000_000_000;

    public override long GetTimestamp() => _ticks;

    public void Advance(TimeSpan by) => _ticks += (long)(by.TotalSeconds * TimestampFrequency);
}
