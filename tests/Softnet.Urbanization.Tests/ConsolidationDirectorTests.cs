namespace Softnet.Urbanization.Tests;

public sealed class ConsolidationDirectorTests
{
    private static readonly ConsolidationPolicy Thr = ConsolidationPolicy.ThrMmt(0.8);

    [Fact]
    public void OverloadedHostShedsItsCheapestToMoveDeviceToTheHostWhosePowerRisesLeast()
    {
        // Host 0 requests 4500/5320 = 0.85 > 0.8: MMT takes device 0 (870 MB); 2000/5320 is then fine. Device 0 costs
        // 20.5 W on the empty host 2 against 22.4 W on host 1. Host 1 is then the least utilized host, but its device
        // may go neither to the overloaded host 0 nor to host 2 (off at measurement), so it stays.
        var snapshot = new Snap()
            .Host(Snap.G5).Vm(2500, 870).Vm(2000, 1740)
            .Host(Snap.G5).Vm(500, 613)
            .Host(Snap.G5)
            .Build();
        Assert.Equal([new Migration(0, 2)], ConsolidationDirector.Plan(Thr, snapshot).ToArray());
    }

    [Fact]
    public void LeastUtilizedHostIsEmptiedWhenAllItsDevicesFitElsewhere()
    {
        var snapshot = new Snap().Host(Snap.G5).Vm(3000).Host(Snap.G5).Vm(500).Build();
        Assert.Equal([new Migration(1, 0)], ConsolidationDirector.Plan(Thr, snapshot).ToArray());
        Assert.Empty(ConsolidationDirector.Plan(Thr with { Underload = new UnderloadPolicy.None() }, snapshot));
    }

    [Fact]
    public void EmptyingIsAllOrNothing()
    {
        // Host 1 (least utilized) cannot be emptied: its 2000 MIPS device would take host 0 to 5000/5320 = 0.94 > 0.8,
        // so its 500 MIPS device stays too; host 0's device has nowhere to go either.
        var snapshot = new Snap().Host(Snap.G5).Vm(3000).Host(Snap.G5).Vm(2000).Vm(500).Build();
        Assert.Empty(ConsolidationDirector.Plan(Thr, snapshot));
    }

    [Fact]
    public void ADestinationOfTheOverloadPassCanBeEmptiedAgainLikeCloudSimDoes()
    {
        // Device 0 leaves overloaded host 0 for host 1 (22.39 W rise against 22.80 W on host 2). Host 1 is still the
        // least utilized host by measurement, so the underload pass moves both its devices, device 0 included, to
        // host 2: device 0 migrates twice in one round.
        var snapshot = new Snap()
            .Host(Snap.G5).Vm(2500, 870).Vm(2000, 1740)
            .Host(Snap.G5).Vm(500, 613)
            .Host(Snap.G5).Vm(1000, 1740)
            .Build();
        Assert.Equal([new Migration(0, 1), new Migration(0, 2), new Migration(2, 2)], ConsolidationDirector.Plan(Thr, snapshot).ToArray());
    }

    [Fact]
    public void PinnedDevicesStayAndKeepTheirHostOn()
    {
        // As in LeastUtilizedHostIsEmptiedWhenAllItsDevicesFitElsewhere, but host 1's device is pinned there.
        var snapshot = new Snap().Host(Snap.G5).Vm(3000).Host(Snap.G5).Vm(500).Build();
        snapshot = snapshot with { Vms = snapshot.Vms.SetItem(1, snapshot.Vms[1] with { PinnedHost = 1 }) };
        Assert.Empty(ConsolidationDirector.Plan(Thr, snapshot));
        Assert.Null(VmSelector.Select(Thr.Selection, snapshot, 1));
        Assert.Null(PlacementDirector.FindHost(Thr, snapshot, 1, excluded: [1]));
    }

    [Fact]
    public void PlanningDoesNotChangeTheSnapshot()
    {
        var snapshot = new Snap().Host(Snap.G5).Vm(3000).Host(Snap.G5).Vm(500).Build();
        var before = snapshot.Hosts.Select(h => h.Vms.ToArray()).ToArray();
        ConsolidationDirector.Plan(Thr, snapshot);
        Assert.Equal(before, snapshot.Hosts.Select(h => h.Vms.ToArray()).ToArray());
        Assert.Equal(ConsolidationDirector.Plan(Thr, snapshot).ToArray(), ConsolidationDirector.Plan(Thr, snapshot).ToArray());
    }
}
