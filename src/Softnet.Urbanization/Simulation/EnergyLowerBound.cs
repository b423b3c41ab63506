namespace Softnet.Urbanization;

/// <summary>
/// The energy no placement can beat: in each interval, the demand spread evenly over the fewest servers of the given
/// type that can carry it at up to 100 %, each drawing the power of the resulting load; no SLA, memory or migration
/// limits, and idle servers draw nothing.
/// </summary>
public static class EnergyLowerBound
{
    /// <summary>
    /// Over every sample of the devices' traces (interval k carries sample k for one trace step): the whole demand
    /// of the traces, including devices a simulation finishes early because their demand fell to zero.
    /// </summary>
    public static double FromTraces(IReadOnlyList<Device> devices, ServerType server)
    {
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentNullException.ThrowIfNull(server);
        if (devices.Count == 0) return 0;
        var step = devices[0].Cpu.StepSeconds;
        if (devices.Any(d => d.Cpu.StepSeconds != step)) throw new ArgumentException("All traces must share one step.", nameof(devices));
        var samples = devices.Max(d => d.Cpu.Samples.Length);
        var joules = 0.0;
        for (var k = 0; k < samples; k++)
        {
            var demand = 0.0;
            foreach (var device in devices)
            {
                var trace = device.Cpu.Samples;
                if (k < trace.Length) demand += trace[k] * device.Mips;
            }
            joules += Watts(demand, server) * step;
        }
        return joules / 3.6e6;
    }

    /// <summary>
    /// Over the steps of a simulation: the demand the hosted devices requested at each step, held until the next
    /// (the last step for <paramref name="stepSeconds"/>). This is the demand the simulated datacenter really served.
    /// </summary>
    public static double FromRun(SimulationResult result, ServerType server, int stepSeconds)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(server);
        var joules = 0.0;
        for (var i = 0; i < result.Samples.Length; i++)
        {
            var seconds = i + 1 < result.Samples.Length ? result.Samples[i + 1].Seconds - result.Samples[i].Seconds : stepSeconds;
            joules += Watts(result.Samples[i].RequestedMips, server) * seconds;
        }
        return joules / 3.6e6;
    }

    /// <summary>Watts of <paramref name="demandMips"/> spread evenly over the fewest servers that carry it.</summary>
    public static double Watts(double demandMips, ServerType server)
    {
        if (!(demandMips > 0)) return 0;
        var servers = Math.Ceiling(demandMips / server.TotalMips);
        return servers * server.Power.Watts(Math.Min(1, demandMips / (servers * server.TotalMips)));
    }
}
