namespace Softnet.Urbanization.Tests;

/// <summary>
/// Softnet's urbanizer against the re-implemented LR-MMT-1.2, by the same simulator on the same PlanetLab day:
/// energy within 15 % of the lower bound (both the whole trace demand and the demand actually served), at most a
/// quarter of LR-MMT's migrations, and no more SLA violation (SLATAH × PDM).
/// </summary>
public sealed class UrbanizerTargetTests
{
    [Theory]
    [InlineData("20110303")]
    [InlineData("20110306")]
    [InlineData("20110309")]
    public void MeetsTheTargetsAgainstLrMmt(string day)
    {
        var comparison = UrbanizationComparison.Run(CloudSimPlanetLab.Load(SharedData.PlanetLab(day)), PackingPolicy.Softnet, ConsolidationPolicy.LrMmt(1.2));

        Assert.InRange(comparison.EnergyVsLowerBound, 0.5, 1.15);
        Assert.InRange(comparison.EnergyVsServedLowerBound, 1, 1.15);
        Assert.InRange(comparison.Softnet.Migrations, 1, comparison.Baseline.Migrations / 4);
        Assert.True(comparison.Softnet.Slav <= comparison.Baseline.Slav, $"SLAV {comparison.Softnet.Slav} above LR-MMT's {comparison.Baseline.Slav}");
        Assert.Equal(comparison.Baseline.FinishedDevices, comparison.Softnet.FinishedDevices);
    }

    [Fact]
    public void StartsFromTheBaselinesPlacement()
    {
        // Two G5 hosts, two 1000-MIPS devices at 30 %: created one per host as for LR-MMT, then host 0 (below the low
        // band, first of the equally loaded) is emptied into host 1 at the first step.
        var scenario = new Scenario(
            Infrastructure.SingleSite([new Server("h0", ServerType.HpProLiantMl110G5, "dc0"), new Server("h1", ServerType.HpProLiantMl110G5, "dc0")]),
            [new Device("v0", 1000, 1000, DemandTrace.Constant(0.3)), new Device("v1", 1000, 1000, DemandTrace.Constant(0.3))]);
        var oneHour = SimulationSettings.CloudSim with { DurationSeconds = 3600 };
        var softnet = Simulator.Run(scenario, PackingPolicy.Softnet, oneHour);
        var baseline = Simulator.Run(scenario, ConsolidationPolicy.LrMmt(1.2), oneHour);
        Assert.Equal("Softnet", softnet.Policy);
        Assert.Equal(1, softnet.Migrations);
        Assert.Equal(baseline.Samples[0].Watts, softnet.Samples[0].Watts);
        Assert.Equal([2, 1, 1], softnet.Samples.Take(3).Select(s => s.ActiveServers));
        Assert.All(softnet.Samples, s => Assert.Equal(600, s.RequestedMips, 9));
    }
}
