using System.Collections.Immutable;

namespace Softnet.Urbanization;

/// <summary>
/// A fast discrete-time datacenter simulator. Every step it measures each host, accumulates energy and SLA time,
/// asks a director for migrations and carries them out, each taking its memory over half the destination's
/// bandwidth. It follows CloudSim 3.0.3's PowerDatacenter event for event, so the CloudSim baseline policies
/// reproduce CloudSim's results; any other policy runs under the same rules, side by side.
/// </summary>
public static class Simulator
{
    /// <summary>Runs a CloudSim-style policy: its own start-up placement, then <see cref="ConsolidationDirector"/> every step.</summary>
    public static SimulationResult Run(
        Scenario scenario,
        ConsolidationPolicy policy,
        SimulationSettings? settings = null,
        Action<SimulationProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return Run(scenario, new Controller(policy.Name, policy, s => ConsolidationDirector.Plan(policy, s)), settings, progress, cancellationToken);
    }

    /// <summary>
    /// Runs Softnet's urbanizer: <see cref="PackingDirector"/> every step. Devices are created exactly as in the
    /// LR-MMT-1.2 baseline (CloudSim's start-up placement at full MIPS, before any demand is known), so both runs
    /// start from the same state and differ only in how they re-place devices afterwards.
    /// </summary>
    public static SimulationResult Run(
        Scenario scenario,
        PackingPolicy policy,
        SimulationSettings? settings = null,
        Action<SimulationProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return Run(scenario, new Controller(policy.Name, ConsolidationPolicy.LrMmt(1.2), s => PackingDirector.Plan(policy, s)), settings, progress, cancellationToken);
    }

    private static SimulationResult Run(Scenario scenario, Controller controller, SimulationSettings? settings, Action<SimulationProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        return new SimulatedDatacenter(scenario, controller, settings ?? SimulationSettings.CloudSim).Run(progress, cancellationToken);
    }

    /// <summary>Times of the steps: CloudSim adds the step to the previous time, so do we, for the same doubles.</summary>
    internal static List<double> StepTimes(SimulationSettings settings)
    {
        var times = new List<double>();
        for (var t = settings.StartOffsetSeconds + settings.StepSeconds; t < settings.DurationSeconds; t += settings.StepSeconds) times.Add(t);
        return times;
    }
}

/// <summary>What drives a simulation: its name in the results, how devices are created, and the per-step director.</summary>
internal sealed record Controller(string Name, ConsolidationPolicy StartUp, Func<DatacenterSnapshot, ImmutableArray<Migration>> Plan);
