namespace Softnet.Urbanization;

/// <summary>
/// Softnet's urbanizer: keep the devices packed on as few of the most power-efficient servers as their predicted
/// demand allows, and move as little as possible. Immutable data; <see cref="PackingDirector"/> applies it.
/// </summary>
/// <remarks>
/// A host's predicted load is the devices' current demand plus <see cref="Headroom"/> standard deviations of their
/// step-to-step change over the last <see cref="Window"/> samples (independent changes add in variance, so a host of
/// many devices needs relatively less headroom than one of few). Three utilization bands give the hysteresis: a host
/// above <see cref="HighUtilization"/> sheds devices; a device is only put where the host stays at or below
/// <see cref="TargetUtilization"/>; a host below <see cref="LowUtilization"/> is emptied when all its devices fit
/// elsewhere, so that it can go to standby. Between the bands nothing moves.
/// </remarks>
public sealed record PackingPolicy
{
    public PackingPolicy(
        string name = "Softnet",
        double lowUtilization = 0.55,
        double targetUtilization = 0.93,
        double highUtilization = 1.0,
        double headroom = 0,
        int window = 12,
        int maxMigrationsPerRound = int.MaxValue)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!(lowUtilization >= 0 && lowUtilization <= targetUtilization && targetUtilization <= highUtilization && highUtilization <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(targetUtilization), "The bands must satisfy 0 <= low <= target <= high <= 1.");
        }
        ArgumentOutOfRangeException.ThrowIfNegative(headroom);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 2);
        ArgumentOutOfRangeException.ThrowIfNegative(maxMigrationsPerRound);
        (Name, LowUtilization, TargetUtilization, HighUtilization, Headroom, Window, MaxMigrationsPerRound) =
            (name, lowUtilization, targetUtilization, highUtilization, headroom, window, maxMigrationsPerRound);
    }

    public string Name { get; }
    public double LowUtilization { get; }
    public double TargetUtilization { get; }
    public double HighUtilization { get; }
    public double Headroom { get; }
    public int Window { get; }

    /// <summary>Migrations one round may start; relieving overloaded hosts comes first, emptying hosts gets the rest.</summary>
    public int MaxMigrationsPerRound { get; }

    /// <summary>The tuned default used by <c>softnet bench urbanize</c>.</summary>
    public static PackingPolicy Softnet { get; } = new();
}
