namespace Softnet.Urbanization.Tests;

public sealed class SimulatorTests
{
    private static readonly SimulationSettings OneHour = SimulationSettings.CloudSim with { DurationSeconds = 3600 };
    private static readonly PowerCurve G5 = PowerCurve.HpProLiantMl110G5;

    // Two G5 hosts, two 1000-MIPS devices (1000 MB) at a constant 30 %: start-up puts one on each host; the first
    // step (300.1 s) empties host 0 into host 1, a 16 s migration (1000 MB at 62.5 MB/s).
    private static Scenario TwoHosts(double secondDemand = 0.3) => new(
        Infrastructure.SingleSite([new Server("h0", ServerType.HpProLiantMl110G5, "dc0"), new Server("h1", ServerType.HpProLiantMl110G5, "dc0")]),
        [new Device("v0", 1000, 1000, DemandTrace.Constant(0.3)), new Device("v1", 1000, 1000, DemandTrace.Constant(secondDemand))]);

    [Fact]
    public void EnergyAccruesFromTheFirstMeasurementWithMigrationOverheads()
    {
        var result = Simulator.Run(TwoHosts(), ConsolidationPolicy.ThrMmt(0.8), OneHour);

        Assert.Equal(1, result.Migrations);
        Assert.Equal(11, result.Samples.Length); // steps at 300.1, 600.1, ..., 3300.1
        // Nothing before 300.1 s (no host had been measured busy). During the migration (300.1-316.1 s) the source
        // still runs the device (300 MIPS) and the destination runs its own 300 plus 10 % of the incoming 300; then
        // host 0 is off and host 1 carries 600 MIPS until the last step at 3300.1 s.
        var joules = (G5.Watts(300.0 / 5320) + G5.Watts(330.0 / 5320)) * 16 + G5.Watts(600.0 / 5320) * (3300.1 - 316.1);
        Assert.Equal(joules / 3.6e6, result.EnergyKWh, 9);
        Assert.Equal([2, 1, 1], result.Samples.Take(3).Select(s => s.ActiveServers));
        Assert.Equal(2 * G5.Watts(300.0 / 5320), result.Samples[0].Watts, 9);
    }

    [Fact]
    public void SlaMetricsCountMigrationTime()
    {
        var result = Simulator.Run(TwoHosts(), ConsolidationPolicy.ThrMmt(0.8), OneHour);
        // Host 1 delivers 330 of the 600 MIPS requested while the device arrives (16 s) out of 3016 active host-seconds.
        Assert.Equal(16 / 3016.0, result.Slatah, 9);
        // The moving device gets 90 % of its 300 MIPS for 16 s, out of 2 × 300 MIPS over 3000 s.
        Assert.Equal(30 * 16 / 1.8e6, result.Pdm, 12);
        Assert.Equal(result.Pdm, result.OverallSlaViolation, 12);
        Assert.Equal(result.Slatah * result.Pdm, result.Slav);
    }

    [Fact]
    public void DevicesWithZeroDemandFinishLikeInCloudSim()
    {
        var finished = Simulator.Run(TwoHosts(secondDemand: 0), ConsolidationPolicy.ThrMmt(0.8), OneHour);
        Assert.Equal(1, finished.FinishedDevices);
        Assert.Equal(0, finished.Migrations);
        Assert.All(finished.Samples.Skip(1), s => Assert.Equal(1, s.Devices));

        var kept = Simulator.Run(TwoHosts(secondDemand: 0), ConsolidationPolicy.ThrMmt(0.8), OneHour with { ZeroDemandEndsDevice = false });
        Assert.Equal(0, kept.FinishedDevices);
        Assert.All(kept.Samples, s => Assert.Equal(2, s.Devices));
    }

    [Fact]
    public void PinnedDevicesStayOnTheirServer()
    {
        // Unpinned, the first step moves v0 from h0 to h1 (see above). Pinned to h0, v0 stays; h0 cannot be emptied,
        // and h1 may not pour into h0, which the round has already considered.
        var devices = TwoHosts().Devices;
        var scenario = TwoHosts() with { Devices = devices.SetItem(0, devices[0] with { PinnedServer = "h0" }) };
        var result = Simulator.Run(scenario, ConsolidationPolicy.ThrMmt(0.8), OneHour);
        Assert.Equal(0, result.Migrations);
        Assert.All(result.Samples, s => Assert.Equal(2, s.ActiveServers));
    }

    [Fact]
    public void ProgressIsReportedEveryStep()
    {
        var reports = new List<SimulationProgress>();
        Simulator.Run(TwoHosts(), ConsolidationPolicy.LrMmt(), OneHour, reports.Add);
        Assert.Equal(Enumerable.Range(1, 11), reports.Select(r => r.Step));
        Assert.All(reports, r => Assert.Equal(11, r.Steps));
        Assert.Equal(3300.1, reports[^1].Seconds, 9);
    }

    [Fact]
    public void ADeviceThatFitsNowhereStopsTheRun()
    {
        var scenario = new Scenario(CloudSimPlanetLab.Hosts(1), [new Device("huge", 3000, 1000, DemandTrace.Constant(0.5))]);
        var e = Assert.Throws<InvalidOperationException>(() => Simulator.Run(scenario, ConsolidationPolicy.ThrMmt()));
        Assert.Contains("'huge'", e.Message);
    }

    [Fact]
    public void CancellationIsHonoured()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.Throws<OperationCanceledException>(() => Simulator.Run(TwoHosts(), ConsolidationPolicy.ThrMmt(), OneHour, cancellationToken: cancel.Token));
    }
}
