using System.Collections.Immutable;

namespace Softnet.Urbanization;

/// <summary>
/// A CPU demand over time: one sample every <see cref="StepSeconds"/> seconds, each the fraction (0..1) of the
/// device's MIPS it asks for. Between samples the demand is linear; past the last sample it stays at the last value.
/// </summary>
public sealed record DemandTrace
{
    public DemandTrace(IEnumerable<double> samples, int stepSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepSeconds);
        var values = samples.ToImmutableArray();
        if (values.IsEmpty) throw new ArgumentException("A demand trace needs at least one sample.", nameof(samples));
        foreach (var v in values)
        {
            if (!(v >= 0 && v <= 1)) throw new ArgumentOutOfRangeException(nameof(samples), v, "Demand samples are fractions within [0, 1].");
        }
        Samples = values;
        StepSeconds = stepSeconds;
    }

    public ImmutableArray<double> Samples { get; }
    public int StepSeconds { get; }
    public double DurationSeconds => (double)Samples.Length * StepSeconds;

    /// <summary>A constant demand.</summary>
    public static DemandTrace Constant(double fraction) => new([fraction], 1);

    /// <summary>
    /// Demand at <paramref name="seconds"/>, interpolated exactly as CloudSim's UtilizationModelPlanetLabInMemory does
    /// (same operations, so the same doubles).
    /// </summary>
    public double At(double seconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(seconds);
        if (seconds % StepSeconds == 0) return Sample((int)seconds / StepSeconds);
        var before = (int)Math.Floor(seconds / StepSeconds);
        var after = (int)Math.Ceiling(seconds / StepSeconds);
        var first = Sample(before);
        var slope = (Sample(after) - first) / ((after - before) * (double)StepSeconds);
        return first + slope * (seconds - before * (double)StepSeconds);
    }

    private double Sample(int index) => Samples[Math.Min(index, Samples.Length - 1)];

    public bool Equals(DemandTrace? other) => other is not null && StepSeconds == other.StepSeconds && Samples.SequenceEqual(other.Samples);
    public override int GetHashCode() => HashCode.Combine(StepSeconds, Samples.Length);
}
