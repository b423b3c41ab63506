using Softnet.Hypervisor.Forwarding;
using Softnet.Control.Routing;
using Softnet.Hypervisor.Topology;

namespace Softnet.Control.Tests.Routing;

/// <summary>Plans of seeded random networks and grids against Floyd–Warshall, and walks of every ECMP branch.</summary>
public sealed class GeneratedTopologyTests
{
    /// <summary>Seed and router count: 5 to 60 routers.</summary>
    public static TheoryData<int, int> RandomNetworks => Pairs(Enumerable.Range(0, 24).Select(i => (i + 1, 5 + (i * 55 / 23))));

    public static TheoryData<int, int> Grids => Pairs([(1, 2), (2, 2), (3, 4), (5, 5), (7, 7)]);

    internal static TheoryData<int, int> Pairs(IEnumerable<(int, int)> pairs)
    {
        var data = new TheoryData<int, int>();
        foreach (var (a, b) in pairs) data.Add(a, b);
        return data;
    }

    [Theory]
    [MemberData(nameof(RandomNetworks))]
    public void RandomNetworksMatchFloydWarshall(int seed, int routers)
    {
        var g = GeneratedNetwork.Random(seed, routers);
        var plan = ForwardingPlanner.Plan(g.Build());

        AssertMatchesModel(g, plan);
        AssertEveryBranchReachesTheDestination(g, plan);
    }

    [Theory]
    [MemberData(nameof(Grids))]
    public void GridsMatchFloydWarshall(int rows, int columns)
    {
        var g = GeneratedNetwork.Grid(rows, columns);
        var plan = ForwardingPlanner.Plan(g.Build());

        AssertMatchesModel(g, plan);
        AssertEveryBranchReachesTheDestination(g, plan);
    }

    [Fact]
    public void GridCornerSplitsOverBothDirectionsToTheOppositeCorner()
    {
        // r1 (0,0): eth0 east to r2 over 172.16.0.0/30, eth1 south to r4 over 172.16.0.4/30; r9 (2,2) owns 10.1.8.0/24.
        var plan = ForwardingPlanner.Plan(GeneratedNetwork.Grid(3, 3).Build());

        var route = plan["r1"].Routes.Single(r => r.Prefix == Topologies.Prefix("10.1.8.0/24"));
        Assert.Equal("10.1.8.0/24 via 172.16.0.2 port eth0, via 172.16.0.6 port eth1 (computed)", route.ToString());
        var middle = plan["r5"].Routes.Single(r => r.Prefix == Topologies.Prefix("10.1.0.0/24"));
        Assert.Equal(2, middle.NextHops.Count);
    }

    [Fact]
    public void UnreachableDestinationsGetNoRoute()
    {
        var g = GeneratedNetwork.Random(7, 12);
        var island = g.AddRouter();
        g.Connect(island, g.AddRouter());
        g.AddStub(island, host: true);
        var plan = ForwardingPlanner.Plan(g.Build());

        // The island link is the 18th /30 (11 tree links and 6 extra ones come first): r13 is 172.16.0.69.
        AssertMatchesModel(g, plan);
        Assert.Empty(plan["r13"].Routes);
        Assert.Equal("10.1.12.0/24 via 172.16.0.69 port eth0 (computed)", Assert.Single(plan["r14"].Routes).ToString());
        Assert.DoesNotContain(plan["r1"].Routes, r => r.Prefix == Topologies.Prefix("10.1.12.0/24"));
    }

    [Fact]
    public void FiftyRouterPlanIsDeterministic()
    {
        var network = GeneratedNetwork.Random(50, 50).Build();
        Assert.Equal(ForwardingPlanner.Plan(network), ForwardingPlanner.Plan(network with { Links = [.. network.Links] }));
    }

    /// <summary>Each router's routes by prefix, by router number.</summary>
    internal static Dictionary<IpPrefix, PlannedRoute>[] RoutesByDevice(GeneratedNetwork g, NetworkPlan plan) =>
        [.. Enumerable.Range(0, g.Count).Select(r => plan[g.Name(r)].Routes.ToDictionary(x => x.Prefix))];

    internal static void AssertMatchesModel(GeneratedNetwork g, NetworkPlan plan)
    {
        var expected = g.ExpectedNextHops();
        var routers = plan.Devices.Where(d => d.Device.StartsWith('r')).ToList();
        Assert.Equal(Enumerable.Range(0, g.Count).Select(g.Name), routers.Select(d => d.Device));
        foreach (var device in routers)
        {
            Assert.Equal(expected[device.Device], GeneratedNetwork.NextHops(device));
            AssertSorted(device);
        }
    }

    /// <summary>Routes by prefix (here IPv4: network, then length), next hops by port, then address.</summary>
    private static void AssertSorted(DevicePlan device)
    {
        var keys = device.Routes.Select(r => ((ulong)r.Prefix.V4!.Value.Network.Value << 8) | (uint)r.Prefix.V4.Value.Length).ToList();
        Assert.Equal(keys.Order(), keys);
        Assert.Equal(keys.Count, keys.Distinct().Count());
        foreach (var route in device.Routes)
        {
            var hops = route.NextHops.Select(h => (h.Port, h.Via.V4!.Value.Value)).ToList();
            Assert.Equal(hops.OrderBy(h => h.Port, StringComparer.Ordinal).ThenBy(h => h.Value), hops);
        }
    }

    /// <summary>
    /// Follows every next hop from every router towards every destination it routes: each branch must reach a router
    /// attached to the destination in exactly the shortest-path hop count, so it never loops.
    /// </summary>
    private static void AssertEveryBranchReachesTheDestination(GeneratedNetwork g, NetworkPlan plan)
    {
        var distances = g.Distances();
        var owners = g.Owners();
        var routes = RoutesByDevice(g, plan);
        foreach (var subnet in g.Subnets)
        {
            var checkedHops = new Dictionary<int, int>();
            int Walk(int router, int depth)
            {
                Assert.True(depth <= g.Count, $"a walk to {subnet.Prefix} passed {depth} routers");
                if (subnet.Connected.Contains(router)) return 0;
                if (checkedHops.TryGetValue(router, out var known)) return known;
                var lengths = routes[router][subnet.Prefix].NextHops.Select(h => 1 + Walk(owners[h.Via], depth + 1)).Distinct().ToList();
                var length = Assert.Single(lengths);
                checkedHops[router] = length;
                return length;
            }
            for (var r = 0; r < g.Count; r++)
            {
                var expected = GeneratedNetwork.DistanceTo(distances, r, subnet);
                var routed = routes[r].ContainsKey(subnet.Prefix);
                Assert.Equal(expected is > 0, routed);
                if (routed) Assert.Equal(expected, Walk(r, 0));
            }
        }
    }
}
