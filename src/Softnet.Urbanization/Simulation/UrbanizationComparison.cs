namespace Softnet.Urbanization;

/// <summary>
/// Softnet's urbanizer and a CloudSim baseline run by the same <see cref="Simulator"/> on the same scenario, with the
/// energy lower bounds they are measured against.
/// </summary>
/// <param name="LowerBoundKWh">The whole demand of the traces on the fewest efficient servers (<see cref="EnergyLowerBound.FromTraces"/>).</param>
/// <param name="ServedLowerBoundKWh">
/// The demand the simulation actually served on the fewest efficient servers (<see cref="EnergyLowerBound.FromRun"/>):
/// lower than <paramref name="LowerBoundKWh"/> because, as in CloudSim, a device whose demand falls to zero finishes.
/// </param>
public sealed record UrbanizationComparison(
    SimulationResult Softnet,
    SimulationResult Baseline,
    double LowerBoundKWh,
    double ServedLowerBoundKWh,
    TimeSpan SoftnetWall,
    TimeSpan BaselineWall)
{
    public double EnergyVsLowerBound => Softnet.EnergyKWh / LowerBoundKWh;
    public double EnergyVsServedLowerBound => Softnet.EnergyKWh / ServedLowerBoundKWh;
    public double BaselineEnergyVsLowerBound => Baseline.EnergyKWh / LowerBoundKWh;

    /// <summary>
    /// Runs the baseline, then Softnet, on <paramref name="scenario"/>; <paramref name="progress"/> hears each step
    /// with the name of the policy running. The lower bounds use the most efficient server type of the scenario.
    /// </summary>
    public static UrbanizationComparison Run(
        Scenario scenario,
        PackingPolicy softnet,
        ConsolidationPolicy baseline,
        SimulationSettings? settings = null,
        Action<string, SimulationProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        settings ??= SimulationSettings.CloudSim;
        var efficient = scenario.Infrastructure.Servers.Select(s => s.Type).MaxBy(t => t.TotalMips / t.Power.PeakWatts)
            ?? throw new ArgumentException("The scenario has no servers.", nameof(scenario));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var baselineResult = Simulator.Run(scenario, baseline, settings, p => progress?.Invoke(baseline.Name, p), cancellationToken);
        var baselineWall = clock.Elapsed;
        clock.Restart();
        var softnetResult = Simulator.Run(scenario, softnet, settings, p => progress?.Invoke(softnet.Name, p), cancellationToken);
        var softnetWall = clock.Elapsed;
        return new UrbanizationComparison(
            softnetResult,
            baselineResult,
            EnergyLowerBound.FromTraces(scenario.Devices, efficient),
            EnergyLowerBound.FromRun(softnetResult, efficient, settings.StepSeconds),
            softnetWall,
            baselineWall);
    }
}
