namespace Softnet.Urbanization.Tests;

public sealed class PackingDirectorTests
{
    private static readonly PackingPolicy Softnet = PackingPolicy.Softnet;

    [Fact]
    public void OverloadedHostShedsTheCheapestSufficientDeviceToTheTightestEfficientHost()
    {
        // Host 0 requests 5500 of 5320 MIPS. Shedding v1 (1500 MIPS, 613 MB) or v2 (1000 MIPS, 870 MB) brings it within
        // the 0.93 band (4947.6); v2 is cheaper to copy (memory × demand). It goes to the host it leaves tightest:
        // host 2 (4900/5320 = 0.92) rather than host 1 (0.75). Then the G4 host is emptied: its 500 MIPS no longer
        // fit host 2 (5400) and go to host 1 (3500/5320 = 0.66), not to the switched-off G5.
        var snapshot = new Snap()
            .Host(Snap.G5).Vm(3000, 1740).Vm(1500, 613).Vm(1000, 870)
            .Host(Snap.G5).Vm(3000, 1740)
            .Host(Snap.G5).Vm(3900, 1740)
            .Host(Snap.G4).Vm(500, 613)
            .Host(Snap.G5)
            .Build();
        Assert.Equal([new Migration(2, 2), new Migration(5, 1)], PackingDirector.Plan(Softnet, snapshot).ToArray());
    }

    [Fact]
    public void WithNoRoomOnActiveHostsTheMostEfficientSwitchedOffServerIsWoken()
    {
        // 5700 of 5320 MIPS: shedding v2 (1500 MIPS, 613 MB) or v1 (1800 MIPS, 870 MB) suffices; v2 is cheaper. No
        // active host has room; the switched-off G5 is preferred to the switched-off G4.
        var snapshot = new Snap()
            .Host(Snap.G5).Vm(2400, 1740).Vm(1800, 870).Vm(1500, 613)
            .Host(Snap.G4)
            .Host(Snap.G5)
            .Build();
        Assert.Equal([new Migration(2, 2)], PackingDirector.Plan(Softnet, snapshot).ToArray());
    }

    [Fact]
    public void HostsBelowTheLowBandAreEmptiedFewestDevicesFirstAllOrNothing()
    {
        // Host 2 (one device, 0.15) empties into host 0 (4800/5320 = 0.90). Host 1 (0.28) cannot: its 1000 MIPS device
        // would take host 0 to 1.09 and host 2 is being emptied, so both its devices stay.
        var snapshot = new Snap()
            .Host(Snap.G5).Vm(4000)
            .Host(Snap.G5).Vm(1000).Vm(500)
            .Host(Snap.G5).Vm(800)
            .Build();
        Assert.Equal([new Migration(3, 0)], PackingDirector.Plan(Softnet, snapshot).ToArray());
    }

    [Fact]
    public void BetweenTheBandsNothingMoves()
    {
        // 0.75 and 0.66: neither above the high band nor below the low one, although one host could take the other's
        // 3500 MIPS only by exceeding the target band.
        var snapshot = new Snap().Host(Snap.G5).Vm(4000).Host(Snap.G5).Vm(3500).Build();
        Assert.Empty(PackingDirector.Plan(Softnet, snapshot));
    }

    [Fact]
    public void HeadroomSizesHostsByTheVariabilityOfTheirDevices()
    {
        // Two devices at 2250 MIPS that swing by 0.4 × 2500 = 1000 MIPS every step: variance 10^6 MIPS² each. Current
        // demand (4500) fits; with one standard deviation of headroom the host predicts 4500 + 1414 > 5320 and sheds v0
        // to the empty G5, where it predicts 2250 + 1000.
        double[] swinging = [0.9, 0.5, 0.9, 0.5];
        var snapshot = new Snap().Host(Snap.G5).Vm(2250, history: swinging).Vm(2250, history: swinging).Host(Snap.G5).Build();
        Assert.Empty(PackingDirector.Plan(Softnet, snapshot));
        var cautious = new PackingPolicy(headroom: 1);
        Assert.Equal(4500 + Math.Sqrt(2e6), PackingDirector.PredictedLoad(cautious, snapshot)[0], 9);
        Assert.Equal([new Migration(0, 1)], PackingDirector.Plan(cautious, snapshot).ToArray());
    }

    [Fact]
    public void ReplicasAreNeverPutTogether()
    {
        // v0 (replica of group g, least memory) is shed. Host 1 would be the tighter fit (4600) but holds v3 of group
        // g, so it goes to host 2 (3600).
        Snap Build(string? group) => new Snap()
            .Host(Snap.G5).Vm(2600, 870, replicaGroup: "g").Vm(2600, 1740).Vm(500, 1740)
            .Host(Snap.G5).Vm(2000, replicaGroup: group)
            .Host(Snap.G5).Vm(1000);
        Assert.Equal([new Migration(0, 1)], PackingDirector.Plan(Softnet, Build(null).Build()).ToArray());
        Assert.Equal([new Migration(0, 2)], PackingDirector.Plan(Softnet, Build("g").Build()).ToArray());
    }

    [Fact]
    public void PinnedAndMigratingDevicesStayAndKeepTheirHostOn()
    {
        var snapshot = new Snap().Host(Snap.G5).Vm(4000).Host(Snap.G5).Vm(500).Build();
        Assert.Equal([new Migration(1, 0)], PackingDirector.Plan(Softnet, snapshot).ToArray());
        var pinned = snapshot with { Vms = snapshot.Vms.SetItem(1, snapshot.Vms[1] with { PinnedHost = 1 }) };
        Assert.Empty(PackingDirector.Plan(Softnet, pinned));
        var migrating = snapshot with { Vms = snapshot.Vms.SetItem(1, snapshot.Vms[1] with { InMigration = true }) };
        Assert.Empty(PackingDirector.Plan(Softnet, migrating));
    }

    [Fact]
    public void TheMigrationBudgetLimitsARound()
    {
        // Two hosts below the low band, one device each; a budget of one empties only the first.
        var snapshot = new Snap().Host(Snap.G5).Vm(4000).Host(Snap.G5).Vm(300).Host(Snap.G5).Vm(400).Build();
        Assert.Equal([new Migration(1, 0), new Migration(2, 0)], PackingDirector.Plan(Softnet, snapshot).ToArray());
        Assert.Equal([new Migration(1, 0)], PackingDirector.Plan(new PackingPolicy(maxMigrationsPerRound: 1), snapshot).ToArray());
    }

    [Fact]
    public void BandsMustBeOrdered()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PackingPolicy(lowUtilization: 0.95, targetUtilization: 0.9));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PackingPolicy(highUtilization: 1.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PackingPolicy(headroom: -1));
    }
}
