namespace Softnet.Urbanization;

/// <summary>
/// A complete consolidation policy: overload detection, selection of what to move, placement and the underload rule.
/// The same record drives the simulator and, later, the live controller.
/// </summary>
public sealed record ConsolidationPolicy(
    string Name,
    OverloadPolicy Overload,
    SelectionPolicy Selection,
    PlacementPolicy Placement,
    UnderloadPolicy Underload)
{
    /// <summary>CloudSim's LR-MMT: local regression with the given safety (THR 0.7 fallback), MMT, PABFD.</summary>
    public static ConsolidationPolicy LrMmt(double safety = 1.2) => new(
        $"LR-MMT-{safety.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
        new OverloadPolicy.LocalRegression(safety),
        new SelectionPolicy.MinimumMigrationTime(),
        new PlacementPolicy.PowerAwareBestFitDecreasing(),
        new UnderloadPolicy.LeastUtilizedFirst());

    /// <summary>CloudSim's THR-MMT: static utilization threshold, MMT, PABFD.</summary>
    public static ConsolidationPolicy ThrMmt(double threshold = 0.8) => new(
        $"THR-MMT-{threshold.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
        new OverloadPolicy.Threshold(threshold),
        new SelectionPolicy.MinimumMigrationTime(),
        new PlacementPolicy.PowerAwareBestFitDecreasing(),
        new UnderloadPolicy.LeastUtilizedFirst());

    /// <summary>CloudSim's IQR-MMT.</summary>
    public static ConsolidationPolicy IqrMmt(double safety = 1.5) => new(
        $"IQR-MMT-{safety.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
        new OverloadPolicy.InterQuartileRange(safety),
        new SelectionPolicy.MinimumMigrationTime(),
        new PlacementPolicy.PowerAwareBestFitDecreasing(),
        new UnderloadPolicy.LeastUtilizedFirst());

    /// <summary>CloudSim's MAD-MMT.</summary>
    public static ConsolidationPolicy MadMmt(double safety = 2.5) => new(
        $"MAD-MMT-{safety.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
        new OverloadPolicy.MedianAbsoluteDeviation(safety),
        new SelectionPolicy.MinimumMigrationTime(),
        new PlacementPolicy.PowerAwareBestFitDecreasing(),
        new UnderloadPolicy.LeastUtilizedFirst());
}
