namespace Softnet.Urbanization.Tests;

public sealed class EnergyLowerBoundTests
{
    private static readonly ServerType G5 = ServerType.HpProLiantMl110G5;

    [Fact]
    public void DemandIsSpreadOverTheFewestServers()
    {
        // 6000 MIPS need two G5s (5320 each), both at 6000 / 10640.
        Assert.Equal(2 * G5.Power.Watts(6000.0 / 10640), EnergyLowerBound.Watts(6000, G5), 12);
        Assert.Equal(G5.Power.PeakWatts, EnergyLowerBound.Watts(5320, G5), 12);
        Assert.Equal(0, EnergyLowerBound.Watts(0, G5));
    }

    [Fact]
    public void TracesContributeEachSampleForOneStep()
    {
        // Two samples of 300 s: 6000 MIPS, then 2500 MIPS on one server.
        Device[] devices = [new("a", 2500, 870, new DemandTrace([1, 0.4], 300)), new("b", 3500, 870, new DemandTrace([1, 0.4], 300))];
        var joules = 300 * (EnergyLowerBound.Watts(6000, G5) + G5.Power.Watts(2400.0 / 5320));
        Assert.Equal(joules / 3.6e6, EnergyLowerBound.FromTraces(devices, G5), 12);
    }

    [Fact]
    public void ARunContributesEachStepUntilTheNext()
    {
        var run = new SimulationResult("x", 1, 1, 0, 0, 0, 0, 0, 0, [new SimulationSample(300, 0, 1, 1, 0, 1000), new SimulationSample(400, 0, 1, 1, 0, 2000)]);
        var joules = 100 * G5.Power.Watts(1000.0 / 5320) + 300 * G5.Power.Watts(2000.0 / 5320);
        Assert.Equal(joules / 3.6e6, EnergyLowerBound.FromRun(run, G5, 300), 12);
    }

    [Fact]
    public void PlanetLabDayMatchesThePublishedBound()
    {
        var devices = CloudSimPlanetLab.Vms(PlanetLabTrace.Load(SharedData.PlanetLab("20110303")));
        Assert.Equal(116.3, Math.Round(EnergyLowerBound.FromTraces(devices, G5), 1));
    }
}
