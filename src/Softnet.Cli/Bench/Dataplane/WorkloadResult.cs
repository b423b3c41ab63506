namespace Softnet.Cli.Bench.Dataplane;

internal enum WorkloadOutcome
{
    Measured,

    /// <summary>Not run: what it needs (the routing data) could not be had.</summary>
    Skipped,

    /// <summary>Set-up failed or packets went missing; no figures.</summary>
    Failed,
}

/// <summary>What one workload measured: the rate of every run and what the workload built.</summary>
internal sealed record WorkloadResult(Workload Workload, WorkloadOutcome Outcome, string? Reason = null)
{
    /// <summary>Million packets (or lookups) per second of each measured run, in run order.</summary>
    public IReadOnlyList<double> RunMpps { get; init; } = [];

    public long PacketsPerRun { get; init; }

    /// <summary>Per run, the fraction of the wall time the measuring thread was on a CPU (empty where unknown); below 1, another process took the core.</summary>
    public IReadOnlyList<double> CpuShares { get; init; } = [];

    /// <summary>Bytes the measuring thread allocated during all measured runs together.</summary>
    public long AllocatedBytes { get; init; }

    /// <summary>Garbage collections of any generation during the measured runs.</summary>
    public int Collections { get; init; }

    public IReadOnlyList<KeyValuePair<string, long>> Facts { get; init; } = [];

    public double MedianMpps => Median(RunMpps);

    /// <summary>The median rate per second of the thread's CPU time, null where unknown: close to the rate on an idle core when others shared it.</summary>
    public double? MedianMppsOnCpu => CpuShares.Count == RunMpps.Count && CpuShares.Count > 0
        ? Median([.. RunMpps.Select((mpps, run) => mpps / CpuShares[run])])
        : null;

    public double NsPerPacket => MedianMpps == 0 ? 0 : 1000 / MedianMpps;

    public double AllocatedBytesPerPacket => RunMpps.Count == 0 ? 0 : (double)AllocatedBytes / (PacketsPerRun * RunMpps.Count);

    public long? FibBytes => Facts.Where(f => f.Key == "fib_bytes").Select(f => (long?)f.Value).FirstOrDefault();

    public bool? TargetMet => Outcome == WorkloadOutcome.Measured && Workload.Target is { } target ? target.IsMetBy(MedianMpps, FibBytes) && AllocatedBytes == 0 : null;

    private static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
