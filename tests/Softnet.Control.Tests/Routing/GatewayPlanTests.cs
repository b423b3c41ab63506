using Softnet.Control.Routing;
using Softnet.Hypervisor.Forwarding;
using Softnet.Hypervisor.Topology;
using static Softnet.Control.Tests.Routing.Topologies;

namespace Softnet.Control.Tests.Routing;

/// <summary>Routes towards secure gateways: computed from the gateways' routes on their other sides.</summary>
public sealed class GatewayPlanTests
{
    private static TopologyFile Example(string file) => TopologyLoader.Load(Path.Combine(Root, "examples", file));

    /// <summary>examples/gateway.yaml with every router's static routes removed.</summary>
    private static TopologyFile WithoutStaticRoutes(TopologyFile file) => file with
    {
        Networks = [.. file.Networks.Select(n => n with { Devices = [.. n.Devices.Select(d => d is RouterSpec r ? r with { Routes = [] } : d)] })],
    };

    private static List<string> Routes(NetworkPlan plan, string device) => [.. plan[device].Routes.Select(r => r.ToString())];

    [Fact]
    public void TheRouterFacingTheGatewayRoutesTheMappedPrefixThroughIt()
    {
        var file = WithoutStaticRoutes(Example("gateway.yaml"));

        var red = ForwardingPlanner.Plan(file["red"], file.Gateways);
        var blue = ForwardingPlanner.Plan(file["blue"], file.Gateways);

        Assert.Equal(["172.16.2.0/24 via 192.168.100.2 port eth2 (computed)"], Routes(red, "r1"));
        Assert.Equal(["172.16.1.0/24 via 192.168.200.2 port eth2 (computed)"], Routes(blue, "r1"));
        Assert.Empty(ForwardingPlanner.Plan(file["red"]).Devices.Single().Routes);
    }

    [Fact]
    public void ThePlannedExampleGetsTheRoutesTheHandWrittenOneHas()
    {
        var planned = Example("gateway-planned.yaml");
        var written = Example("gateway.yaml");

        foreach (var name in new[] { "red", "blue" })
        {
            var computed = ForwardingPlanner.Plan(planned[name], planned.Gateways);
            var byHand = ForwardingPlanner.Plan(written[name], written.Gateways);
            Assert.Equal(byHand["r1"].Routes.Select(r => r with { Origin = RouteOrigin.Computed }), computed["r1"].Routes);
            Assert.Equal(RouteOrigin.Static, Assert.Single(byHand["r1"].Routes).Origin);
        }
    }

    [Fact]
    public void AStaticRouteInTheFileWinsOverTheComputedOne()
    {
        var file = Example("gateway.yaml");
        var red = file["red"];
        var r1 = (RouterSpec)red.Devices[0];
        var moved = red with { Devices = [r1 with { Routes = [new StaticRoute(Prefix("172.16.2.0/24"), Address("10.0.2.10"), null, [])] }] };

        var plan = ForwardingPlanner.Plan(moved, file.Gateways);

        Assert.Equal(["172.16.2.0/24 via 10.0.2.10 port eth1 (static)"], Routes(plan, "r1"));
    }

    [Fact]
    public void AnOfferedPrefixThatIsASubnetOfTheNetworkIsNotRoutedToTheGateway()
    {
        var file = WithoutStaticRoutes(Example("gateway.yaml"));
        var gw = file.Gateways[0];
        // blue's side also routes 10.0.1.0/24, which is red's own client subnet.
        var blue = gw.Sides[1] with { Routes = [.. gw.Sides[1].Routes, new StaticRoute(Prefix("10.0.1.0/24"), Address("192.168.200.1"), "eth1", [])] };

        var plan = ForwardingPlanner.Plan(file["red"], [gw with { Sides = [gw.Sides[0], blue] }]);

        Assert.Equal(["172.16.2.0/24 via 192.168.100.2 port eth2 (computed)"], Routes(plan, "r1"));
    }

    /// <summary>
    /// r1 -- r2 -- r4 and r1 -- r3 -- r4 (a square), the gateway on r4: r1 splits over r2 and r3, they go to r4, r4
    /// to the gateway's address; in an MPLS network the LSRs label-switch towards it and pop before it.
    /// </summary>
    [Theory]
    [InlineData(NetworkArchitecture.Ipv4)]
    [InlineData(NetworkArchitecture.Mpls)]
    public void AMultiRouterNetworkReachesTheGatewayOverEveryShortestPath(NetworkArchitecture architecture)
    {
        var g = new GeneratedNetwork();
        var (r1, r2, r3, r4) = (g.AddRouter(), g.AddRouter(lsr: true), g.AddRouter(lsr: true), g.AddRouter());
        g.Connect(r1, r2);
        g.Connect(r1, r3);
        g.Connect(r2, r4);
        g.Connect(r3, r4);
        g.AddGatewaySide(r4, Prefix("172.16.2.0/24"));

        var plan = ForwardingPlanner.Plan(g.Build(architecture), g.Gateways());

        var offered = Prefix("172.16.2.0/24");
        var route = (string device) => plan[device].Routes.Single(r => r.Prefix == offered);
        Assert.Equal(
            architecture == NetworkArchitecture.Mpls
                ? "172.16.2.0/24 via 172.16.0.2 port eth0 push 1004, via 172.16.0.6 port eth1 push 1004 (computed)"
                : "172.16.2.0/24 via 172.16.0.2 port eth0, via 172.16.0.6 port eth1 (computed)",
            route("r1").ToString());
        Assert.Equal("172.16.2.0/24 via 172.16.0.10 port eth1 (computed)", route("r2").ToString());
        Assert.Equal("172.16.2.0/24 via 172.16.0.14 port eth1 (computed)", route("r3").ToString());
        Assert.Equal("172.16.2.0/24 via 192.168.250.2 port eth2 (computed)", route("r4").ToString());
        if (architecture == NetworkArchitecture.Mpls)
        {
            Assert.Equal("1004 pop via 172.16.0.10 port eth1 (computed)", plan["r2"].Labels.Single(l => l.In.Value == 1004).ToString());
        }
        AssertMatchesModel(g, plan);
    }

    public static TheoryData<int, int> RandomNetworks => GeneratedTopologyTests.Pairs(Enumerable.Range(0, 12).Select(i => (100 + i, 5 + i * 4)));

    /// <summary>Two gateways offering one prefix (ECMP across them where they tie) and one offering another, on random networks.</summary>
    [Theory]
    [MemberData(nameof(RandomNetworks))]
    public void RandomNetworksReachTheirGatewaysAsFloydWarshallSays(int seed, int routers)
    {
        var g = GeneratedNetwork.Random(seed, routers);
        var random = new Random(seed);
        g.AddGatewaySide(random.Next(routers), Prefix("172.16.0.0/12"), Prefix("100.64.0.0/10"));
        g.AddGatewaySide(random.Next(routers), Prefix("172.16.0.0/12"));

        var plan = ForwardingPlanner.Plan(g.Build(), g.Gateways());

        AssertMatchesModel(g, plan);
        Assert.All(plan.Devices.Where(d => d.Device.StartsWith('r')), d => Assert.Contains(d.Routes, r => r.Prefix == Prefix("172.16.0.0/12")));
    }

    private static void AssertMatchesModel(GeneratedNetwork g, NetworkPlan plan)
    {
        var expected = g.ExpectedNextHops();
        foreach (var device in plan.Devices.Where(d => expected.ContainsKey(d.Device)))
            Assert.Equal(expected[device.Device], GeneratedNetwork.NextHops(device));
    }
}
