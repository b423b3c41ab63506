namespace Softnet.Urbanization;

/// <summary>
/// What an overload detector looks at on one host: capacity, the MIPS its devices request, its utilization history
/// (newest first, trailing zeros trimmed), and the longest migration off it.
/// </summary>
internal readonly ref struct HostLoad(int totalMips, double requestedMips, ReadOnlySpan<double> history, double longestMigrationSeconds, int stepSeconds)
{
    public int TotalMips { get; } = totalMips;
    public double RequestedMips { get; } = requestedMips;
    public ReadOnlySpan<double> History { get; } = history;
    public double LongestMigrationSeconds { get; } = longestMigrationSeconds;
    public int StepSeconds { get; } = stepSeconds;
}

/// <summary>Applies an <see cref="OverloadPolicy"/> to a host. Pure.</summary>
public static class OverloadDetector
{
    /// <summary>Whether host <paramref name="host"/> of <paramref name="snapshot"/> is overloaded under <paramref name="policy"/>.</summary>
    public static bool IsOverloaded(OverloadPolicy policy, DatacenterSnapshot snapshot, int host)
    {
        var state = new PlanningState(snapshot);
        return state.IsOverloaded(policy, host);
    }

    /// <summary>The overloaded hosts of <paramref name="snapshot"/>, in host order.</summary>
    public static IReadOnlyList<int> OverloadedHosts(OverloadPolicy policy, DatacenterSnapshot snapshot)
    {
        var state = new PlanningState(snapshot);
        return [.. Enumerable.Range(0, snapshot.Hosts.Length).Where(h => state.IsOverloaded(policy, h))];
    }

    internal static bool IsOverloaded(OverloadPolicy policy, in HostLoad load)
    {
        switch (policy)
        {
            case OverloadPolicy.Threshold threshold:
                return load.RequestedMips / load.TotalMips > threshold.Utilization;
            case OverloadPolicy.LocalRegression lr:
                {
                    if (load.History.Length < lr.Window) return IsOverloaded(lr.Fallback, load);
                    Span<double> oldestFirst = stackalloc double[lr.Window];
                    for (var i = 0; i < lr.Window; i++) oldestFirst[i] = load.History[lr.Window - i - 1];
                    var (intercept, slope) = Statistics.LinearFit(oldestFirst);
                    var migrationSteps = Math.Ceiling(load.LongestMigrationSeconds / load.StepSeconds);
                    var predicted = intercept + slope * (lr.Window + migrationSteps);
                    return predicted * lr.Safety >= 1;
                }
            case OverloadPolicy.InterQuartileRange iqr:
                return load.History.Length >= iqr.MinimumHistory
                    ? load.RequestedMips / load.TotalMips > 1 - iqr.Safety * Statistics.InterQuartileRange(load.History)
                    : IsOverloaded(iqr.Fallback, load);
            case OverloadPolicy.MedianAbsoluteDeviation mad:
                return load.History.Length >= mad.MinimumHistory
                    ? load.RequestedMips / load.TotalMips > 1 - mad.Safety * Statistics.MedianAbsoluteDeviation(load.History)
                    : IsOverloaded(mad.Fallback, load);
            default:
                throw new ArgumentOutOfRangeException(nameof(policy), policy, "Unknown overload policy.");
        }
    }
}
