using System.Collections.Immutable;
using Google.OrTools.Sat;

namespace Softnet.Urbanization;

/// <summary>
/// A static placement problem: devices of integer MIPS demand to put on servers, each loaded to at most
/// <paramref name="MaxUtilization"/> of its MIPS, a device on a server only if one core is fast enough for it; the
/// cost is the power of the servers that carry load.
/// </summary>
public sealed record PlacementProblem(ImmutableArray<ServerType> Servers, ImmutableArray<int> Demands, double MaxUtilization = 1)
{
    public int Capacity(int server) => (int)Math.Floor(MaxUtilization * Servers[server].TotalMips + 1e-9);

    /// <summary>Watts of an assignment (server per device), or infinity when a server is over its capacity or a device is unplaced.</summary>
    public double Watts(IReadOnlyList<int> assignment)
    {
        var load = new long[Servers.Length];
        for (var d = 0; d < Demands.Length; d++)
        {
            if (assignment[d] < 0 || Demands[d] > Servers[assignment[d]].MipsPerCore) return double.PositiveInfinity;
            load[assignment[d]] += Demands[d];
        }
        var watts = 0.0;
        for (var s = 0; s < load.Length; s++)
        {
            if (load[s] > Capacity(s)) return double.PositiveInfinity;
            if (load[s] > 0) watts += Servers[s].Power.Watts((double)load[s] / Servers[s].TotalMips);
        }
        return watts;
    }

    /// <summary>The problem as a snapshot of switched-off servers and devices on none, for the heuristic directors.</summary>
    public DatacenterSnapshot ToSnapshot() => new(0, 300,
        [.. Servers.Select(t => new HostSnapshot(t, 0, []))],
        [.. Demands.Select(d => new VmSnapshot(d, 0, d, []))]);
}

/// <summary>What the exact solver found: an assignment, its watts, the proven lower bound and whether it is optimal.</summary>
public sealed record ExactPlacementResult(ImmutableArray<int> Assignment, double Watts, double LowerBoundWatts, bool Optimal, TimeSpan Elapsed);

/// <summary>
/// Exact placement with CP-SAT (Google OR-Tools). Each server's power is its SPECpower curve, piecewise linear over
/// ten equal segments of load; the curve is not convex, so segment k may carry load only when segment k − 1 is full
/// (one Boolean per segment). Servers of one type are interchangeable, so their loads are ordered to break symmetry.
/// </summary>
public static class ExactPlacement
{
    /// <summary>
    /// Minimises the power of <paramref name="problem"/> within <paramref name="timeLimit"/>, starting from
    /// <paramref name="hint"/> (a server per device) when given. Null when no placement exists or none was found in time.
    /// </summary>
    public static ExactPlacementResult? Solve(PlacementProblem problem, TimeSpan timeLimit, IReadOnlyList<int>? hint = null, int workers = 2)
    {
        ArgumentNullException.ThrowIfNull(problem);
        int n = problem.Demands.Length, m = problem.Servers.Length;
        // Objective unit: 1 mW divided by the least common multiple of the segment widths, so every coefficient is whole.
        var widths = problem.Servers.Select(t => (long)t.TotalMips / 10).Distinct().ToList();
        if (problem.Servers.Any(t => t.TotalMips % 10 != 0)) throw new ArgumentException("Server MIPS must be a multiple of 10 (ten whole segments).", nameof(problem));
        var scale = widths.Aggregate(1L, (lcm, w) => lcm / Gcd(lcm, w) * w);

        var model = new CpModel();
        var x = new BoolVar[n, m];
        for (var d = 0; d < n; d++)
        {
            for (var s = 0; s < m; s++)
            {
                x[d, s] = model.NewBoolVar($"x{d}_{s}");
                if (problem.Demands[d] > problem.Servers[s].MipsPerCore) model.Add(x[d, s] == 0);
            }
            model.AddExactlyOne(Enumerable.Range(0, m).Select(s => x[d, s]));
        }
        var objective = LinearExpr.NewBuilder();
        var loads = new IntVar[m];
        for (var s = 0; s < m; s++)
        {
            var type = problem.Servers[s];
            var capacity = problem.Capacity(s);
            var width = type.TotalMips / 10;
            var active = model.NewBoolVar($"on{s}");
            loads[s] = model.NewIntVar(0, capacity, $"load{s}");
            var load = LinearExpr.NewBuilder();
            for (var d = 0; d < n; d++)
            {
                load.AddTerm(x[d, s], problem.Demands[d]);
                if (problem.Demands[d] > 0) model.AddImplication(x[d, s], active);
            }
            model.Add(loads[s] == load);
            model.Add(loads[s] <= (long)capacity * active);
            var segments = LinearExpr.NewBuilder();
            IntVar? previous = null;
            objective.AddTerm(active, Milliwatts(type.Power.WattsAtTenths[0]) * scale);
            for (var k = 0; k < 10; k++)
            {
                var segment = model.NewIntVar(0, width, $"seg{s}_{k}");
                if (previous is not null)
                {
                    var started = model.NewBoolVar($"z{s}_{k}");
                    model.Add(segment <= (long)width * started);
                    model.Add(previous >= (long)width * started);
                }
                segments.Add(segment);
                var slope = Milliwatts(type.Power.WattsAtTenths[k + 1]) - Milliwatts(type.Power.WattsAtTenths[k]);
                objective.AddTerm(segment, slope * (scale / width));
                previous = segment;
            }
            model.Add(loads[s] == segments);
            if (s > 0 && problem.Servers[s - 1] == type) model.Add(loads[s - 1] >= loads[s]);
        }
        model.Minimize(objective);
        if (hint is not null)
        {
            for (var d = 0; d < n; d++)
            {
                for (var s = 0; s < m; s++) model.AddHint(x[d, s], hint[d] == s);
            }
        }

        var solver = new CpSolver
        {
            StringParameters = FormattableString.Invariant($"max_time_in_seconds:{timeLimit.TotalSeconds} num_workers:{workers} random_seed:1"),
        };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var status = solver.Solve(model);
        var elapsed = clock.Elapsed;
        if (status is not (CpSolverStatus.Optimal or CpSolverStatus.Feasible)) return null;
        var assignment = new int[n];
        for (var d = 0; d < n; d++) assignment[d] = Enumerable.Range(0, m).First(s => solver.BooleanValue(x[d, s]));
        return new ExactPlacementResult([.. assignment], problem.Watts(assignment), solver.BestObjectiveBound / (1000.0 * scale), status == CpSolverStatus.Optimal, elapsed);
    }

    private static long Milliwatts(double watts) => (long)Math.Round(watts * 1000);

    private static long Gcd(long a, long b) => b == 0 ? a : Gcd(b, a % b);
}
