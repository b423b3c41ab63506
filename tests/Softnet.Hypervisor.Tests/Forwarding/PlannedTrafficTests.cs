using Softnet.DataPlane;
using Softnet.DataPlane.Ports;
using Softnet.Devices.Ip;
using Softnet.Hypervisor.Forwarding;
using Softnet.Hypervisor.Topology;
using Softnet.Wire;
using static Softnet.Hypervisor.Tests.Forwarding.InstalledState;

namespace Softnet.Hypervisor.Tests.Forwarding;

/// <summary>Frames crossing routers and LSRs built by the device factory, forwarding only by what a plan installed.</summary>
public sealed class PlannedTrafficTests
{
    private sealed class StillClock : TimeProvider
    {
        public override long TimestampFrequency => 1_000_000_000;
        public override long GetTimestamp() => 1_000_000_000;
    }

    /// <summary>h1 — a — b — c — h2 on 10.0.1.0/24, 192.168.12.0/30, 192.168.23.0/30, 10.0.2.0/24, with no route in the file.</summary>
    private static SoftwareNetwork Chain(string middleKind) => Parse($$"""
        networks:
          - name: chain
            architecture: mpls
            tokens: 1
            devices:
              - name: a
                kind: router
                interfaces:
                  - { name: eth0, addresses: ["10.0.1.1/24"] }
                  - { name: eth1, addresses: ["192.168.12.1/30"] }
              - name: b
                kind: {{middleKind}}
                interfaces:
                  - { name: eth0, addresses: ["192.168.12.2/30"] }
                  - { name: eth1, addresses: ["192.168.23.1/30"] }
              - name: c
                kind: router
                interfaces:
                  - { name: eth0, addresses: ["192.168.23.2/30"] }
                  - { name: eth1, addresses: ["10.0.2.1/24"] }
            hosts:
              - { name: h1, address: 10.0.1.10/24, gateway: 10.0.1.1 }
              - { name: h2, address: 10.0.2.10/24, gateway: 10.0.2.1 }
            links:
              - endpoints: ["h1:eth0", "a:eth0"]
              - endpoints: ["a:eth1", "b:eth0"]
              - endpoints: ["b:eth1", "c:eth0"]
              - endpoints: ["c:eth1", "h2:eth0"]
        """);

    private sealed class Net
    {
        private readonly PacketPool _pool = new(256);

        public Net(SoftwareNetwork network)
        {
            Loop = new DeviceLoop(new StillClock());
            foreach (var name in new[] { "a", "b", "c" }) Devices[name] = Loop.Add(Build(network, name, _pool));
            H1 = Loop.Add(new Host("h1", _pool));
            H2 = Loop.Add(new Host("h2", _pool));
            H1.AddAddress("eth0", "10.0.1.10/24");
            H1.SetGateway(Ipv4Address.Parse("10.0.1.1"));
            H2.AddAddress("eth0", "10.0.2.10/24");
            H2.SetGateway(Ipv4Address.Parse("10.0.2.1"));
            Wire(H1.Port("eth0"), Devices["a"].Port("eth0"));
            Wire(Devices["a"].Port("eth1"), Devices["b"].Port("eth0"));
            Wire(Devices["b"].Port("eth1"), Devices["c"].Port("eth0"));
            Wire(Devices["c"].Port("eth1"), H2.Port("eth0"));
        }

        public DeviceLoop Loop { get; }
        public Dictionary<string, IpDevice> Devices { get; } = [];
        public Host H1 { get; }
        public Host H2 { get; }

        /// <summary>Pings h2 from h1 and returns the TTL of the reply, or null when none came back.</summary>
        public int? Ping(ushort sequence)
        {
            Assert.True(H1.Ping(Ipv4Address.Parse("10.0.2.10"), 7, sequence));
            Loop.RunUntilIdle();
            int? ttl = null;
            while (H1.Endpoints.TryReceiveEchoReply(out var reply))
                if (reply.SequenceNumber == sequence) ttl = reply.Ttl;
            return ttl;
        }

        private static void Wire(DevicePort x, DevicePort y)
        {
            var link = new InMemoryLink();
            x.Attach(link.A);
            y.Attach(link.B);
        }
    }

    [Fact]
    public void APingCrossesTwoRoutersOnlyOnceTheirPlansAreInstalledAndStopsWhenARouteIsWithdrawn()
    {
        var net = new Net(Chain("router"));
        Assert.Null(net.Ping(1));
        Assert.True(net.H1.Endpoints.TryReceiveIcmpReport(out var unreachable));
        Assert.Equal((Icmpv4Type.DestinationUnreachable, Icmpv4Code.Net), (unreachable.Type, unreachable.Code));

        var plans = new NetworkPlan("chain",
        [
            new DevicePlan("a", [Route("10.0.2.0/24", "eth1 192.168.12.2")], []),
            new DevicePlan("b", [Route("10.0.1.0/24", "eth0 192.168.12.1"), Route("10.0.2.0/24", "eth1 192.168.23.2")], []),
            new DevicePlan("c", [Route("10.0.1.0/24", "eth0 192.168.23.1")], []),
        ]);
        foreach (var plan in plans.Devices) PlanInstaller.Install(net.Devices[plan.Device], plan);

        Assert.Equal(61, net.Ping(2));
        Assert.Equal(61, net.Ping(3));

        var withdrawn = plans with { Devices = [plans["a"] with { Routes = [] }, plans["b"], plans["c"]] };
        PlanInstaller.Apply(net.Devices["a"], Assert.Single(PlanDiff.Between(plans, withdrawn).Devices));
        Assert.Null(net.Ping(4));
        Assert.True(net.H1.Endpoints.TryReceiveIcmpReport(out var again));
        Assert.Equal((Icmpv4Type.DestinationUnreachable, Icmpv4Code.Net), (again.Type, again.Code));
    }

    [Fact]
    public void APingCrossesAnLsrThatHasOnlyTheLabelsOfItsPlan()
    {
        // b has no IP route to either host subnet: what crosses it is label switched, pushed by a and c.
        var net = new Net(Chain("lsr"));
        var plans = new NetworkPlan("chain",
        [
            new DevicePlan("a", [Route("10.0.2.0/24", "eth1 192.168.12.2 1001")], []),
            new DevicePlan("b", [], [Pop(1000, "192.168.12.1", "eth0"), Pop(1001, "192.168.23.2", "eth1")]),
            new DevicePlan("c", [Route("10.0.1.0/24", "eth0 192.168.23.1 1000")], []),
        ]);
        foreach (var plan in plans.Devices) PlanInstaller.Install(net.Devices[plan.Device], plan);
        Assert.Null(net.Devices["b"].Stack.Lookup(Ipv4Address.Parse("10.0.2.10")));

        // An LSR drops a labelled packet while it resolves the next hop: the first two pings prime b's neighbours.
        net.Ping(1);
        net.Ping(2);
        Assert.Equal(61, net.Ping(3));

        var mpls = net.Devices["b"].Graph.Elements.Single(e => e.Name == "mpls-input");
        var noBinding = mpls.DropReasons.ToList().IndexOf("no-binding");
        Assert.Equal(0, mpls.Counters.Dropped(noBinding));
        PlanInstaller.Install(net.Devices["b"], plans["b"] with { Labels = [Pop(1000, "192.168.12.1", "eth0")] });
        Assert.Null(net.Ping(4));
        Assert.Equal(1, mpls.Counters.Dropped(noBinding));
    }
}
