using Softnet.Control.Routing;
using Softnet.Control.Trace;
using Softnet.DataPlane;
using Softnet.DataPlane.Ports;
using Softnet.Devices.Gateway;
using Softnet.Hypervisor.Forwarding;
using Softnet.Hypervisor.Runtime;
using Softnet.Hypervisor.Topology;
using Softnet.Wire;
using static Softnet.Control.Tests.Routing.Topologies;

namespace Softnet.Control.Tests.Trace;

/// <summary>Traces through examples/gateway.yaml's secure gateway: its rule, its NAT, and on into the other network.</summary>
public sealed class GatewayTraceTests
{
    private static TopologyFile Example(string file = "gateway.yaml") => TopologyLoader.Load(Path.Combine(Root, "examples", file));

    private static TraceResult Trace(TopologyFile file, string from, string destination, TraceProtocol protocol = TraceProtocol.Icmp, ushort? port = null)
    {
        var (network, host) = (from[..from.IndexOf('/')], from[(from.IndexOf('/') + 1)..]);
        var plans = file.Networks.ToDictionary(n => n.Name, n => ForwardingPlanner.Plan(n, file.Gateways));
        return PacketTrace.Run(file, plans, network, host, Address(destination), protocol, port);
    }

    private const string Limit = "limit red -> blue 10000 packets/s, 100000000 bits/s, burst 10 ms";

    [Theory]
    [InlineData("gateway.yaml", "static")]
    [InlineData("gateway-planned.yaml", "computed")]
    public void AnAdmittedConnectionCrossesWithItsRuleAndBothTranslations(string file, string origin)
    {
        var result = Trace(Example(file), "red/h1", "172.16.2.10", TraceProtocol.Tcp, 80);

        Assert.Equal(
            [
                new TraceHop("h1", null, "eth0", "default route via 10.0.1.1 port eth0 (gateway)"),
                new TraceHop("r1", "eth0", "eth2", $"172.16.2.0/24 ({origin}) via 192.168.100.2 port eth2"),
                new TraceHop("gw", "eth0", "eth1",
                    "172.16.2.0/24 (static) via 192.168.200.1 port eth1 to blue; rule 1: red -> blue tcp 10.0.1.0/24 -> 10.0.2.10/32 port 80; "
                    + $"destination NAT 172.16.2.10 -> 10.0.2.10; source NAT 10.0.1.10 -> 172.16.1.10; {Limit}"),
                new TraceHop("blue/r1", "eth2", "eth1", "10.0.2.0/24 (connected) on eth1"),
                new TraceHop("blue/web", "eth0", null, "10.0.2.10 is web's address"),
            ],
            result.Hops);
        Assert.Equal(TraceOutcome.Delivered, result.Outcome);
        Assert.Equal("h1 -> r1 -> gw -> blue/r1 -> blue/web: delivered to blue/web (10.0.2.10)", result.Summary);
    }

    [Fact]
    public void AnotherPortIsDeniedByDefault()
    {
        var result = Trace(Example(), "red/h1", "172.16.2.10", TraceProtocol.Tcp, 22);

        Assert.Equal(TraceOutcome.Dropped, result.Outcome);
        Assert.Equal(
            new TraceHop("gw", "eth0", null,
                "172.16.2.0/24 (static) via 192.168.200.1 port eth1 to blue; default deny: no rule admits red -> blue tcp 10.0.1.10 -> 10.0.2.10 port 22"),
            result.Hops[^1]);
        Assert.Equal("h1 -> r1 -> gw: dropped at gw: default deny red -> blue", result.Summary);
    }

    [Fact]
    public void BlueMayOpenNothingTowardsRed()
    {
        var result = Trace(Example(), "blue/web", "172.16.1.10");

        Assert.Equal(TraceOutcome.Dropped, result.Outcome);
        Assert.Equal(["web", "r1", "gw"], result.Hops.Select(h => h.Node));
        Assert.Equal(
            "172.16.1.0/24 (static) via 192.168.100.1 port eth0 to red; default deny: no rule admits blue -> red icmp 10.0.2.10 -> 10.0.1.10",
            result.Hops[^1].Decision);
    }

    [Fact]
    public void WithinOneNetworkThePathStillEndsAtTheGatewaysPort()
    {
        var file = Example();
        var red = file["red"];

        var result = PacketTrace.Run(red, ForwardingPlanner.Plan(red), "h1", Address("172.16.2.10"), TraceProtocol.Tcp, 80);

        Assert.Equal(TraceOutcome.Unreachable, result.Outcome);
        Assert.Equal("h1 -> r1: next hop 192.168.100.2 unreachable: nothing on the segment of r1-eth2 has that address", result.Summary);
    }

    /// <summary>The gateway of examples/gateway.yaml with a first rule for DNS, so that the web rule is the second.</summary>
    private static TopologyFile TwoRules()
    {
        var file = Example();
        var gw = file.Gateways[0];
        var dns = new GatewayRuleSpec("red", "blue", null, Prefix("10.0.2.0/24"), GatewayProtocol.Udp, PortRange.Single(53));
        return file with { Gateways = [gw with { Rules = [dns, .. gw.Rules] }] };
    }

    /// <summary>
    /// The rule the trace names is the one the real gateway applies: the same packet, sent as a frame into a
    /// <see cref="SecureGateway"/> built from the same file, counts a hit on that rule and on no other (or, denied, on
    /// none, counted as denied-no-rule).
    /// </summary>
    [Theory]
    [InlineData(TraceProtocol.Tcp, (ushort)80, "172.16.2.10", 2)]
    [InlineData(TraceProtocol.Udp, (ushort)53, "172.16.2.10", 1)]
    [InlineData(TraceProtocol.Tcp, (ushort)22, "172.16.2.10", 0)]
    [InlineData(TraceProtocol.Udp, (ushort)54, "172.16.2.10", 0)]
    public void TheNamedRuleIsTheOneTheGatewayApplies(TraceProtocol protocol, ushort port, string destination, int expectedRule)
    {
        var file = TwoRules();
        var result = Trace(file, "red/h1", destination, protocol, port);
        var hop = result.Hops.Single(h => h.Node == "gw");
        var named = hop.Decision.Split("; ").Where(d => d.StartsWith("rule ", StringComparison.Ordinal))
            .Select(d => int.Parse(d["rule ".Length..d.IndexOf(':')], System.Globalization.CultureInfo.InvariantCulture)).SingleOrDefault();
        Assert.Equal(expectedRule, named);

        var pool = new PacketPool(64);
        var gateway = DeviceFactory.CreateGateway(file.Gateways[0], pool);
        var loop = new DeviceLoop(TimeProvider.System);
        loop.Add(gateway);
        var red = new InMemoryLink();
        gateway.Port("eth0").Attach(red.A);
        gateway.Port("eth1").Attach(new InMemoryLink().A);
        Assert.True(pool.TryAllocate(Frame(gateway.Port("eth0").Mac, protocol, port, destination), out var packet));
        Assert.Equal(1, red.B.Transmit([packet]));
        loop.RunUntilIdle();

        Assert.Equal(Enumerable.Range(1, 2).Select(r => r == named ? 1L : 0L), Enumerable.Range(0, 2).Select(gateway.RuleHits));
        var filter = gateway.Graph.Elements.Single(e => e.Name == "gateway-ip4");
        Assert.Equal(named == 0 ? 1 : 0, filter.Counters.Dropped(filter.DropReasons.ToList().IndexOf("denied-no-rule")));
        if (named == 0)
        {
            Assert.Equal(TraceOutcome.Dropped, result.Outcome);
            Assert.StartsWith("default deny: no rule admits red -> blue", hop.Decision.Split("; ")[^1]);
        }
        else Assert.Equal(TraceOutcome.Delivered, result.Outcome);
    }

    /// <summary>The traced packet as red's r1 hands it to the gateway: from h1's address and the trace's source port.</summary>
    private static byte[] Frame(MacAddress gateway, TraceProtocol protocol, ushort port, string destination)
    {
        var (source, target) = (Ipv4Address.Parse("10.0.1.10"), Ipv4Address.Parse(destination));
        byte[] transport;
        byte number;
        if (protocol == TraceProtocol.Tcp)
        {
            var tcp = new TcpRepr(PacketTrace.SourcePort, port, 1000, 0, TcpFlags.Syn, 64240, 0);
            transport = new byte[tcp.BufferLength];
            tcp.Emit(TcpPacket.CreateUnchecked(transport), source, target);
            number = IpProtocol.Tcp;
        }
        else
        {
            transport = new byte[UdpPacket.HeaderLength + 4];
            new UdpRepr(PacketTrace.SourcePort, port, 4).Emit(UdpPacket.CreateUnchecked(transport), source, target);
            number = IpProtocol.Udp;
        }
        var ip = new Ipv4Repr(source, target, number, transport.Length, 63);
        var frame = new byte[EthernetFrame.HeaderLength + ip.BufferLength];
        new EthernetRepr(gateway, MacAddress.Parse("02:00:00:00:00:01"), EtherType.Ipv4).Emit(EthernetFrame.CreateUnchecked(frame));
        ip.Emit(Ipv4Packet.CreateUnchecked(frame.AsSpan(EthernetFrame.HeaderLength)));
        transport.CopyTo(frame.AsSpan(EthernetFrame.HeaderLength + ip.HeaderLength));
        return frame;
    }
}
