using System.Collections.Immutable;
using Softnet.Urbanization;

namespace Softnet.Cli.Bench.Urbanization;

/// <summary>
/// <c>softnet bench exact</c>: the optimality gap of Softnet's packing heuristic on a placement snapshot, against
/// CP-SAT. The snapshot is <c>--vms</c> PlanetLab VMs (evenly spread over the trace files, those with demand) at one
/// trace sample, in CloudSim's VM sizes; both place them on G4 and G5 servers up to the heuristic's target band.
/// </summary>
public static class ExactBench
{
    private const double GapTarget = 3;

    /// <returns>0 when the gap target is met (or not applicable above 200 VMs), 1 when missed, 2 for bad input.</returns>
    public static int Run(string traceDirectory, int vms, int sample, double timeLimitSeconds, string? jsonPath, TextWriter output)
    {
        ImmutableArray<Device> devices;
        try
        {
            devices = CloudSimPlanetLab.Vms(PlanetLabTrace.Load(traceDirectory));
        }
        catch (Exception e) when (e is IOException or ArgumentException or FormatException)
        {
            output.WriteLine($"bench exact: {e.Message}");
            return 2;
        }
        var busy = devices.Where(d => sample < d.Cpu.Samples.Length && d.Cpu.Samples[sample] > 0).ToList();
        if (vms < 1 || vms > busy.Count)
        {
            output.WriteLine($"bench exact: --vms must be within 1 and {busy.Count} (the VMs with demand at sample {sample}).");
            return 2;
        }
        var demands = Enumerable.Range(0, vms).Select(i => (int)Math.Ceiling(busy[(int)((long)i * busy.Count / vms)].MipsAt(sample * PlanetLabTrace.StepSeconds))).ToImmutableArray();
        var policy = PackingPolicy.Softnet;

        // The heuristic on an ample pool of alternating G4 and G5 servers (CloudSim's), then the exact model on a pool
        // that provably holds an optimum: every powered server draws at least the lowest idle power, so no placement
        // better than the heuristic's powers more than heuristic watts / idle watts servers, and servers of one type
        // are interchangeable; so that many of each type lose nothing.
        var pool = CloudSimPlanetLab.Hosts(2 * (int)Math.Ceiling(demands.Sum() / (policy.TargetUtilization * 3720.0)) + 4).Servers.Select(s => s.Type).ToImmutableArray();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var poolPlacement = PackingDirector.PlaceNew(policy, new PlacementProblem(pool, demands, policy.TargetUtilization).ToSnapshot());
        var heuristicSeconds = clock.Elapsed.TotalSeconds;
        var used = poolPlacement.Distinct().ToList();
        var g5 = ServerType.HpProLiantMl110G5;
        var g4 = ServerType.HpProLiantMl110G4;
        var usedG5 = used.Where(s => pool[s] == g5).ToList();
        var usedG4 = used.Where(s => pool[s] == g4).ToList();
        var poolWatts = new PlacementProblem(pool, demands, policy.TargetUtilization).Watts(poolPlacement);
        var perType = (int)Math.Floor(poolWatts / Math.Min(g4.Power.IdleWatts, g5.Power.IdleWatts) + 1e-9);
        ImmutableArray<ServerType> servers = [.. Enumerable.Repeat(g5, perType), .. Enumerable.Repeat(g4, perType)];
        var problem = new PlacementProblem(servers, demands, policy.TargetUtilization);
        // The heuristic's servers, heaviest first within each type, so the hint respects the model's symmetry breaking.
        var load = used.ToDictionary(s => s, s => demands.Where((_, d) => poolPlacement[d] == s).Sum());
        var renumber = usedG5.OrderByDescending(s => load[s]).Select((s, i) => (s, i))
            .Concat(usedG4.OrderByDescending(s => load[s]).Select((s, i) => (s, perType + i)))
            .ToDictionary(p => p.s, p => p.Item2);
        var heuristic = poolPlacement.Select(s => renumber[s]).ToArray();
        var heuristicWatts = problem.Watts(heuristic);

        output.WriteLine($"bench exact: {vms} VMs ({demands.Sum()} MIPS) at sample {sample} of {Path.GetFullPath(traceDirectory)}; CP-SAT on {servers.Length} servers, up to {timeLimitSeconds:0.#} s.");
        var exact = ExactPlacement.Solve(problem, TimeSpan.FromSeconds(timeLimitSeconds), heuristic);
        if (exact is null)
        {
            output.WriteLine("bench exact: CP-SAT found no placement in time.");
            return 1;
        }
        var gap = 100 * (heuristicWatts - exact.Watts) / exact.Watts;
        var gapToBound = 100 * (heuristicWatts - exact.LowerBoundWatts) / exact.LowerBoundWatts;
        Figure[] figures =
        [
            new("vms", vms),
            new("heuristic_watts", Math.Round(heuristicWatts, 3)),
            new("heuristic_servers", used.Count),
            new("heuristic_seconds", Math.Round(heuristicSeconds, 4)),
            new("exact_watts", Math.Round(exact.Watts, 3)),
            new("exact_servers", exact.Assignment.Distinct().Count()),
            new("exact_lower_bound_watts", Math.Round(exact.LowerBoundWatts, 3)),
            new("proven_optimal", exact.Optimal ? 1 : 0),
            new("gap_pct", Math.Round(gap, 3), vms > 200 ? null : gap <= GapTarget, $"<= {GapTarget}"),
            new("gap_vs_bound_pct", Math.Round(gapToBound, 3)),
            new("solve_seconds", Math.Round(exact.Elapsed.TotalSeconds, 3)),
        ];
        output.WriteLine();
        BenchReport.WriteTable(figures, output);
        if (!exact.Optimal) output.WriteLine("CP-SAT stopped at the time limit: gap_pct is against its best placement, gap_vs_bound_pct against its proven bound.");
        if (jsonPath is not null)
        {
            BenchReport.WriteJson(figures, new Dictionary<string, string> { ["trace"] = Path.GetFullPath(traceDirectory), ["sample"] = sample.ToString(System.Globalization.CultureInfo.InvariantCulture) }, jsonPath);
            output.WriteLine($"Results written to {Path.GetFullPath(jsonPath)}.");
        }
        return figures.Any(f => f.TargetMet == false) ? 1 : 0;
    }
}
