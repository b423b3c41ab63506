using System.Collections.Immutable;

namespace Softnet.Urbanization.Tests;

public sealed class PlacementDirectorTests
{
    private static readonly ConsolidationPolicy Thr = ConsolidationPolicy.ThrMmt(0.8);

    // host 0: empty G4; host 1: G5 at 1000 MIPS; host 2: G4 at 1500 MIPS; device 2 (unplaced) asks for 500 MIPS.
    // Power increases: host 0 P4(500/3720) - P4(0) = 4.50 W; host 1 P5(1500/5320) - P5(1000/5320) = 3.76 W;
    // host 2 P4(2000/3720) - P4(1500/3720) = 3.92 W.
    private static DatacenterSnapshot ThreeHosts(double request = 500) =>
        new Snap().Host(Snap.G4).Host(Snap.G5).Vm(1000).Host(Snap.G4).Vm(1500).Unplaced(request).Build();

    [Fact]
    public void PabfdPicksTheHostWhosePowerRisesLeast()
    {
        Assert.Equal(1, PlacementDirector.FindHost(Thr, ThreeHosts(), 2));
        Assert.Equal(2, PlacementDirector.FindHost(Thr, ThreeHosts(), 2, excluded: [1]));
    }

    [Fact]
    public void HostsThatWouldBecomeOverloadedAreSkippedButEmptyHostsAreNot()
    {
        // Under a 0.3 threshold host 2 would reach 2000/3720 = 0.54; host 1 reaches only 0.28; host 0 is empty.
        var strict = ConsolidationPolicy.ThrMmt(0.3);
        Assert.Equal(1, PlacementDirector.FindHost(strict, ThreeHosts(), 2));
        Assert.Equal(0, PlacementDirector.FindHost(strict, ThreeHosts(), 2, excluded: [1]));
    }

    [Fact]
    public void ADeviceNeedingMoreThanOneCoreOfAHostCannotGoThere()
    {
        // 2000 MIPS exceeds a G4 core (1860) but not a G5 core (2660).
        Assert.Equal(1, PlacementDirector.FindHost(Thr, ThreeHosts(2000), 2));
        Assert.Null(PlacementDirector.FindHost(Thr, ThreeHosts(2000), 2, excluded: [1]));
    }

    [Fact]
    public void StartUpPlacementAsksForFullMipsAndPrefersEmptyHosts()
    {
        // Device 0 (2500 MIPS) fits only a G5 core. Device 1 then costs 8.94 W on an empty G4 against 29.6 W on the
        // loaded G5; device 2 costs 17.5 W on host 0 (now loaded) against 8.94 W on the empty host 2.
        var snapshot = new DatacenterSnapshot(0, 300,
            [new HostSnapshot(Snap.G4, 0, []), new HostSnapshot(Snap.G5, 0, []), new HostSnapshot(Snap.G4, 0, [])],
            [NewVm(2500, 870), NewVm(1000, 1740), NewVm(1000, 1740)]);
        Assert.Equal([1, 0, 2], PlacementDirector.PlaceNew(Thr, snapshot).ToArray());
    }

    [Fact]
    public void StartUpPlacementRespectsMemory()
    {
        var snapshot = new DatacenterSnapshot(0, 300, [new HostSnapshot(Snap.G5, 0, [])], [NewVm(500, 3000), NewVm(500, 3000)]);
        Assert.Equal([0, -1], PlacementDirector.PlaceNew(Thr, snapshot).ToArray());
    }

    [Fact]
    public void WeightedPlacementKeepsReplicasApartWhenResilienceCounts()
    {
        var snapshot = new Snap().Host(Snap.G5).Vm(1000, replicaGroup: "g").Host(Snap.G5).Vm(1000).Build();
        snapshot = snapshot with { Vms = snapshot.Vms.Add(new VmSnapshot(2500, 1740, 1000, [], ReplicaGroup: "g")) };
        var energyOnly = Thr with { Placement = new PlacementPolicy.WeightedObjective(UrbanizationWeights.EnergyOnly) };
        var resilient = Thr with { Placement = new PlacementPolicy.WeightedObjective(new UrbanizationWeights(energy: 1, resilience: 1)) };
        Assert.Equal(0, PlacementDirector.FindHost(energyOnly, snapshot, 2));
        Assert.Equal(1, PlacementDirector.FindHost(resilient, snapshot, 2));
    }

    private static VmSnapshot NewVm(double mips, int memoryMb) =>
        new(mips, memoryMb, 0, ImmutableArray<double>.Empty, MemoryDemandMb: memoryMb, BandwidthDemandMbps: 100);
}
