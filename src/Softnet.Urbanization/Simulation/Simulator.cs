namespace Softnet.Urbanization;

/// <summary>
/// A fast discrete-time datacenter simulator. Every step it measures each host, accumulates energy and SLA time,
/// asks a <see cref="ConsolidationDirector"/> for migrations and carries them out, each taking its memory over half
/// the destination's bandwidth. It follows CloudSim 3.0.3's PowerDatacenter event for event, so the CloudSim
/// baseline policies reproduce CloudSim's results; any other policy runs under the same rules, side by side.
/// </summary>
public static class Simulator
{
    public static SimulationResult Run(
        Scenario scenario,
        ConsolidationPolicy policy,
        SimulationSettings? settings = null,
        Action<SimulationProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(policy);
        return new SimulatedDatacenter(scenario, policy, settings ?? SimulationSettings.CloudSim).Run(progress, cancellationToken);
    }

    /// <summary>Times of the steps: CloudSim adds the step to the previous time, so do we, for the same doubles.</summary>
    internal static List<double> StepTimes(SimulationSettings settings)
    {
        var times = new List<double>();
        for (var t = settings.StartOffsetSeconds + settings.StepSeconds; t < settings.DurationSeconds; t += settings.StepSeconds) times.Add(t);
        return times;
    }
}
