namespace Softnet.Urbanization.Tests;

public sealed class ExactPlacementTests
{
    private static readonly ServerType G4 = ServerType.HpProLiantMl110G4;
    private static readonly ServerType G5 = ServerType.HpProLiantMl110G5;

    [Fact]
    public void CpSatFindsTheBruteForceOptimum()
    {
        var problem = new PlacementProblem([G5, G5, G4], [2100, 1800, 1500, 1200, 900, 700, 400], 0.93);
        var (best, bestWatts) = BruteForce(problem);
        var exact = ExactPlacement.Solve(problem, TimeSpan.FromSeconds(20))!;
        Assert.True(exact.Optimal);
        Assert.Equal(bestWatts, exact.Watts, 6);
        Assert.Equal(bestWatts, exact.LowerBoundWatts, 3);
        Assert.Equal(bestWatts, problem.Watts(best), 9);
    }

    [Fact]
    public void TheHeuristicMissesTheIdleG4ThatTheExactModelFinds()
    {
        // The heuristic puts 2600 and 1800 MIPS on one G5 (4400 of 4947) and wakes another G5 for the last 600; the
        // optimum carries those 600 on the G4, whose idle power is lower (P4(0.161) = 91.4 W against P5(0.113) = 97.5 W).
        var problem = new PlacementProblem([G5, G5, G4], [2600, 1800, 600], PackingPolicy.Softnet.TargetUtilization);
        var heuristic = PackingDirector.PlaceNew(PackingPolicy.Softnet, problem.ToSnapshot());
        Assert.Equal([0, 0, 1], heuristic.ToArray());
        var exact = ExactPlacement.Solve(problem, TimeSpan.FromSeconds(20), heuristic)!;
        Assert.True(exact.Optimal);
        Assert.Equal([0, 0, 2], exact.Assignment.ToArray());
        Assert.Equal(G5.Power.Watts(4400.0 / 5320) + G4.Power.Watts(600.0 / 3720), exact.Watts, 9);
        Assert.Equal(BruteForce(problem).Watts, exact.Watts, 9);
        Assert.True(problem.Watts(heuristic) > exact.Watts);
    }

    [Fact]
    public void OverfullServersAndDevicesFasterThanACoreAreInfeasible()
    {
        var full = new PlacementProblem([G4], [1800, 1800, 1800], 1);
        Assert.Equal(double.PositiveInfinity, full.Watts([0, 0, 0]));
        Assert.Null(ExactPlacement.Solve(full, TimeSpan.FromSeconds(5)));
        var fast = new PlacementProblem([G4, G5], [2000], 1);
        Assert.Equal(double.PositiveInfinity, fast.Watts([0]));
        Assert.Equal([1], ExactPlacement.Solve(fast, TimeSpan.FromSeconds(5))!.Assignment.ToArray());
    }

    private static (int[] Assignment, double Watts) BruteForce(PlacementProblem problem)
    {
        int n = problem.Demands.Length, m = problem.Servers.Length;
        var assignment = new int[n];
        var best = (Assignment: Array.Empty<int>(), Watts: double.PositiveInfinity);
        for (var code = 0; code < (int)Math.Pow(m, n); code++)
        {
            for (int d = 0, c = code; d < n; d++, c /= m) assignment[d] = c % m;
            var watts = problem.Watts(assignment);
            if (watts < best.Watts) best = ((int[])assignment.Clone(), watts);
        }
        return best;
    }
}

public sealed class BulkPlacementDirectorTests
{
    private static readonly Infrastructure Servers = Infrastructure.SingleSite(
        [new Server("g4", ServerType.HpProLiantMl110G4, "dc0"), new Server("a", ServerType.HpProLiantMl110G5, "dc0"), new Server("b", ServerType.HpProLiantMl110G5, "dc0")]);

    private static Device Dev(string name, double peakMips, int memoryMb = 512, string? replica = null, string? pinned = null) =>
        new(name, 2500, memoryMb, DemandTrace.Constant(peakMips / 2500), ReplicaGroup: replica, PinnedServer: pinned);

    [Fact]
    public void PacksTightestOnEfficientServersAndKeepsReplicasApart()
    {
        // By decreasing peak: r1 (2000) switches on G5 a; r2 (1800), its replica, must switch on b; x (1000) fits
        // either, tightest on a (3000 of 4947); y (400) tightest on a again (3400).
        var network = new SoftwareNetwork("n", [Dev("x", 1000), Dev("r1", 2000, replica: "gw"), Dev("y", 400), Dev("r2", 1800, replica: "gw")]);
        var placement = BulkPlacementDirector.Place(PackingPolicy.Softnet, Servers, [network]);
        Assert.Equal("a", placement[new("n", "r1")]);
        Assert.Equal("b", placement[new("n", "r2")]);
        Assert.Equal("a", placement[new("n", "x")]);
        Assert.Equal("a", placement[new("n", "y")]);
        Assert.Empty(PlacementConstraints.Violations(Servers, [network], placement));
    }

    [Fact]
    public void RespectsMemoryAndPinningAndLeavesOutWhatFitsNowhere()
    {
        // m1 and m2 need 3000 MB each: one per G5. p is pinned to the G4. The 2450 MIPS device exceeds a G4 core and
        // both G5s have only 2447 MIPS left within the band: it is left out.
        var network = new SoftwareNetwork("n", [Dev("m1", 2500, 3000), Dev("m2", 2500, 3000), Dev("p", 100, pinned: "g4"), Dev("big", 2450)]);
        var placement = BulkPlacementDirector.Place(PackingPolicy.Softnet, Servers, [network]);
        Assert.Equal("g4", placement[new("n", "p")]);
        Assert.Equal(["a", "b"], new[] { placement[new("n", "m1")], placement[new("n", "m2")] }.Order());
        Assert.False(placement.ContainsKey(new("n", "big")));
    }
}
