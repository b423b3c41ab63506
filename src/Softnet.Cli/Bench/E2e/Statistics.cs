namespace Softnet.Cli.Bench.E2e;

/// <summary>Order statistics of measured samples.</summary>
public static class Statistics
{
    public static double Median(IEnumerable<double> samples) => Percentile(samples, 0.5);

    /// <summary>
    /// The <paramref name="fraction"/> quantile (0.99 for p99), interpolating linearly between the two nearest order
    /// statistics (rank <c>fraction * (n - 1)</c>); the median of an even count is the mean of the middle two.
    /// </summary>
    /// <exception cref="ArgumentException">No samples.</exception>
    public static double Percentile(IEnumerable<double> samples, double fraction)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fraction, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fraction, 1);
        var sorted = samples.Order().ToArray();
        if (sorted.Length == 0) throw new ArgumentException("No samples.", nameof(samples));
        var rank = fraction * (sorted.Length - 1);
        var below = (int)Math.Floor(rank);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (sorted[above] - sorted[below]) * (rank - below);
    }
}
