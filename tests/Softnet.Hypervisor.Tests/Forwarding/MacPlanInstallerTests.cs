using Softnet.DataPlane;
using Softnet.Devices.Ip;
using Softnet.Devices.Switching;
using Softnet.Hypervisor.Forwarding;
using Softnet.Wire;

namespace Softnet.Hypervisor.Tests.Forwarding;

/// <summary>A switch's planned static MAC entries, installed and changed in place entry by entry.</summary>
public sealed class MacPlanInstallerTests
{
    private static readonly MacAddress A = MacAddress.Parse("02:00:00:00:00:0a");
    private static readonly MacAddress B = MacAddress.Parse("02:00:00:00:00:0b");
    private static readonly MacAddress C = MacAddress.Parse("02:00:00:00:00:0c");
    private static readonly MacAddress Learned = MacAddress.Parse("02:00:00:00:00:99");

    /// <summary>s1: eth1 access VLAN 10, eth2 access VLAN 20, eth3 trunk 10 and 20.</summary>
    private static L2Switch Switch()
    {
        var device = new L2Switch("s1", new PacketPool(4));
        device.AddPort("eth1", SwitchPortMode.Access(10));
        device.AddPort("eth2", SwitchPortMode.Access(20));
        device.AddPort("eth3", SwitchPortMode.Trunk([10, 20]));
        return device;
    }

    private static DevicePlan Plan(params PlannedMac[] macs) => new("s1", [], []) { Macs = macs };

    private static List<string> Table(L2Switch device) =>
        [.. device.MacTable.Entries().OrderBy(e => e.Vlan).ThenBy(e => e.Mac.Value)
            .Select(e => $"{e.Vlan} {e.Mac} {device.PortAt(e.Port).Name}{(e.IsStatic ? "" : " learned")}")];

    [Fact]
    public void ADiffAddsMovesAndRemovesStaticEntriesAndLeavesLearnedOnesAlone()
    {
        var device = Switch();
        device.MacTable.Learn(10, Learned, 0);
        var before = Plan(new PlannedMac(10, A, "eth1"), new PlannedMac(10, B, "eth3"), new PlannedMac(20, C, "eth2"));
        PlanInstaller.Install(device, before);
        Assert.Equal(["10 02:00:00:00:00:0a eth1", "10 02:00:00:00:00:0b eth3", "10 02:00:00:00:00:99 eth1 learned", "20 02:00:00:00:00:0c eth2"], Table(device));

        var after = Plan(new PlannedMac(10, A, "eth1"), new PlannedMac(10, B, "eth1"), new PlannedMac(20, A, "eth3"));
        var diff = PlanDiff.Between(new NetworkPlan("lan", [before]), new NetworkPlan("lan", [after]));

        var changes = Assert.Single(diff.Devices);
        Assert.Equal([new PlannedMac(20, A, "eth3")], changes.MacsAdded);
        Assert.Equal([new PlannedMac(20, C, "eth2")], changes.MacsRemoved);
        Assert.Equal([new EntryChange<PlannedMac>(new PlannedMac(10, B, "eth3"), new PlannedMac(10, B, "eth1"))], changes.MacsChanged);
        Assert.Empty(changes.RoutesAdded);
        PlanInstaller.Apply(device, changes);
        Assert.Equal(["10 02:00:00:00:00:0a eth1", "10 02:00:00:00:00:0b eth1", "10 02:00:00:00:00:99 eth1 learned", "20 02:00:00:00:00:0a eth3"], Table(device));
        Assert.Equal(after, PlanInstaller.Installed(device));

        PlanInstaller.Install(device, Plan());
        Assert.Equal(["10 02:00:00:00:00:99 eth1 learned"], Table(device));
        Assert.True(PlanDiff.Between(new NetworkPlan("lan", [after]), new NetworkPlan("lan", [after with { }])).IsEmpty);
    }

    [Fact]
    public void PlansWithOtherMacsAreNotEqual()
    {
        Assert.NotEqual(Plan(new PlannedMac(10, A, "eth1")), Plan(new PlannedMac(10, A, "eth3")));
        Assert.Equal(Plan(new PlannedMac(10, A, "eth1")), Plan(new PlannedMac(10, A, "eth1")));
        Assert.Equal(Plan(new PlannedMac(10, A, "eth1")).GetHashCode(), Plan(new PlannedMac(10, A, "eth1")).GetHashCode());
        Assert.NotEqual(Plan(new PlannedMac(10, A, "eth1")), Plan());
    }

    [Theory]
    [InlineData(20, "02:00:00:00:00:0a", "eth1", "s1: MAC entry vlan 20 02:00:00:00:00:0a port eth1: port eth1 (access vlan 10) does not carry VLAN 20.")]
    [InlineData(10, "02:00:00:00:00:0a", "eth9", "s1: MAC entry vlan 10 02:00:00:00:00:0a port eth9: the device has no port 'eth9' (it has: eth1, eth2, eth3).")]
    [InlineData(10, "01:00:5e:00:00:01", "eth1", "s1: MAC entry vlan 10 01:00:5e:00:00:01 port eth1: 01:00:5e:00:00:01 is not a unicast address.")]
    [InlineData(4095, "02:00:00:00:00:0a", "eth3", "s1: MAC entry vlan 4095 02:00:00:00:00:0a port eth3: VLAN 4095 is not 1-4094.")]
    public void AnEntryTheSwitchCannotTakeChangesNothing(int vlan, string mac, string port, string problem)
    {
        var device = Switch();
        PlanInstaller.Install(device, Plan(new PlannedMac(10, B, "eth3")));

        var error = Assert.Throws<ArgumentException>(() => PlanInstaller.Install(device, Plan(new PlannedMac(10, A, "eth1"), new PlannedMac(vlan, MacAddress.Parse(mac), port))));

        Assert.Equal(problem, error.Message);
        Assert.Equal(["10 02:00:00:00:00:0b eth3"], Table(device));
    }

    [Fact]
    public void MacEntriesAreForSwitchesOnly()
    {
        var router = new Router("s1", new PacketPool(4));
        router.AddInterface("eth1");

        var error = Assert.Throws<ArgumentException>(() => PlanInstaller.Install(router, Plan(new PlannedMac(1, A, "eth1"))));

        Assert.StartsWith("Device 's1' is a router: it has no MAC table to install entries in.", error.Message);
    }
}
