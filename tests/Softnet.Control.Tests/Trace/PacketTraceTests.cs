using Softnet.Control.Routing;
using Softnet.Control.Trace;
using Softnet.Hypervisor.Topology;
using static Softnet.Control.Tests.Routing.Topologies;

namespace Softnet.Control.Tests.Trace;

public sealed class PacketTraceTests
{
    private static TraceResult Trace(SoftwareNetwork network, string from, string destination, TraceProtocol protocol = TraceProtocol.Icmp, ushort? port = null) =>
        PacketTrace.Run(network, ForwardingPlanner.Plan(network), from, Address(destination), protocol, port);

    private static SoftwareNetwork Example(string file, string network = "") =>
        TopologyLoader.Load(Path.Combine(Root, "examples", file)).Networks.Single(n => network.Length == 0 || n.Name == network);

    private static string Lines(TraceResult result) => result.ToString();

    [Fact]
    public void HostToHostThroughARouter()
    {
        var result = Trace(Example("two-hosts-router.yaml"), "h1", "10.0.2.10");

        Assert.Equal(TraceOutcome.Delivered, result.Outcome);
        Assert.Equal(
            [
                new TraceHop("h1", null, "eth0", "default route via 10.0.1.1 port eth0 (gateway)"),
                new TraceHop("r1", "eth0", "eth1", "10.0.2.0/24 (connected) on eth1"),
                new TraceHop("h2", "eth0", null, "10.0.2.10 is h2's address"),
            ],
            result.Hops);
        Assert.Equal("h1 -> r1 -> h2: delivered to h2 (10.0.2.10)", result.Summary);
        Assert.Equal(
            """
            h1 - -> eth0: default route via 10.0.1.1 port eth0 (gateway)
            r1 eth0 -> eth1: 10.0.2.0/24 (connected) on eth1
            h2 eth0 -> -: 10.0.2.10 is h2's address
            h1 -> r1 -> h2: delivered to h2 (10.0.2.10)
            """.ReplaceLineEndings("\n"),
            Lines(result));
    }

    [Fact]
    public void TheLabelsOfAnLspFromTheFile()
    {
        var result = Trace(Example("mpls-core.yaml"), "h1", "10.0.2.10", TraceProtocol.Udp, 53);

        Assert.Equal(
            [
                new TraceHop("h1", null, "eth0", "default route via 10.0.1.1 port eth0 (gateway)"),
                new TraceHop("pe1", "eth0", "eth1", "10.0.2.0/24 (static) via 192.168.12.2 port eth1 push 100"),
                new TraceHop("p1", "eth0", "eth1", "label 100 pop via 192.168.23.2 port eth1 (penultimate hop)"),
                new TraceHop("pe2", "eth0", "eth1", "10.0.2.0/24 (connected) on eth1"),
                new TraceHop("h2", "eth0", null, "10.0.2.10 is h2's address"),
            ],
            result.Hops);
        Assert.Equal(TraceOutcome.Delivered, result.Outcome);
    }

    [Fact]
    public void TheComputedLabelsOfAnMplsChainArePushedSwappedAndPopped()
    {
        var chain = Parse("""
            networks:
              - name: chain
                architecture: mpls
                tokens: 1
                devices:
                  - { name: pe1, kind: router, interfaces: [{ name: eth0, addresses: ["10.0.1.1/24"] }, { name: eth1, addresses: ["192.168.1.1/30"] }] }
                  - { name: p1, kind: lsr, interfaces: [{ name: eth0, addresses: ["192.168.1.2/30"] }, { name: eth1, addresses: ["192.168.2.1/30"] }] }
                  - { name: p2, kind: lsr, interfaces: [{ name: eth0, addresses: ["192.168.2.2/30"] }, { name: eth1, addresses: ["192.168.3.1/30"] }] }
                  - { name: pe2, kind: router, interfaces: [{ name: eth0, addresses: ["192.168.3.2/30"] }, { name: eth1, addresses: ["10.0.2.1/24"] }] }
                hosts:
                  - { name: h1, address: 10.0.1.10/24, gateway: 10.0.1.1 }
                  - { name: h2, address: 10.0.2.10/24, gateway: 10.0.2.1 }
                links:
                  - endpoints: ["h1:eth0", "pe1:eth0"]
                  - endpoints: ["pe1:eth1", "p1:eth0"]
                  - endpoints: ["p1:eth1", "p2:eth0"]
                  - endpoints: ["p2:eth1", "pe2:eth0"]
                  - endpoints: ["pe2:eth1", "h2:eth0"]
            """);

        var there = Trace(chain, "h1", "10.0.2.10");
        var back = Trace(chain, "h2", "10.0.1.10");

        // FEC labels from 1000 in destination order: 10.0.1.0/24 1000, 10.0.2.0/24 1001.
        Assert.Equal(
            [
                new TraceHop("h1", null, "eth0", "default route via 10.0.1.1 port eth0 (gateway)"),
                new TraceHop("pe1", "eth0", "eth1", "10.0.2.0/24 (computed) via 192.168.1.2 port eth1 push 1001"),
                new TraceHop("p1", "eth0", "eth1", "label 1001 swap 1001 via 192.168.2.2 port eth1"),
                new TraceHop("p2", "eth0", "eth1", "label 1001 pop via 192.168.3.2 port eth1 (penultimate hop)"),
                new TraceHop("pe2", "eth0", "eth1", "10.0.2.0/24 (connected) on eth1"),
                new TraceHop("h2", "eth0", null, "10.0.2.10 is h2's address"),
            ],
            there.Hops);
        Assert.Equal("h1 -> pe1 -> p1 -> p2 -> pe2 -> h2: delivered to h2 (10.0.2.10)", there.Summary);
        Assert.Equal(
            ["pe2 eth1: 10.0.1.0/24 (computed) via 192.168.3.1 port eth0 push 1000", "p2 eth1: label 1000 swap 1000 via 192.168.2.1 port eth0",
             "p1 eth1: label 1000 pop via 192.168.1.1 port eth0 (penultimate hop)", "pe1 eth1: 10.0.1.0/24 (connected) on eth0"],
            back.Hops.Skip(1).Take(4).Select(h => $"{h.Node} {h.InPort}: {h.Decision}"));
        Assert.Equal(TraceOutcome.Delivered, back.Outcome);
    }

    [Fact]
    public void ASwitchCarriesTheFrameInItsVlan()
    {
        var result = Trace(Example("three-tenants.yaml", "gold"), "h1", "10.0.0.2");

        Assert.Equal(
            [
                new TraceHop("h1", null, "eth0", "10.0.0.0/24 connected on eth0"),
                new TraceHop("s1", "eth1", "eth2", "L2 VLAN 10: towards 10.0.0.2 at h2:eth0"),
                new TraceHop("h2", "eth0", null, "10.0.0.2 is h2's address"),
            ],
            result.Hops);
        Assert.Equal("h1 -> s1 -> h2: delivered to h2 (10.0.0.2)", result.Summary);
    }

    [Fact]
    public void AStaticRouteToAHostEndsThereAsAHostDoesNotForward()
    {
        var result = Trace(Example("three-tenants.yaml", "silver"), "h1", "172.16.5.5", TraceProtocol.Tcp, 443);

        Assert.Equal(TraceOutcome.Dropped, result.Outcome);
        Assert.Equal(new TraceHop("r1", "eth0", "eth1", "172.16.0.0/16 (static) via 192.168.1.2 port eth1"), result.Hops[1]);
        Assert.Equal(new TraceHop("h2", "eth0", null, "172.16.5.5 is not h2's address, and a host does not forward"), result.Hops[2]);
        Assert.Equal("h1 -> r1 -> h2: dropped at h2: a host does not forward", result.Summary);
    }

    [Fact]
    public void EveryHostOfEveryExampleReachesEveryOtherHost()
    {
        var (traces, expected) = (0, 0);
        foreach (var file in Examples)
        {
            foreach (var network in TopologyLoader.Load(file).Networks)
            {
                var plan = ForwardingPlanner.Plan(network);
                expected += network.Hosts.Sum(from => network.Hosts.Where(to => to != from).Sum(to => to.Addresses.Count));
                foreach (var from in network.Hosts)
                    foreach (var to in network.Hosts.Where(h => h != from))
                        foreach (var address in to.Addresses)
                        {
                            var result = PacketTrace.Run(network, plan, from.Name, address.Address, TraceProtocol.Icmp);
                            Assert.True(result.Outcome == TraceOutcome.Delivered, $"{file} {network.Name}: {result}");
                            Assert.Equal(to.Name, result.Hops[^1].Node);
                            Assert.Equal(from.Name, result.Hops[0].Node);
                            traces++;
                        }
            }
        }
        Assert.Equal(expected, traces);
        Assert.True(traces >= 10);
    }

    [Fact]
    public void NoRouteAtARouterAndAtAHostWithoutGateway()
    {
        var atRouter = Trace(Example("two-hosts-router.yaml"), "h1", "10.9.9.9");
        Assert.Equal(TraceOutcome.NoRoute, atRouter.Outcome);
        Assert.Equal(new TraceHop("r1", "eth0", null, "no route to 10.9.9.9"), atRouter.Hops[^1]);
        Assert.Equal("h1 -> r1: no route to 10.9.9.9 at r1", atRouter.Summary);

        var atHost = Trace(Example("three-tenants.yaml", "gold"), "h1", "10.9.9.9");
        Assert.Equal(TraceOutcome.NoRoute, atHost.Outcome);
        Assert.Equal([new TraceHop("h1", null, null, "no route to 10.9.9.9: no connected subnet holds it and h1 has no IPv4 gateway")], atHost.Hops);

        var wrongFamily = Trace(Example("two-hosts-router.yaml"), "h1", "2001:db8::1");
        Assert.Equal(TraceOutcome.NoRoute, wrongFamily.Outcome);
        Assert.Equal("h1: no route to 2001:db8::1 at h1", wrongFamily.Summary);
    }

    [Fact]
    public void AConnectedSubnetWithoutSuchAHostIsUnreachable()
    {
        var result = Trace(Example("two-hosts-router.yaml"), "h1", "10.0.2.99");

        Assert.Equal(TraceOutcome.Unreachable, result.Outcome);
        Assert.Equal(new TraceHop("r1", "eth0", "eth1", "10.0.2.0/24 (connected) on eth1"), result.Hops[^1]);
        Assert.Equal("h1 -> r1: 10.0.2.99 unreachable: nothing on the segment of r1-eth1 has that address", result.Summary);

        var onHostLink = Trace(Example("two-hosts-router.yaml"), "h1", "10.0.1.99");
        Assert.Equal(TraceOutcome.Unreachable, onHostLink.Outcome);
        Assert.Equal("h1: 10.0.1.99 unreachable: nothing on the segment of h1-eth0 has that address", onHostLink.Summary);
    }

    [Fact]
    public void TheRoutersOwnAddressIsDeliveredThere()
    {
        var result = Trace(Example("two-hosts-router.yaml"), "h1", "10.0.2.1");

        Assert.Equal(TraceOutcome.Delivered, result.Outcome);
        Assert.Equal(new TraceHop("r1", "eth0", null, "10.0.2.1/32 (local): 10.0.2.1 is r1's own address"), result.Hops[^1]);
        Assert.Equal("h1 -> r1: delivered to r1 (10.0.2.1)", result.Summary);
    }

    [Fact]
    public void StaticRoutesPointingAtEachOtherLoop()
    {
        var network = Parse("""
            networks:
              - name: loop
                architecture: ipv4
                tokens: 1
                devices:
                  - name: r1
                    kind: router
                    interfaces: [{ name: eth0, addresses: ["10.0.1.1/24"] }, { name: eth1, addresses: ["10.0.12.1/30"] }]
                    routes: [{ prefix: 10.9.0.0/16, via: 10.0.12.2 }]
                  - name: r2
                    kind: router
                    interfaces: [{ name: eth0, addresses: ["10.0.12.2/30"] }]
                    routes: [{ prefix: 10.9.0.0/16, via: 10.0.12.1 }]
                hosts:
                  - { name: h1, address: 10.0.1.10/24, gateway: 10.0.1.1 }
                links:
                  - endpoints: ["h1:eth0", "r1:eth0"]
                  - endpoints: ["r1:eth1", "r2:eth0"]
            """);

        var result = Trace(network, "h1", "10.9.1.1");

        Assert.Equal(TraceOutcome.Loop, result.Outcome);
        Assert.Equal(
            [
                new TraceHop("h1", null, "eth0", "default route via 10.0.1.1 port eth0 (gateway)"),
                new TraceHop("r1", "eth0", "eth1", "10.9.0.0/16 (static) via 10.0.12.2 port eth1"),
                new TraceHop("r2", "eth0", "eth0", "10.9.0.0/16 (static) via 10.0.12.1 port eth0"),
                new TraceHop("r1", "eth1", null, "r1 again with the same packet: forwarding loop"),
            ],
            result.Hops);
        Assert.Equal("h1 -> r1 -> r2 -> r1: forwarding loop at r1", result.Summary);
    }

    [Fact]
    public void ALabelledFrameSentToARouterIsDropped()
    {
        var text = File.ReadAllText(Path.Combine(Root, "examples", "mpls-core.yaml"));
        const string pop = "- in: 100\n            pop: true";
        Assert.Contains(pop, text);
        var network = Assert.Single(TopologyLoader.Parse(text.Replace(pop, "- in: 100\n            out: 555", StringComparison.Ordinal), "swap.yaml").Networks);

        var result = Trace(network, "h1", "10.0.2.10");

        Assert.Equal(TraceOutcome.Dropped, result.Outcome);
        Assert.Equal(new TraceHop("p1", "eth0", "eth1", "label 100 swap 555 via 192.168.23.2 port eth1"), result.Hops[2]);
        Assert.Equal(new TraceHop("pe2", "eth0", null, "label 555: a router takes no MPLS"), result.Hops[3]);
        Assert.Equal("h1 -> pe1 -> p1 -> pe2: dropped at pe2: labelled frame at a router", result.Summary);
    }

    [Fact]
    public void Ipv6HostToHost()
    {
        var network = Parse("""
            networks:
              - name: six
                architecture: ipv6
                tokens: 1
                devices:
                  - { name: r1, kind: router, interfaces: [{ name: eth0, addresses: ["2001:db8:1::1/64"] }, { name: eth1, addresses: ["2001:db8:12::1/64"] }] }
                  - { name: r2, kind: router, interfaces: [{ name: eth0, addresses: ["2001:db8:12::2/64"] }, { name: eth1, addresses: ["2001:db8:2::1/64"] }] }
                hosts:
                  - { name: h1, address: "2001:db8:1::10/64", gateway: "2001:db8:1::1" }
                  - { name: h2, address: "2001:db8:2::10/64", gateway: "2001:db8:2::1" }
                links:
                  - endpoints: ["h1:eth0", "r1:eth0"]
                  - endpoints: ["r1:eth1", "r2:eth0"]
                  - endpoints: ["r2:eth1", "h2:eth0"]
            """);

        var result = Trace(network, "h1", "2001:db8:2::10", TraceProtocol.Udp, 53);

        Assert.Equal(
            [
                new TraceHop("h1", null, "eth0", "default route via 2001:db8:1::1 port eth0 (gateway)"),
                new TraceHop("r1", "eth0", "eth1", "2001:db8:2::/64 (computed) via 2001:db8:12::2 port eth1"),
                new TraceHop("r2", "eth0", "eth1", "2001:db8:2::/64 (connected) on eth1"),
                new TraceHop("h2", "eth0", null, "2001:db8:2::10 is h2's address"),
            ],
            result.Hops);
        Assert.Equal(TraceOutcome.Delivered, result.Outcome);
    }

    [Fact]
    public void BadArgumentsAreRefused()
    {
        var network = Example("two-hosts-router.yaml");
        var plan = ForwardingPlanner.Plan(network);

        Assert.Contains("no host 'h9'", Assert.Throws<ArgumentException>(() => PacketTrace.Run(network, plan, "h9", Address("10.0.2.10"), TraceProtocol.Icmp)).Message);
        Assert.Throws<ArgumentException>(() => PacketTrace.Run(network, plan with { Network = "other" }, "h1", Address("10.0.2.10"), TraceProtocol.Icmp));
        var stray = plan with { Devices = [.. plan.Devices, plan.Devices[0] with { Device = "r9" }] };
        Assert.Contains("r9", Assert.Throws<ArgumentException>(() => PacketTrace.Run(network, stray, "h1", Address("10.0.2.10"), TraceProtocol.Icmp)).Message);
    }
}
