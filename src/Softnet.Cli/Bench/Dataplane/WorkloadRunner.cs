using System.Diagnostics;
using Softnet.Cli.Bench.RoutingData;

namespace Softnet.Cli.Bench.Dataplane;

/// <summary>
/// Measures one workload: builds it (not timed), warms it up until the tiered JIT has had time to recompile the hot
/// path with its profile, then times <see cref="Runs"/> runs of a fixed packet count each, counting what the
/// measuring thread allocates during them. Progress goes to the output as it happens.
/// </summary>
internal sealed class WorkloadRunner(BenchTables tables, TextWriter output)
{
    public const int Runs = 7;

    /// <summary>Warm-up time per workload: tier-0 code is instrumented, promoted after 30 calls and a 100 ms quiet spell, compiled in the background.</summary>
    public static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(1.5);

    private const int MinWarmUpRounds = 4;

    public WorkloadResult Measure(Workload workload, string progress)
    {
        output.WriteLine($"{progress} {workload.Key}: {workload.Summary}");
        if (workload.NeedsRoutingData && !LoadRoutingData(out var failure))
            return new WorkloadResult(workload, WorkloadOutcome.Skipped, $"routing data unavailable: {failure}");
        try
        {
            return Measure(workload);
        }
        catch (Exception e) when (e is BenchmarkFailure or InvalidOperationException or ArgumentException)
        {
            output.WriteLine($"    FAILED: {e.Message}");
            return new WorkloadResult(workload, WorkloadOutcome.Failed, e.Message);
        }
    }

    private WorkloadResult Measure(Workload workload)
    {
        output.Write("    setting up... ");
        output.Flush();
        var setup = Stopwatch.StartNew();
        var trial = workload.Prepare(tables);
        output.WriteLine($"{setup.Elapsed.TotalSeconds:0.0} s ({string.Join(", ", trial.Facts.Select(f => $"{f.Key} {f.Value:N0}"))})");
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();

        var packets = workload.PacketsPerRun;
        var chunk = Math.Max(256, packets / 8 / 256 * 256);
        var warm = Stopwatch.StartNew();
        long warmPackets = 0;
        for (var round = 0; round < MinWarmUpRounds || warm.Elapsed < WarmUp; round++)
        {
            trial.Run(chunk);
            warmPackets += chunk;
        }
        output.WriteLine($"    warm-up: {warmPackets:N0} packets in {warm.Elapsed.TotalSeconds:0.0} s");

        var rates = new double[Runs];
        var cpuShares = new List<double>();
        long allocated = 0;
        var collections = CollectionCount();
        for (var run = 0; run < Runs; run++)
        {
            var cpuBefore = ThreadCpuClock.Now();
            var before = GC.GetAllocatedBytesForCurrentThread();
            var start = Stopwatch.GetTimestamp();
            trial.Run(packets);
            var elapsed = Stopwatch.GetElapsedTime(start);
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
            var cpu = ThreadCpuClock.Now() - cpuBefore;
            rates[run] = packets / elapsed.TotalSeconds / 1e6;
            var share = "";
            if (cpu is { } used)
            {
                cpuShares.Add(used / elapsed);
                share = $" (on CPU {used / elapsed:P0} of the time)";
            }
            output.WriteLine($"    run {run + 1}/{Runs}: {packets:N0} in {elapsed.TotalSeconds:0.000} s = {rates[run]:0.00} M/s{share}");
        }
        return new WorkloadResult(workload, WorkloadOutcome.Measured)
        {
            RunMpps = rates,
            PacketsPerRun = packets,
            AllocatedBytes = allocated,
            Collections = CollectionCount() - collections,
            CpuShares = cpuShares,
            Facts = trial.Facts,
        };
    }

    /// <summary>Loads the routing data on first need, saying so; says once why it cannot be had.</summary>
    private bool LoadRoutingData(out string failure)
    {
        if (!tables.Tried)
        {
            output.Write($"    loading the routing data ({AsnPackage.PackageName})... ");
            output.Flush();
            var loading = Stopwatch.StartNew();
            var loaded = tables.TryLoad(out failure);
            output.WriteLine(loaded ? $"{loading.Elapsed.TotalSeconds:0.0} s" : "unavailable");
            if (!loaded) output.WriteLine($"    skipped: {failure}");
            return loaded;
        }
        if (tables.TryLoad(out failure)) return true;
        output.WriteLine("    skipped: the routing data is unavailable (see above)");
        return false;
    }

    private static int CollectionCount() => GC.CollectionCount(0);
}
