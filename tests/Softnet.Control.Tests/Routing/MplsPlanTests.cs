using Softnet.Hypervisor.Forwarding;
using Softnet.Control.Routing;
using Softnet.Hypervisor.Topology;
using Softnet.Wire;
using static Softnet.Control.Tests.Routing.Topologies;

namespace Softnet.Control.Tests.Routing;

public sealed class MplsPlanTests
{
    /// <summary>
    /// A chain of devices in an MPLS network: link i (1-based) is 192.168.i.0/30 from the left device's eth1 (.1) to
    /// the right device's eth0 (.2); the first device's eth0 holds 10.0.1.1/24, the last one's eth1 10.0.2.1/24.
    /// </summary>
    private static SoftwareNetwork Chain(params (string Name, string Kind)[] nodes)
    {
        var text = new System.Text.StringBuilder("networks:\n  - name: chain\n    architecture: mpls\n    tokens: 1\n    devices:\n");
        for (var i = 0; i < nodes.Length; i++)
        {
            var left = i == 0 ? "10.0.1.1/24" : $"192.168.{i}.2/30";
            var right = i == nodes.Length - 1 ? "10.0.2.1/24" : $"192.168.{i + 1}.1/30";
            text.Append($"      - {{ name: {nodes[i].Name}, kind: {nodes[i].Kind}, interfaces: [{{ name: eth0, addresses: [\"{left}\"] }}, {{ name: eth1, addresses: [\"{right}\"] }}] }}\n");
        }
        text.Append("    links:\n");
        for (var i = 0; i + 1 < nodes.Length; i++) text.Append($"      - endpoints: [\"{nodes[i].Name}:eth1\", \"{nodes[i + 1].Name}:eth0\"]\n");
        return Parse(text.ToString());
    }

    private static IEnumerable<string> Routes(NetworkPlan plan, string device) => plan[device].Routes.Select(r => r.ToString());

    private static IEnumerable<string> Labels(NetworkPlan plan, string device) => plan[device].Labels.Select(l => l.ToString());

    [Fact]
    public void LspsPushSwapAndPopAtThePenultimateHop()
    {
        // FEC labels: 10.0.1.0/24 1000, 10.0.2.0/24 1001, 192.168.1.0/30 1002, 192.168.2.0/30 1003, 192.168.3.0/30 1004.
        var plan = ForwardingPlanner.Plan(Chain(("pe1", "router"), ("p1", "lsr"), ("p2", "lsr"), ("pe2", "router")));

        Assert.Equal(
            [
                "10.0.2.0/24 via 192.168.1.2 port eth1 push 1001 (computed)",
                "192.168.2.0/30 via 192.168.1.2 port eth1 (computed)",
                "192.168.3.0/30 via 192.168.1.2 port eth1 push 1004 (computed)",
            ],
            Routes(plan, "pe1"));
        Assert.Equal(
            [
                "10.0.1.0/24 via 192.168.1.1 port eth0 (computed)",
                "10.0.2.0/24 via 192.168.2.2 port eth1 (computed)",
                "192.168.3.0/30 via 192.168.2.2 port eth1 (computed)",
            ],
            Routes(plan, "p1"));
        Assert.Equal(
            [
                "1000 pop via 192.168.1.1 port eth0 (computed)",
                "1001 swap 1001 via 192.168.2.2 port eth1 (computed)",
                "1004 pop via 192.168.2.2 port eth1 (computed)",
            ],
            Labels(plan, "p1"));
        Assert.Equal(
            [
                "1000 swap 1000 via 192.168.2.1 port eth0 (computed)",
                "1001 pop via 192.168.3.2 port eth1 (computed)",
                "1002 pop via 192.168.2.1 port eth0 (computed)",
            ],
            Labels(plan, "p2"));
        Assert.Equal(
            [
                "10.0.1.0/24 via 192.168.3.1 port eth0 push 1000 (computed)",
                "192.168.1.0/30 via 192.168.3.1 port eth0 push 1002 (computed)",
                "192.168.2.0/30 via 192.168.3.1 port eth0 (computed)",
            ],
            Routes(plan, "pe2"));
        Assert.Equal(new PlannedLabel(new MplsLabel(1001), LabelAction.Swap, new MplsLabel(1001), Address("192.168.2.2"), "eth1", RouteOrigin.Computed),
            plan["p1"].Labels[1]);
        Assert.Empty(plan["pe1"].Labels);
    }

    [Fact]
    public void AnLspEndsBeforeATransitRouterWhichPushesAgain()
    {
        var plan = ForwardingPlanner.Plan(Chain(("pe1", "router"), ("p1", "lsr"), ("r", "router"), ("p2", "lsr"), ("pe2", "router")));
        var pe2Subnet = Prefix("10.0.2.0/24");

        Assert.Equal("10.0.2.0/24 via 192.168.1.2 port eth1 push 1001 (computed)", plan["pe1"].Routes.Single(r => r.Prefix == pe2Subnet).ToString());
        Assert.Equal("1001 pop via 192.168.2.2 port eth1 (computed)", plan["p1"].Labels.Single(l => l.In.Value == 1001).ToString());
        Assert.Equal("10.0.2.0/24 via 192.168.3.2 port eth1 push 1001 (computed)", plan["r"].Routes.Single(r => r.Prefix == pe2Subnet).ToString());
        Assert.Equal("1001 pop via 192.168.4.2 port eth1 (computed)", plan["p2"].Labels.Single(l => l.In.Value == 1001).ToString());
    }

    [Fact]
    public void ComputedLabelsSkipEveryLabelTheFileUses()
    {
        var chain = Chain(("pe1", "router"), ("p1", "lsr"), ("p2", "lsr"), ("pe2", "router"));
        var p1 = (LsrSpec)chain.Devices[1] with { Labels = [new LabelBinding(new MplsLabel(1001), LabelAction.Swap, new MplsLabel(1003), Address("192.168.2.2"), null)] };
        var p2 = (LsrSpec)chain.Devices[2] with { Labels = [new LabelBinding(new MplsLabel(1000), LabelAction.Lookup, null, null, null)] };

        var plan = ForwardingPlanner.Plan(chain with { Devices = [chain.Devices[0], p1, p2, chain.Devices[3]] });

        // Free labels 1002, 1004, 1005, 1006, 1007 go to the five destinations in order.
        Assert.Equal(
            [
                "1001 swap 1003 via 192.168.2.2 port eth1 (static)",
                "1002 pop via 192.168.1.1 port eth0 (computed)",
                "1004 swap 1004 via 192.168.2.2 port eth1 (computed)",
                "1007 pop via 192.168.2.2 port eth1 (computed)",
            ],
            Labels(plan, "p1"));
        Assert.Equal(
            [
                "1000 lookup (static)",
                "1002 swap 1002 via 192.168.2.1 port eth0 (computed)",
                "1004 pop via 192.168.3.2 port eth1 (computed)",
                "1005 pop via 192.168.2.1 port eth0 (computed)",
            ],
            Labels(plan, "p2"));
    }

    [Fact]
    public void IpNetworksGetNoLabels()
    {
        var chain = Chain(("pe1", "router"), ("p1", "lsr"), ("pe2", "router"));
        var asIp = chain with { Architecture = NetworkArchitecture.Ipv4 };

        var plan = ForwardingPlanner.Plan(asIp);

        Assert.All(plan.Devices, d => Assert.Empty(d.Labels));
        Assert.All(plan.Devices.SelectMany(d => d.Routes).SelectMany(r => r.NextHops), h => Assert.Null(h.Push));
    }

    public static TheoryData<int, int> RandomNetworks => GeneratedTopologyTests.Pairs(Enumerable.Range(0, 12).Select(i => (100 + i, 5 + i * 4)));

    [Theory]
    [MemberData(nameof(RandomNetworks))]
    public void EveryLabelSwitchedPathReachesItsEgress(int seed, int routers)
    {
        var g = GeneratedNetwork.Random(seed, routers, lsrShare: 0.6);
        var plan = ForwardingPlanner.Plan(g.Build(NetworkArchitecture.Mpls));
        var distances = g.Distances();
        var subnets = g.Subnets.Select(s => s.Prefix).Distinct().OrderBy(p => p.V4!.Value.Network.Value).ThenBy(p => p.V4!.Value.Length).ToList();

        var walk = new Walker(g, plan);

        GeneratedTopologyTests.AssertMatchesModel(g, plan);
        foreach (var device in plan.Devices)
            Assert.Equal(device.Labels.Count, device.Labels.Select(l => l.In).Distinct().Count());
        foreach (var subnet in g.Subnets)
        {
            var label = new MplsLabel(ForwardingPlanner.FirstComputedLabel + (uint)subnets.IndexOf(subnet.Prefix));
            for (var r = 0; r < g.Count; r++)
            {
                if (GeneratedNetwork.DistanceTo(distances, r, subnet) is not { } hops || hops == 0) continue;
                walk.From(subnet, r, null, hops);
                if (g.IsLsr(r)) walk.From(subnet, r, label, hops);
            }
        }
    }

    /// <summary>
    /// Forwards a packet for a subnet from a router, labelled or not, along every ECMP branch: a labelled packet only
    /// ever reaches an LSR not attached to the subnet (PHP), which has a binding for its label; each branch reaches an
    /// attached router unlabelled after exactly the shortest-path hop count.
    /// </summary>
    private sealed class Walker(GeneratedNetwork g, NetworkPlan plan)
    {
        private readonly Dictionary<IpAddress, int> _owners = g.Owners();
        private readonly Dictionary<IpPrefix, PlannedRoute>[] _routes = GeneratedTopologyTests.RoutesByDevice(g, plan);
        private readonly Dictionary<MplsLabel, PlannedLabel>[] _labels = [.. Enumerable.Range(0, g.Count).Select(r => plan[g.Name(r)].Labels.ToDictionary(l => l.In))];

        public void From((IpPrefix Prefix, int[] Connected) subnet, int start, MplsLabel? label, int hops)
        {
            var seen = new HashSet<(int, MplsLabel?, int)>();
            var pending = new Stack<(int Router, MplsLabel? Label, int Left)>([(start, label, hops)]);
            while (pending.TryPop(out var state))
            {
                if (!seen.Add(state)) continue;
                var (router, top, left) = state;
                if (top is { } l)
                {
                    Assert.True(g.IsLsr(router), $"{g.Name(router)} is a router but received label {l}");
                    Assert.DoesNotContain(router, subnet.Connected);
                    Assert.True(left > 0);
                    var binding = _labels[router][l];
                    Assert.NotEqual(LabelAction.Lookup, binding.Action);
                    pending.Push((_owners[binding.Via!.Value], binding.Action == LabelAction.Swap ? binding.Out : null, left - 1));
                    continue;
                }
                if (subnet.Connected.Contains(router))
                {
                    Assert.Equal(0, left);
                    continue;
                }
                Assert.True(left > 0);
                foreach (var hop in _routes[router][subnet.Prefix].NextHops)
                {
                    var next = _owners[hop.Via];
                    var pushes = !g.IsLsr(router) && g.IsLsr(next) && !subnet.Connected.Contains(next);
                    Assert.Equal(pushes, hop.Push.HasValue);
                    pending.Push((next, hop.Push, left - 1));
                }
            }
        }
    }
}
