using Softnet.Hypervisor.Forwarding;
using Softnet.Control.Routing;
using Softnet.Hypervisor.Topology;
using Softnet.Wire;

namespace Softnet.Control.Tests.Routing;

public sealed class PlanDiffTests
{
    [Fact]
    public void APlanDiffersFromItselfInNothing()
    {
        var network = GeneratedNetwork.Random(3, 20).Build();
        var plan = ForwardingPlanner.Plan(network);

        Assert.True(PlanDiff.Between(plan, plan).IsEmpty);
        var again = PlanDiff.Between(plan, ForwardingPlanner.Plan(network));
        Assert.Equal("gen", again.Network);
        Assert.Empty(again.Devices);
    }

    public static TheoryData<int> Seeds => [.. Enumerable.Range(1, 10)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void RemovingALinkListsExactlyTheRoutesThatChanged(int seed)
    {
        var g = GeneratedNetwork.Random(seed, 30);
        var before = ForwardingPlanner.Plan(g.Build());
        var expectedBefore = ByPrefix(g.ExpectedNextHops());
        var links = g.Build().Links.Where(l => l.A.Node.StartsWith('r') && l.B.Node.StartsWith('r')).ToList();
        g.Disconnect(links[new Random(seed).Next(links.Count)]);
        var after = ForwardingPlanner.Plan(g.Build());
        var expectedAfter = ByPrefix(g.ExpectedNextHops());

        var diff = PlanDiff.Between(before, after);

        var changedDevices = new List<string>();
        foreach (var device in after.Devices.Select(d => d.Device).Where(d => d.StartsWith('r')))
        {
            var (was, now) = (expectedBefore[device], expectedAfter[device]);
            var added = now.Keys.Where(p => !was.ContainsKey(p)).Order(StringComparer.Ordinal).ToList();
            var removed = was.Keys.Where(p => !now.ContainsKey(p)).Order(StringComparer.Ordinal).ToList();
            var changed = now.Keys.Where(p => was.TryGetValue(p, out var old) && old != now[p]).Order(StringComparer.Ordinal).ToList();
            var actual = diff.Devices.SingleOrDefault(d => d.Device == device);
            if (added.Count + removed.Count + changed.Count == 0)
            {
                Assert.Null(actual);
                continue;
            }
            changedDevices.Add(device);
            Assert.NotNull(actual);
            Assert.Equal(added, actual.RoutesAdded.Select(r => r.Prefix.ToString()).Order(StringComparer.Ordinal));
            Assert.Equal(removed, actual.RoutesRemoved.Select(r => r.Prefix.ToString()).Order(StringComparer.Ordinal));
            Assert.Equal(changed, actual.RoutesChanged.Select(c => c.After.Prefix.ToString()).Order(StringComparer.Ordinal));
            Assert.All(actual.RoutesChanged, c => Assert.Contains(c.Before, before[device].Routes));
            Assert.All(actual.RoutesChanged, c => Assert.Contains(c.After, after[device].Routes));
            Assert.All(actual.RoutesRemoved, r => Assert.Contains(r, before[device].Routes));
        }
        Assert.NotEmpty(changedDevices);
        Assert.Equal(changedDevices, diff.Devices.Select(d => d.Device));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void LinkFailureThatKeepsTheNetworkConnectedMovesNoLabel(int seed)
    {
        var g = GeneratedNetwork.Random(seed + 200, 25, lsrShare: 0.6);
        var before = ForwardingPlanner.Plan(g.Build(NetworkArchitecture.Mpls));
        var links = g.Build().Links.Where(l => l.A.Node.StartsWith('r') && l.B.Node.StartsWith('r')).ToList();
        foreach (var link in links)
        {
            g.Disconnect(link);
            if (Connected(g)) break;
            g = GeneratedNetwork.Random(seed + 200, 25, lsrShare: 0.6);
        }
        var after = ForwardingPlanner.Plan(g.Build(NetworkArchitecture.Mpls));

        var diff = PlanDiff.Between(before, after);

        Assert.NotEqual(before, after);
        Assert.All(diff.Devices, d => Assert.Empty(d.LabelsAdded));
        Assert.All(diff.Devices, d => Assert.Empty(d.LabelsRemoved));
        Assert.All(diff.Devices.SelectMany(d => d.LabelsChanged), c => Assert.Equal(c.Before.In, c.After.In));
    }

    [Fact]
    public void DevicesOnlyInOnePlanHaveAllTheirEntriesAddedOrRemoved()
    {
        var route = new PlannedRoute(Topologies.Prefix("10.0.0.0/24"), [new PlannedNextHop("eth0", Topologies.Address("10.1.0.2"), null)], RouteOrigin.Computed);
        var label = new PlannedLabel(new MplsLabel(1000), LabelAction.Pop, null, Topologies.Address("10.1.0.2"), "eth0", RouteOrigin.Computed);
        var r1 = new DevicePlan("r1", [route], []);
        var p1 = new DevicePlan("p1", [route], [label]);
        var small = new NetworkPlan("n", [r1]);
        var large = new NetworkPlan("n", [r1, p1]);

        var grown = Assert.Single(PlanDiff.Between(small, large).Devices);
        Assert.Equal(("p1", route, label), (grown.Device, Assert.Single(grown.RoutesAdded), Assert.Single(grown.LabelsAdded)));
        Assert.Empty(grown.RoutesRemoved);
        var shrunk = Assert.Single(PlanDiff.Between(large, small).Devices);
        Assert.Equal(("p1", route, label), (shrunk.Device, Assert.Single(shrunk.RoutesRemoved), Assert.Single(shrunk.LabelsRemoved)));

        var moved = new DevicePlan("p1", [route with { Origin = RouteOrigin.Static }], [label with { Via = Topologies.Address("10.1.0.3") }]);
        var change = Assert.Single(PlanDiff.Between(large, new NetworkPlan("n", [r1, moved])).Devices);
        Assert.Equal(new EntryChange<PlannedRoute>(route, moved.Routes[0]), Assert.Single(change.RoutesChanged));
        Assert.Equal(new EntryChange<PlannedLabel>(label, moved.Labels[0]), Assert.Single(change.LabelsChanged));

        Assert.Throws<ArgumentException>(() => PlanDiff.Between(small, small with { Network = "m" }));
    }

    /// <summary>Per device, prefix → its expected next hops joined into one string.</summary>
    private static Dictionary<string, Dictionary<string, string>> ByPrefix(Dictionary<string, List<string>> nextHops) =>
        nextHops.ToDictionary(
            d => d.Key,
            d => d.Value.GroupBy(line => line[..line.IndexOf(' ')]).ToDictionary(p => p.Key, p => string.Join(";", p)));

    private static bool Connected(GeneratedNetwork g)
    {
        var d = g.Distances();
        return Enumerable.Range(0, g.Count).All(i => Enumerable.Range(0, g.Count).All(j => d[i, j] < g.Count));
    }
}
