using Softnet.Control.Routing;
using Softnet.Control.Trace;
using Softnet.Control.Tests.Routing;
using Softnet.DataPlane;
using Softnet.DataPlane.Ports;
using Softnet.Devices.Ip;
using Softnet.Hypervisor.Forwarding;
using Softnet.Hypervisor.Runtime;
using Softnet.Wire;
using static Softnet.Control.Tests.Routing.Topologies;

namespace Softnet.Control.Tests.Trace;

/// <summary>
/// A 2 × 2 grid of routers (r1 r2 / r3 r4, hosts h1..h4 on 10.1.0.0/24..10.1.3.0/24): h1 reaches h4 over two tied
/// paths, and the trace must follow the one the data plane's flow hash picks.
/// </summary>
public sealed class EcmpTraceTests
{
    private static readonly GeneratedNetwork Square = GeneratedNetwork.Grid(2, 2);

    [Fact]
    public void TheTraceListsBothPathsAndFollowsTheFlowHash()
    {
        var network = Square.Build();
        var plan = ForwardingPlanner.Plan(network);

        var result = PacketTrace.Run(network, plan, "h1", Address("10.1.3.10"), TraceProtocol.Icmp);

        Assert.Equal(TraceOutcome.Delivered, result.Outcome);
        Assert.Equal(5, result.Hops.Count);
        var r1 = result.Hops[1];
        var (chosen, next) = r1.OutPort == "eth0" ? ("via 172.16.0.2 port eth0", "r2") : ("via 172.16.0.6 port eth1", "r3");
        Assert.Equal($"10.1.3.0/24 (computed) {chosen}, picked by flow hash among ECMP via 172.16.0.2 port eth0 | via 172.16.0.6 port eth1", r1.Decision);
        Assert.Equal(["h1", "r1", next, "r4", "h4"], result.Hops.Select(h => h.Node));
        Assert.Equal($"10.1.3.0/24 (computed) via {(next == "r2" ? "172.16.0.10" : "172.16.0.14")} port eth1", result.Hops[2].Decision);
        Assert.Equal(result, PacketTrace.Run(network, plan, "h1", Address("10.1.3.10"), TraceProtocol.Icmp));
    }

    [Fact]
    public void EveryFlowLeavesR1WhereTheRealRouterSendsIt()
    {
        var network = Square.Build();
        var plan = ForwardingPlanner.Plan(network);
        var pool = new PacketPool(64);
        var r1 = (IpDevice)DeviceFactory.Create(network, network.Devices.Single(d => d.Name == "r1"), pool);
        PlanInstaller.Install(r1, plan["r1"]);
        r1.AddStaticNeighbor("eth0", "172.16.0.2", MacAddress.Parse("02:00:00:00:00:02"));
        r1.AddStaticNeighbor("eth1", "172.16.0.6", MacAddress.Parse("02:00:00:00:00:06"));
        var links = r1.Ports.ToDictionary(p => p.Name, p =>
        {
            var link = new InMemoryLink();
            p.Attach(link.A);
            return link.B;
        });

        var used = new HashSet<string>();
        for (ushort port = 1; port <= 16; port++)
        {
            var trace = PacketTrace.Run(network, plan, "h1", Address("10.1.3.10"), TraceProtocol.Udp, port);
            Assert.Equal(TraceOutcome.Delivered, trace.Outcome);

            Assert.True(pool.TryAllocate(Udp(r1.Port("eth2").Mac, port), out var packet));
            r1.Receive(r1.Port("eth2").Index, [packet]);
            r1.Run(1, 1_000_000_000);
            r1.Flush();
            var sentOn = links.Where(l => l.Value.Waiting > 0).Select(l => l.Key).ToList();
            Assert.Equal([trace.Hops[1].OutPort!], sentOn);
            var frames = new int[4];
            pool.Free(frames.AsSpan(0, links[sentOn[0]].Receive(frames)));
            used.Add(sentOn[0]);
        }
        Assert.Equal(["eth0", "eth1"], used.Order());
    }

    /// <summary>A UDP datagram from h1 (10.1.0.10, port <see cref="PacketTrace.SourcePort"/>) to h4 as it reaches r1.</summary>
    private static byte[] Udp(MacAddress r1, ushort destinationPort)
    {
        var (source, destination) = (Ipv4Address.Parse("10.1.0.10"), Ipv4Address.Parse("10.1.3.10"));
        var udp = new UdpRepr(PacketTrace.SourcePort, destinationPort, 4);
        var ip = new Ipv4Repr(source, destination, IpProtocol.Udp, udp.BufferLength);
        var frame = new byte[EthernetFrame.HeaderLength + ip.BufferLength];
        new EthernetRepr(r1, MacAddress.Parse("02:00:00:00:00:10"), EtherType.Ipv4).Emit(EthernetFrame.CreateUnchecked(frame));
        var bytes = frame.AsSpan(EthernetFrame.HeaderLength);
        ip.Emit(Ipv4Packet.CreateUnchecked(bytes));
        udp.Emit(UdpPacket.CreateUnchecked(bytes[ip.HeaderLength..]), source, destination);
        return frame;
    }
}
