using Softnet.DataPlane;
using Softnet.Devices.Ip;
using Softnet.Hypervisor.Forwarding;
using Softnet.Hypervisor.Runtime;
using Softnet.Hypervisor.Topology;
using Softnet.Wire;
using static Softnet.Hypervisor.Tests.Forwarding.InstalledState;

namespace Softnet.Hypervisor.Tests.Forwarding;

public sealed class PlanInstallerTests
{
    /// <summary>An LSR with a route and a label from the file, a router, a switch.</summary>
    private static readonly SoftwareNetwork Network = Parse("""
        networks:
          - name: core
            architecture: mpls
            tokens: 1
            devices:
              - name: p1
                kind: lsr
                interfaces:
                  - { name: eth0, addresses: ["10.0.1.1/24", "2001:db8:1::1/64"] }
                  - { name: eth1, addresses: ["10.0.12.1/30", "2001:db8:12::1/64"] }
                  - { name: eth2, addresses: ["10.0.13.1/30"] }
                routes:
                  - { prefix: 192.168.0.0/16, via: 10.0.12.2 }
                labels:
                  - { in: 16, lookup: true }
              - name: r9
                kind: router
                interfaces:
                  - { name: eth0, addresses: ["10.0.9.1/24"] }
              - name: s1
                kind: switch
                ports:
                  - { name: eth0 }
        """);

    private static readonly PlannedRoute FileRoute = Route("192.168.0.0/16", "eth1 10.0.12.2") with { Origin = RouteOrigin.Static };

    /// <summary>ECMP, IPv6, the file's route and label, a swap and a pop.</summary>
    private static readonly DevicePlan A = new("p1",
        [
            Route("10.0.2.0/24", "eth1 10.0.12.2", "eth2 10.0.13.2"),
            Route("10.0.24.0/30", "eth1 10.0.12.2"),
            FileRoute,
            Route("2001:db8:2::/64", "eth1 2001:db8:12::2"),
        ],
        [Lookup(16), Swap(1000, 1001, "10.0.12.2", "eth1"), Pop(1001, "10.0.13.2", "eth2")]);

    /// <summary>From <see cref="A"/>: a third ECMP member, a route removed, a labelled route added; a swap turned pop, a binding removed, one added.</summary>
    private static readonly DevicePlan B = new("p1",
        [
            Route("10.0.2.0/24", "eth0 10.0.1.2", "eth1 10.0.12.2", "eth2 10.0.13.2"),
            Route("10.0.34.0/30", "eth2 10.0.13.2 2000"),
            FileRoute,
            Route("2001:db8:2::/64", "eth1 2001:db8:12::2"),
        ],
        [Lookup(16), Pop(1000, "10.0.12.2", "eth1"), Swap(1002, 1003, "10.0.13.2", "eth2")]);

    private readonly PacketPool _pool = new(16);

    private IpDevice Fresh(string name = "p1") => Build(Network, name, _pool);

    private static List<string> Everything(IpDevice device) => [.. Routes(device), .. OtherRoutes(device), .. Labels(device)];

    [Fact]
    public void InstallLeavesExactlyThePlanBesideTheConnectedRoutes()
    {
        var device = Fresh();
        var connected = OtherRoutes(device);

        PlanInstaller.Install(device, A);

        Assert.Equal(
            [
                "10.0.2.0/24 via 10.0.12.2 port eth1, via 10.0.13.2 port eth2",
                "10.0.24.0/30 via 10.0.12.2 port eth1",
                "192.168.0.0/16 via 10.0.12.2 port eth1",
                "2001:db8:2::/64 via 2001:db8:12::2 port eth1",
            ],
            Routes(device));
        Assert.Equal(Routes(A), Routes(device));
        Assert.Equal(connected, OtherRoutes(device));
        Assert.Equal(["16 PopAndLookup", "1000 Swap 1001 via 10.0.12.2 port eth1", "1001 Pop 3 via 10.0.13.2 port eth2"], Labels(device));
        Assert.Equal(Labels(A), Labels(device));
        Assert.Equal(A, PlanInstaller.Installed(device));
    }

    [Fact]
    public void ADeviceKeepsWhatTheFileConfiguredUntilAPlanNamesIt()
    {
        var device = Fresh();
        var plan = new DevicePlan("p1", [Route("10.0.2.0/24", "eth2 10.0.13.2")], []);

        PlanInstaller.Install(device, plan);

        Assert.Equal(["10.0.2.0/24 via 10.0.13.2 port eth2", "192.168.0.0/16 via 10.0.12.2 port eth1"], Routes(device));
        Assert.Equal(["16 PopAndLookup"], Labels(device));
    }

    [Fact]
    public void InstallReplacesWhatAnEarlierPlanPut()
    {
        var device = Fresh();
        var connected = OtherRoutes(device);
        PlanInstaller.Install(device, A);

        PlanInstaller.Install(device, B);

        Assert.Equal(Routes(B), Routes(device));
        Assert.Equal(["16 PopAndLookup", "1000 Pop 3 via 10.0.12.2 port eth1", "1002 Swap 1003 via 10.0.13.2 port eth2"], Labels(device));
        Assert.Equal(connected, OtherRoutes(device));

        var withdrawn = B with { Routes = [.. B.Routes.Where(r => r != FileRoute)], Labels = [.. B.Labels.Skip(1)] };
        PlanInstaller.Install(device, withdrawn);
        Assert.DoesNotContain(Routes(device), r => r.StartsWith("192.168.", StringComparison.Ordinal));
        Assert.Equal(Routes(withdrawn), Routes(device));
        Assert.Equal(Labels(withdrawn), Labels(device));
    }

    [Fact]
    public void ADiffAppliedLeavesTheDeviceAsInstallingTheNewPlanOnAFreshOne()
    {
        var applied = Fresh();
        PlanInstaller.Install(applied, A);
        var diff = Assert.Single(PlanDiff.Between(new NetworkPlan("core", [A]), new NetworkPlan("core", [B])).Devices);

        PlanInstaller.Apply(applied, diff);

        var installed = Fresh();
        PlanInstaller.Install(installed, B);
        Assert.Equal(Everything(installed), Everything(applied));
        Assert.Equal(Routes(B), Routes(applied));
        Assert.Equal(Labels(B), Labels(applied));
        Assert.Equal(B, PlanInstaller.Installed(applied));
    }

    [Fact]
    public void ApplyChangesOnlyTheListedEntries()
    {
        var device = Fresh();
        PlanInstaller.Install(device, A);
        var before = Routes(device);
        var moved = Route("10.0.24.0/30", "eth2 10.0.13.2");

        PlanInstaller.Apply(device, new DeviceDiff("p1", [], [], [new EntryChange<PlannedRoute>(A.Routes[1], moved)], [], [], []));

        Assert.Equal(before.Select(r => r == "10.0.24.0/30 via 10.0.12.2 port eth1" ? "10.0.24.0/30 via 10.0.13.2 port eth2" : r), Routes(device));
        Assert.Equal(Labels(A), Labels(device));
    }

    [Fact]
    public void AnEcmpSetIsReplacedInPlaceAsItGrowsAndShrinks()
    {
        var device = Fresh();
        var sets = new[]
        {
            Route("10.0.2.0/24", "eth1 10.0.12.2", "eth2 10.0.13.2"),
            Route("10.0.2.0/24", "eth0 10.0.1.2", "eth1 10.0.12.2", "eth2 10.0.13.2"),
            Route("10.0.2.0/24", "eth0 10.0.1.2"),
            Route("10.0.2.0/24", "eth0 10.0.1.3", "eth2 10.0.13.2"),
        };
        PlanInstaller.Install(device, new DevicePlan("p1", [sets[0]], []));
        var count = device.Stack.Fib4.Count;

        for (var i = 1; i < sets.Length; i++)
        {
            PlanInstaller.Apply(device, new DeviceDiff("p1", [], [], [new EntryChange<PlannedRoute>(sets[i - 1], sets[i])], [], [], []));

            Assert.Equal(count, device.Stack.Fib4.Count);
            var entry = device.Stack.Lookup(Ipv4Address.Parse("10.0.2.77"));
            Assert.Equal(ForwardingKind.Forward, entry!.Kind);
            Assert.Equal(sets[i].NextHops.Count, entry.Adjacencies.Length);
            Assert.Contains(Routes(new DevicePlan("p1", [sets[i]], []))[0], Routes(device));
        }
        Assert.Equal(["10.0.2.0/24 via 10.0.1.3 port eth0, via 10.0.13.2 port eth2", "192.168.0.0/16 via 10.0.12.2 port eth1"], Routes(device));
    }

    [Fact]
    public void ARemovalNeverTakesAConnectedSubnetOrLocalAddress()
    {
        var device = Fresh();
        var connected = OtherRoutes(device);

        PlanInstaller.Apply(device, new DeviceDiff("p1", [], [Route("10.0.1.0/24", "eth1 10.0.12.2"), Route("10.0.1.1/32", "eth1 10.0.12.2")], [], [], [], []));

        Assert.Equal(connected, OtherRoutes(device));
    }

    [Fact]
    public void AnImpossiblePlanIsRefusedAndChangesNothing()
    {
        var device = Fresh();
        PlanInstaller.Install(device, A);
        var state = Everything(device);

        var badPort = B with { Routes = [.. B.Routes, Route("10.9.0.0/16", "eth7 10.0.12.2")] };
        Assert.Contains("eth7", Assert.Throws<ArgumentException>(() => PlanInstaller.Install(device, badPort)).Message);
        var mixed = B with { Routes = [Route("10.9.0.0/16", "eth1 2001:db8:12::2")] };
        Assert.Throws<ArgumentException>(() => PlanInstaller.Install(device, mixed));
        var reserved = B with { Labels = [Swap(3, 1001, "10.0.12.2", "eth1")] };
        Assert.Throws<ArgumentException>(() => PlanInstaller.Install(device, reserved));
        Assert.Throws<ArgumentException>(() => PlanInstaller.Install(device, B with { Device = "p2" }));

        Assert.Equal(state, Everything(device));
        Assert.Equal(A, PlanInstaller.Installed(device));
    }

    [Fact]
    public void OnlyAnLsrTakesLabelsAndASwitchTakesNothing()
    {
        var router = Fresh("r9");
        var routes = OtherRoutes(router);
        var labelled = new DevicePlan("r9", [Route("10.0.2.0/24", "eth0 10.0.9.2 100")], [Swap(100, 200, "10.0.9.2", "eth0")]);

        Assert.Contains("not an LSR", Assert.Throws<ArgumentException>(() => PlanInstaller.Install(router, labelled)).Message);
        Assert.Equal(routes, OtherRoutes(router));
        Assert.Empty(Routes(router));

        PlanInstaller.Install(router, labelled with { Labels = [] });
        Assert.Equal(["10.0.2.0/24 via 10.0.9.2 port eth0 push 100"], Routes(router));

        var s1 = DeviceFactory.Create(Network, Network.Devices.Single(d => d.Name == "s1"), _pool);
        PlanInstaller.Install(s1, new DevicePlan("s1", [], []));
        Assert.Throws<ArgumentException>(() => PlanInstaller.Install(s1, new DevicePlan("s1", [Route("10.0.2.0/24", "eth0 10.0.9.2")], [])));
    }
}
