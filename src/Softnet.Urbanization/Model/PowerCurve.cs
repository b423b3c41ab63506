using System.Collections.Immutable;

namespace Softnet.Urbanization;

/// <summary>
/// A server's electrical power as a function of CPU load, given as SPECpower-style watts at 0 %, 10 %, ..., 100 %
/// load with linear interpolation between the points, plus the watts drawn in standby (switched off but wakeable).
/// </summary>
public sealed record PowerCurve
{
    public PowerCurve(IEnumerable<double> wattsAtTenths, double standbyWatts)
    {
        var points = wattsAtTenths.ToImmutableArray();
        if (points.Length != 11) throw new ArgumentException($"A power curve needs 11 points (0 %, 10 %, ..., 100 %), got {points.Length}.", nameof(wattsAtTenths));
        for (var i = 0; i < points.Length; i++)
        {
            if (!(points[i] >= 0)) throw new ArgumentOutOfRangeException(nameof(wattsAtTenths), $"Point {i * 10} % is {points[i]} W; watts must be non-negative.");
        }
        ArgumentOutOfRangeException.ThrowIfNegative(standbyWatts);
        WattsAtTenths = points;
        StandbyWatts = standbyWatts;
    }

    public ImmutableArray<double> WattsAtTenths { get; }
    public double StandbyWatts { get; }
    public double IdleWatts => WattsAtTenths[0];
    public double PeakWatts => WattsAtTenths[10];

    /// <summary>
    /// Watts at <paramref name="utilization"/> in [0, 1]. The arithmetic is CloudSim's PowerModelSpecPower, operation for
    /// operation, so that power comparisons between hosts (and therefore placement ties) come out identical.
    /// </summary>
    public double Watts(double utilization)
    {
        if (!(utilization >= 0 && utilization <= 1)) throw new ArgumentOutOfRangeException(nameof(utilization), utilization, "Utilization must be within [0, 1].");
        if (utilization % 0.1 == 0) return WattsAtTenths[(int)(utilization * 10)];
        var lower = (int)Math.Floor(utilization * 10);
        var upper = (int)Math.Ceiling(utilization * 10);
        var lowerWatts = WattsAtTenths[lower];
        var delta = (WattsAtTenths[upper] - lowerWatts) / 10;
        return lowerWatts + delta * (utilization - (double)lower / 10) * 100;
    }

    public bool Equals(PowerCurve? other) =>
        other is not null && StandbyWatts == other.StandbyWatts && WattsAtTenths.SequenceEqual(other.WattsAtTenths);

    public override int GetHashCode() => HashCode.Combine(StandbyWatts, WattsAtTenths.Length, WattsAtTenths[0], WattsAtTenths[10]);

    /// <summary>HP ProLiant ML110 G4 (Xeon 3040), SPECpower_ssj2008; the CloudSim reference host type 0.</summary>
    public static PowerCurve HpProLiantMl110G4 { get; } = new([86, 89.4, 92.6, 96, 99.5, 102, 106, 108, 112, 114, 117], 0);

    /// <summary>HP ProLiant ML110 G5 (Xeon 3075), SPECpower_ssj2008; the CloudSim reference host type 1.</summary>
    public static PowerCurve HpProLiantMl110G5 { get; } = new([93.7, 97, 101, 105, 110, 116, 121, 125, 129, 133, 135], 0);
}
