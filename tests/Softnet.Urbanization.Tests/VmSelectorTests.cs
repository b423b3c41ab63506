namespace Softnet.Urbanization.Tests;

public sealed class VmSelectorTests
{
    [Fact]
    public void MinimumMigrationTimePicksTheFirstDeviceWithLeastMemory()
    {
        var snapshot = new Snap().Host(Snap.G5).Vm(100, 1740).Vm(900, 613).Vm(50, 870).Vm(10, 613).Build();
        Assert.Equal(1, VmSelector.Select(new SelectionPolicy.MinimumMigrationTime(), snapshot, 0));
    }

    [Fact]
    public void MinimumUtilizationPicksTheDeviceRequestingLeast()
    {
        var snapshot = new Snap().Host(Snap.G5).Vm(100, 1740).Vm(900, 613).Vm(50, 870).Vm(10, 613).Build();
        Assert.Equal(3, VmSelector.Select(new SelectionPolicy.MinimumUtilization(), snapshot, 0));
    }

    [Fact]
    public void DevicesAlreadyMigratingAreNotCandidates()
    {
        var snapshot = new Snap().Host(Snap.G5).Vm(100, 613).Vm(900, 870).Build();
        snapshot = snapshot with { Vms = snapshot.Vms.SetItem(0, snapshot.Vms[0] with { InMigration = true }) };
        Assert.Equal(1, VmSelector.Select(new SelectionPolicy.MinimumMigrationTime(), snapshot, 0));
        snapshot = snapshot with { Vms = snapshot.Vms.SetItem(1, snapshot.Vms[1] with { InMigration = true }) };
        Assert.Null(VmSelector.Select(new SelectionPolicy.MinimumMigrationTime(), snapshot, 0));
    }
}
