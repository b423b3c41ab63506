namespace Softnet.Cli.Bench.Dataplane;

/// <summary>
/// <c>softnet bench dataplane</c>: the forwarding rate of each device on one core with in-memory frames. Each
/// workload builds its device, then pushes 60-byte frames (64 on the wire with the FCS; 62 for IPv6) through the
/// real device path: a <see cref="Softnet.DataPlane.Ports.FrameSource"/> fills a vector of 256 buffers, the device
/// receives, runs and flushes it, and its ports transmit into a <see cref="Softnet.DataPlane.Ports.DiscardPort"/>.
/// A run in which any packet is not delivered fails the workload.
/// </summary>
public static class DataplaneBench
{
    private const long MiB = 1024 * 1024;

    /// <summary>Every workload, in the order they run.</summary>
    internal static IReadOnlyList<Workload> Workloads { get; } =
    [
        new SwitchWorkload("l2_1k_macs", macs: 1_000, ports: 8, distinctFrames: 1 << 17, packetsPerRun: 20_000_000, new Target(20)),
        new SwitchWorkload("l2_1m_macs", macs: 1_000_000, ports: 8, distinctFrames: 1 << 20, packetsPerRun: 10_000_000, new Target(10)),
        new Ipv4RouterWorkload("ipv4_small_fib", "router, 16 ports, 48 routes (/8 to /24), random routed destinations",
            _ => Ipv4RouterWorkload.SmallTable(), needsRoutingData: false, distinctFrames: 1 << 17, packetsPerRun: 16_000_000, new Target(15)),
        new Ipv4RouterWorkload("ipv4_full_table", "router, 16 ports, real IPv4 prefixes augmented to 1.1M, random routed destinations",
            tables => tables.Ipv4Full, needsRoutingData: true, distinctFrames: 1 << 20, packetsPerRun: 10_000_000, new Target(10, 64 * MiB)),
        new Ipv4RouterWorkload("ipv4_real_table", "router, 16 ports, the real IPv4 prefixes alone, random routed destinations",
            tables => tables.Ipv4Real, needsRoutingData: true, distinctFrames: 1 << 20, packetsPerRun: 10_000_000, null),
        new Ipv6RouterWorkload("ipv6_full_table", distinctFrames: 1 << 20, packetsPerRun: 8_000_000, null),
        new LpmWorkload("lpm_lookup_only", distinctDestinations: 1 << 22, lookupsPerRun: 60_000_000, new Target(60)),
        new LsrWorkload("mpls_swap", labels: 100_000, distinctFrames: 1 << 17, packetsPerRun: 16_000_000, new Target(15)),
    ];

    /// <summary>Runs the workloads named in <paramref name="only"/> (all when empty), printing progress and a table to <paramref name="output"/>; writes the JSON results to <paramref name="jsonPath"/> when given.</summary>
    /// <returns>0 when every workload ran or was skipped for want of routing data, 1 when one failed, 2 for an unknown workload name.</returns>
    public static int Run(string? jsonPath, IReadOnlyList<string>? only, TextWriter output)
    {
        var names = (only ?? []).SelectMany(n => n.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToHashSet();
        var unknown = names.Where(n => !Workloads.Any(w => w.Key == n)).ToList();
        if (unknown.Count > 0)
        {
            output.WriteLine($"bench dataplane: unknown workload {string.Join(", ", unknown)}; the workloads are {string.Join(", ", Workloads.Select(w => w.Key))}.");
            return 2;
        }
        var selected = names.Count == 0 ? Workloads : Workloads.Where(w => names.Contains(w.Key)).ToList();
        return Run(selected, BenchTables.FromPackage(), jsonPath, output);
    }

    internal static int Run(IReadOnlyList<Workload> workloads, BenchTables tables, string? jsonPath, TextWriter output)
    {
        var results = new List<WorkloadResult>();
        using (var pinning = CpuPinning.PinCurrentThread())
        {
            output.WriteLine($"bench dataplane: {workloads.Count} workload(s), {WorkloadRunner.Runs} timed runs each after >= {WorkloadRunner.WarmUp.TotalSeconds:0.#} s of warm-up; {pinning.Description}.");
            var runner = new WorkloadRunner(tables, output);
            for (var i = 0; i < workloads.Count; i++) results.Add(runner.Measure(workloads[i], $"[{i + 1}/{workloads.Count}]"));
        }
        output.WriteLine();
        ResultsReport.WriteTable(results, output);
        if (jsonPath is not null)
        {
            ResultsReport.WriteJson(results, jsonPath);
            output.WriteLine($"Results written to {Path.GetFullPath(jsonPath)}.");
        }
        return results.Any(r => r.Outcome == WorkloadOutcome.Failed) ? 1 : 0;
    }
}
