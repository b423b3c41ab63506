using Softnet.Devices;
using Softnet.Hypervisor.Forwarding;
using Softnet.Control.Routing;
using Softnet.Hypervisor.Scheduling;
using Softnet.Hypervisor.Topology;
using Softnet.Wire;
using static Softnet.Control.Tests.Routing.Topologies;

namespace Softnet.Control.Tests.Routing;

public sealed class ForwardingPlannerTests
{
    private const string Line = """
        networks:
          - name: line
            architecture: ipv4
            tokens: 1
            devices:
              - name: r1
                kind: router
                interfaces:
                  - name: eth0
                    addresses: ["10.0.1.1/24"]
                  - name: eth1
                    addresses: ["192.168.12.1/30"]
              - name: r2
                kind: router
                interfaces:
                  - name: eth0
                    addresses: ["192.168.12.2/30"]
                  - name: eth1
                    addresses: ["192.168.23.1/30"]
              - name: r3
                kind: router
                interfaces:
                  - name: eth0
                    addresses: ["192.168.23.2/30"]
                  - name: eth1
                    addresses: ["10.0.3.1/24"]
            hosts:
              - name: h1
                address: 10.0.1.10/24
                gateway: 10.0.1.1
              - name: h3
                address: 10.0.3.10/24
                gateway: 10.0.3.1
            links:
              - endpoints: ["h1:eth0", "r1:eth0"]
              - endpoints: ["r1:eth1", "r2:eth0"]
              - endpoints: ["r2:eth1", "r3:eth0"]
              - endpoints: ["r3:eth1", "h3:eth0"]
        """;

    /// <summary>r1 (stub 10.0.1.0/24) reaches r4 (stub 10.0.4.0/24) through r2 or r3; <paramref name="r1Routes"/> is r1's routes block.</summary>
    private static string Square(string r1Routes = "") => $$"""
        networks:
          - name: square
            architecture: ipv4
            tokens: 1
            devices:
              - name: r1
                kind: router
                interfaces:
                  - name: eth0
                    addresses: ["10.0.1.1/24"]
                  - name: eth1
                    addresses: ["10.12.0.1/30"]
                  - name: eth2
                    addresses: ["10.13.0.1/30"]
        {{r1Routes}}
              - name: r2
                kind: router
                interfaces:
                  - name: eth0
                    addresses: ["10.12.0.2/30"]
                  - name: eth1
                    addresses: ["10.24.0.1/30"]
              - name: r3
                kind: router
                interfaces:
                  - name: eth0
                    addresses: ["10.13.0.2/30"]
                  - name: eth1
                    addresses: ["10.34.0.1/30"]
              - name: r4
                kind: router
                interfaces:
                  - name: eth0
                    addresses: ["10.24.0.2/30"]
                  - name: eth1
                    addresses: ["10.34.0.2/30"]
                  - name: eth2
                    addresses: ["10.0.4.1/24"]
            links:
              - endpoints: ["r1:eth1", "r2:eth0"]
              - endpoints: ["r1:eth2", "r3:eth0"]
              - endpoints: ["r2:eth1", "r4:eth0"]
              - endpoints: ["r3:eth1", "r4:eth1"]
        """;

    private static IEnumerable<string> Routes(NetworkPlan plan, string device) => plan[device].Routes.Select(r => r.ToString());

    [Fact]
    public void LineRoutesEveryRemoteSubnetThroughTheOnlyNeighbour()
    {
        var plan = ForwardingPlanner.Plan(Parse(Line));

        Assert.Equal("line", plan.Network);
        Assert.Equal(["r1", "r2", "r3"], plan.Devices.Select(d => d.Device));
        Assert.Equal(
            ["10.0.3.0/24 via 192.168.12.2 port eth1 (computed)", "192.168.23.0/30 via 192.168.12.2 port eth1 (computed)"],
            Routes(plan, "r1"));
        Assert.Equal(
            ["10.0.1.0/24 via 192.168.12.1 port eth0 (computed)", "10.0.3.0/24 via 192.168.23.2 port eth1 (computed)"],
            Routes(plan, "r2"));
        Assert.Equal(
            ["10.0.1.0/24 via 192.168.23.1 port eth0 (computed)", "192.168.12.0/30 via 192.168.23.1 port eth0 (computed)"],
            Routes(plan, "r3"));
        Assert.Equal(new PlannedRoute(Prefix("10.0.3.0/24"), [new PlannedNextHop("eth1", Address("192.168.12.2"), null)], RouteOrigin.Computed),
            plan["r1"].Routes[0]);
        Assert.All(plan.Devices, d => Assert.Empty(d.Labels));
    }

    [Fact]
    public void SquareSplitsTiedPathsOverBothNeighbours()
    {
        var plan = ForwardingPlanner.Plan(Parse(Square()));

        Assert.Equal(
            [
                "10.0.4.0/24 via 10.12.0.2 port eth1, via 10.13.0.2 port eth2 (computed)",
                "10.24.0.0/30 via 10.12.0.2 port eth1 (computed)",
                "10.34.0.0/30 via 10.13.0.2 port eth2 (computed)",
            ],
            Routes(plan, "r1"));
        Assert.Equal(
            [
                "10.0.1.0/24 via 10.12.0.1 port eth0 (computed)",
                "10.0.4.0/24 via 10.24.0.2 port eth1 (computed)",
                "10.13.0.0/30 via 10.12.0.1 port eth0 (computed)",
                "10.34.0.0/30 via 10.24.0.2 port eth1 (computed)",
            ],
            Routes(plan, "r2"));
        Assert.Equal(
            [
                "10.0.1.0/24 via 10.24.0.1 port eth0, via 10.34.0.1 port eth1 (computed)",
                "10.12.0.0/30 via 10.24.0.1 port eth0 (computed)",
                "10.13.0.0/30 via 10.34.0.1 port eth1 (computed)",
            ],
            Routes(plan, "r4"));
    }

    [Fact]
    public void StaticRoutesReplaceComputedOnesAndMergeIntoEcmp()
    {
        var plan = ForwardingPlanner.Plan(Parse(Square("""
                    routes:
                      - prefix: 10.0.4.0/24
                        via: 10.13.0.2
                      - prefix: 172.16.0.0/16
                        via: 10.13.0.2
                      - prefix: 172.16.0.0/16
                        via: 10.12.0.2
                        port: eth1
            """)));

        Assert.Equal(
            [
                "10.0.4.0/24 via 10.13.0.2 port eth2 (static)",
                "10.24.0.0/30 via 10.12.0.2 port eth1 (computed)",
                "10.34.0.0/30 via 10.13.0.2 port eth2 (computed)",
                "172.16.0.0/16 via 10.12.0.2 port eth1, via 10.13.0.2 port eth2 (static)",
            ],
            Routes(plan, "r1"));
        Assert.Equal(ForwardingPlanner.Plan(Parse(Square()))["r4"], plan["r4"]);
    }

    [Fact]
    public void SwitchJoinsRoutersPerVlanAndTrunksCarryTaggedVlansOnly()
    {
        var plan = ForwardingPlanner.Plan(Parse("""
            networks:
              - name: lan
                architecture: ipv4
                tokens: 1
                devices:
                  - name: s1
                    kind: switch
                    ports:
                      - name: eth1
                      - name: eth2
                      - name: eth3
                        vlan: 1
                      - name: eth4
                        vlan: 20
                      - name: eth5
                        trunk: [1, 20]
                  - name: s2
                    kind: switch
                    ports:
                      - name: eth1
                        trunk: [20]
                      - name: eth2
                        vlan: 20
                      - name: eth3
                        trunk: [20]
                  - { name: r1, kind: router, interfaces: [{ name: eth0, addresses: ["10.0.0.1/24"] }, { name: eth1, addresses: ["10.0.11.1/24"] }] }
                  - { name: r2, kind: router, interfaces: [{ name: eth0, addresses: ["10.0.0.2/24"] }, { name: eth1, addresses: ["10.0.22.1/24"] }] }
                  - { name: r3, kind: router, interfaces: [{ name: eth0, addresses: ["10.0.0.3/24"] }, { name: eth1, addresses: ["10.0.33.1/24"] }] }
                  - { name: r4, kind: router, interfaces: [{ name: eth0, addresses: ["10.0.0.4/24"] }, { name: eth1, addresses: ["10.0.44.1/24"] }] }
                  - { name: r5, kind: router, interfaces: [{ name: eth0, addresses: ["10.0.0.5/24"] }, { name: eth1, addresses: ["10.0.55.1/24"] }] }
                  - { name: r6, kind: router, interfaces: [{ name: eth0, addresses: ["10.0.0.6/24"] }, { name: eth1, addresses: ["10.0.66.1/24"] }] }
                links:
                  - endpoints: ["r1:eth0", "s1:eth1"]
                  - endpoints: ["r2:eth0", "s1:eth2"]
                  - endpoints: ["r3:eth0", "s1:eth3"]
                  - endpoints: ["r4:eth0", "s1:eth4"]
                  - endpoints: ["s1:eth5", "s2:eth1"]
                  - endpoints: ["r5:eth0", "s2:eth2"]
                  - endpoints: ["r6:eth0", "s2:eth3"]
            """));

        Assert.Equal(["s1", "s2", "r1", "r2", "r3", "r4", "r5", "r6"], plan.Devices.Select(d => d.Device));
        // VLAN 1 stays on s1 (s2's trunk takes VLAN 20 only); VLAN 20 crosses the trunk; r6, untagged on a trunk, is no station.
        string Mac(int vlan, string router, string port) => $"vlan {vlan} {MacAddresses.For(router, 0)} port {port}";
        Assert.Equal(
            new[] { Mac(1, "r1", "eth1"), Mac(1, "r2", "eth2"), Mac(1, "r3", "eth3"), Mac(20, "r4", "eth4"), Mac(20, "r5", "eth5") }.Order(StringComparer.Ordinal),
            plan["s1"].Macs.Select(m => m.ToString()).Order(StringComparer.Ordinal));
        Assert.Equal(
            new[] { Mac(20, "r4", "eth1"), Mac(20, "r5", "eth2") }.Order(StringComparer.Ordinal),
            plan["s2"].Macs.Select(m => m.ToString()).Order(StringComparer.Ordinal));
        Assert.Equal(plan["s1"].Macs.OrderBy(m => m.Vlan).ThenBy(m => m.Mac.Value), plan["s1"].Macs);
        Assert.Equal(["10.0.22.0/24 via 10.0.0.2 port eth0 (computed)", "10.0.33.0/24 via 10.0.0.3 port eth0 (computed)"], Routes(plan, "r1"));
        Assert.Equal(["10.0.11.0/24 via 10.0.0.1 port eth0 (computed)", "10.0.22.0/24 via 10.0.0.2 port eth0 (computed)"], Routes(plan, "r3"));
        Assert.Equal(["10.0.55.0/24 via 10.0.0.5 port eth0 (computed)"], Routes(plan, "r4"));
        Assert.Equal(["10.0.44.0/24 via 10.0.0.4 port eth0 (computed)"], Routes(plan, "r5"));
        Assert.Empty(plan["r6"].Routes);
    }

    [Fact]
    public void Ipv6UsesGlobalNextHopsWhenThereAreAndNeverRoutesLinkLocalSubnets()
    {
        var plan = ForwardingPlanner.Plan(Parse("""
            networks:
              - name: six
                architecture: ipv6
                tokens: 1
                devices:
                  - { name: r1, kind: router, interfaces: [{ name: eth0, addresses: ["2001:db8:1::1/64"] }, { name: eth1, addresses: ["2001:db8:12::1/64", "fe80::1/64"] }] }
                  - { name: r2, kind: router, interfaces: [{ name: eth0, addresses: ["fe80::2/64", "2001:db8:12::2/64"] }, { name: eth1, addresses: ["fe80:0:0:23::2/64"] }] }
                  - { name: r3, kind: router, interfaces: [{ name: eth0, addresses: ["fe80:0:0:23::3/64"] }, { name: eth1, addresses: ["2001:db8:3::1/64"] }] }
                hosts:
                  - { name: h1, address: "2001:db8:1::10/64", gateway: "2001:db8:1::1" }
                links:
                  - endpoints: ["h1:eth0", "r1:eth0"]
                  - endpoints: ["r1:eth1", "r2:eth0"]
                  - endpoints: ["r2:eth1", "r3:eth0"]
            """));

        Assert.Equal(["2001:db8:3::/64 via 2001:db8:12::2 port eth1 (computed)"], Routes(plan, "r1"));
        Assert.Equal(
            ["2001:db8:1::/64 via 2001:db8:12::1 port eth0 (computed)", "2001:db8:3::/64 via fe80:0:0:23::3 port eth1 (computed)"],
            Routes(plan, "r2"));
        Assert.Equal(
            ["2001:db8:1::/64 via fe80:0:0:23::2 port eth0 (computed)", "2001:db8:12::/64 via fe80:0:0:23::2 port eth0 (computed)"],
            Routes(plan, "r3"));
    }

    [Fact]
    public void EachAddressFamilyFollowsItsOwnNeighbours()
    {
        // r1-r3 carries IPv4 only: IPv6 to r3 goes round through r2.
        var plan = ForwardingPlanner.Plan(Parse("""
            networks:
              - name: dual
                architecture: mpls
                tokens: 1
                devices:
                  - { name: r1, kind: router, interfaces: [{ name: eth1, addresses: ["10.12.0.1/30", "2001:db8:12::1/64"] }, { name: eth2, addresses: ["10.13.0.1/30"] }] }
                  - { name: r2, kind: router, interfaces: [{ name: eth0, addresses: ["10.12.0.2/30", "2001:db8:12::2/64"] }, { name: eth1, addresses: ["10.23.0.1/30", "2001:db8:23::1/64"] }] }
                  - { name: r3, kind: router, interfaces: [{ name: eth0, addresses: ["10.13.0.2/30"] }, { name: eth1, addresses: ["10.23.0.2/30", "2001:db8:23::2/64"] }, { name: eth2, addresses: ["10.0.3.1/24", "2001:db8:3::1/64"] }] }
                links:
                  - endpoints: ["r1:eth1", "r2:eth0"]
                  - endpoints: ["r1:eth2", "r3:eth0"]
                  - endpoints: ["r2:eth1", "r3:eth1"]
            """));

        Assert.Equal(
            [
                "10.0.3.0/24 via 10.13.0.2 port eth2 (computed)",
                "10.23.0.0/30 via 10.12.0.2 port eth1, via 10.13.0.2 port eth2 (computed)",
                "2001:db8:3::/64 via 2001:db8:12::2 port eth1 (computed)",
                "2001:db8:23::/64 via 2001:db8:12::2 port eth1 (computed)",
            ],
            Routes(plan, "r1"));
    }

    public static TheoryData<string> ExampleNames => [.. Examples.Select(Path.GetFileName).OfType<string>()];

    [Theory]
    [MemberData(nameof(ExampleNames))]
    public void EveryExamplePlansTheSameTwice(string name)
    {
        var file = TopologyLoader.Load(Path.Combine(Root, "examples", name));
        foreach (var network in file.Networks)
        {
            var plan = ForwardingPlanner.Plan(network);
            Assert.Equal(network.Devices.Where(d => d is RouterSpec or LsrSpec or SwitchSpec).Select(d => d.Name), plan.Devices.Select(d => d.Device));
            Assert.Equal(plan, ForwardingPlanner.Plan(TopologyLoader.Load(Path.Combine(Root, "examples", name))[network.Name]));
        }
    }

    [Fact]
    public void ExamplesPlanExactly()
    {
        var lab = ForwardingPlanner.Plan(TopologyLoader.Load(Path.Combine(Root, "examples/two-hosts-router.yaml"))["lab"]);
        Assert.Equal(new NetworkPlan("lab", [new DevicePlan("r1", [], [])]), lab);

        var tenants = TopologyLoader.Load(Path.Combine(Root, "examples/three-tenants.yaml"));
        foreach (var switched in new[] { ForwardingPlanner.Plan(tenants["gold"]), ForwardingPlanner.Plan(tenants["bronze"]) })
        {
            var only = Assert.Single(switched.Devices);
            Assert.Empty(only.Routes);
            Assert.Equal(tenants[switched.Network].Hosts.Count, only.Macs.Count);
        }
        Assert.Equal(["172.16.0.0/16 via 192.168.1.2 port eth1 (static)"], Routes(ForwardingPlanner.Plan(tenants["silver"]), "r1"));

        var core = ForwardingPlanner.Plan(TopologyLoader.Load(Path.Combine(Root, "examples/mpls-core.yaml"))["core"]);
        Assert.Equal(
            ["10.0.2.0/24 via 192.168.12.2 port eth1 push 100 (static)", "192.168.23.0/30 via 192.168.12.2 port eth1 (computed)"],
            Routes(core, "pe1"));
        Assert.Equal(
            ["10.0.1.0/24 via 192.168.12.1 port eth0 (computed)", "10.0.2.0/24 via 192.168.23.2 port eth1 (computed)"],
            Routes(core, "p1"));
        Assert.Equal(
            [
                "100 pop via 192.168.23.2 port eth1 (static)",
                "200 pop via 192.168.12.1 port eth0 (static)",
                "1000 pop via 192.168.12.1 port eth0 (computed)",
                "1001 pop via 192.168.23.2 port eth1 (computed)",
            ],
            core["p1"].Labels.Select(l => l.ToString()));
        Assert.Equal(
            ["10.0.1.0/24 via 192.168.23.1 port eth0 push 200 (static)", "192.168.12.0/30 via 192.168.23.1 port eth0 (computed)"],
            Routes(core, "pe2"));
    }

    [Fact]
    public void PlansCompareByValue()
    {
        var first = ForwardingPlanner.Plan(Parse(Square()));
        var second = ForwardingPlanner.Plan(Parse(Square()));

        Assert.NotSame(first, second);
        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
        Assert.NotEqual(first, ForwardingPlanner.Plan(Parse(Square("""
                    routes:
                      - prefix: 172.16.0.0/16
                        via: 10.13.0.2
            """))));
    }

    [Fact]
    public void TwoPortsOfOneSegmentClaimingOneAddressIsRejectedByName()
    {
        var network = Parse("""
            networks:
              - name: clash
                architecture: ipv4
                tokens: 1
                devices:
                  - { name: s1, kind: switch, ports: [{ name: eth1 }, { name: eth2 }] }
                  - { name: r1, kind: router, interfaces: [{ name: eth0, addresses: ["10.0.0.1/24"] }] }
                  - { name: r2, kind: router, interfaces: [{ name: eth0, addresses: ["10.0.0.1/24"] }] }
                links:
                  - endpoints: ["r1:eth0", "s1:eth1"]
                  - endpoints: ["r2:eth0", "s1:eth2"]
            """);

        var e = Assert.Throws<ForwardingPlanException>(() => ForwardingPlanner.Plan(network));
        Assert.Equal("network 'clash': r2:eth0: address 10.0.0.1 is also claimed by r1:eth0 on the same segment", e.Message);
        Assert.Equal(("clash", "r2", "eth0"), (e.Network, e.Device, e.Port));

        var apart = network with { Links = [network.Links[0]] };
        Assert.All(ForwardingPlanner.Plan(apart).Devices, d => Assert.Empty(d.Routes));
    }

    [Fact]
    public void LinkToAMissingPortIsRejectedByName()
    {
        var network = new SoftwareNetwork("odd", NetworkArchitecture.Ipv4, 1, PriorityKind.None,
            [new RouterSpec("r1", [Interface("eth0", "10.0.0.1/30")], [])], [], [new LinkSpec(new("r1", "eth0"), new("r9", "eth0"))]);

        var e = Assert.Throws<ForwardingPlanException>(() => ForwardingPlanner.Plan(network));
        Assert.Equal("network 'odd': r9:eth0: a link names this port, but the network has no such device, host or port", e.Message);

        var twice = network with { Hosts = [new HostSpec("r1", [], [], null)], Links = [] };
        e = Assert.Throws<ForwardingPlanException>(() => ForwardingPlanner.Plan(twice));
        Assert.Equal("network 'odd': r1: the name is used by two devices or hosts", e.Message);
    }

    [Fact]
    public void OddButValidNetworksPlanWithoutRoutes()
    {
        var network = new SoftwareNetwork("odd", NetworkArchitecture.Ipv4, 1, PriorityKind.None,
            [
                new RouterSpec("r0", [], []),
                new RouterSpec("r1", [Interface("eth0", "10.0.1.1/24"), new InterfaceSpec("eth1", [], null)], []),
                new SwitchSpec("s1", []),
                new LsrSpec("p1", [Interface("eth0", "10.0.9.1/24")], [], []),
            ],
            [
                new HostSpec("h1", [InterfaceAddress("10.0.2.10/24")], [], null),
                new HostSpec("h2", [], [], null),
            ],
            [new LinkSpec(new("h2", "eth0"), new("r1", "eth1"))]);

        var plan = ForwardingPlanner.Plan(network);

        Assert.Equal(new NetworkPlan("odd", [new DevicePlan("r0", [], []), new DevicePlan("r1", [], []), new DevicePlan("s1", [], []), new DevicePlan("p1", [], [])]), plan);
        Assert.Equal(new NetworkPlan("empty", []),
            ForwardingPlanner.Plan(new SoftwareNetwork("empty", NetworkArchitecture.Ethernet, 1, PriorityKind.None, [], [], [])));
    }

    [Fact]
    public void StaticRouteThatTheDataPlaneCannotCarryIsRejectedByName()
    {
        var core = TopologyLoader.Load(Path.Combine(Root, "examples/mpls-core.yaml"))["core"];
        var pe1 = (RouterSpec)core.Devices[0];
        var twoLabels = pe1 with { Routes = [pe1.Routes[0] with { PushLabels = [new MplsLabel(100), new MplsLabel(300)] }] };
        var offLink = pe1 with { Routes = [pe1.Routes[0] with { Via = Address("192.168.99.2"), Port = null }] };

        var e = Assert.Throws<ForwardingPlanException>(() => ForwardingPlanner.Plan(core with { Devices = [twoLabels, .. core.Devices.Skip(1)] }));
        Assert.Equal("network 'core': pe1:eth1: static route 10.0.2.0/24 via 192.168.12.2 pushes 2 labels; the data plane imposes one", e.Message);
        e = Assert.Throws<ForwardingPlanException>(() => ForwardingPlanner.Plan(core with { Devices = [offLink, .. core.Devices.Skip(1)] }));
        Assert.Equal("network 'core': pe1: static route 10.0.2.0/24 via 192.168.99.2: the next hop is on no connected subnet", e.Message);
    }

    private static InterfaceAddress InterfaceAddress(string text) =>
        Hypervisor.Topology.InterfaceAddress.TryParse(text, out var address) ? address : throw new FormatException(text);

    private static InterfaceSpec Interface(string name, string address) => new(name, [InterfaceAddress(address)], null);
}
