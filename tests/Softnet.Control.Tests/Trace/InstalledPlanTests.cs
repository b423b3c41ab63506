using Softnet.Control.Routing;
using Softnet.Control.Tests.Routing;
using Softnet.DataPlane;
using Softnet.Devices.Ip;
using Softnet.Devices.Switching;
using Softnet.Hypervisor.Forwarding;
using Softnet.Hypervisor.Runtime;
using Softnet.Hypervisor.Topology;
using Softnet.Wire;
using LabelAction = Softnet.Hypervisor.Topology.LabelAction;

namespace Softnet.Control.Tests.Trace;

/// <summary>What a trace reads is the planner's plan: installed on the real devices, their FIBs, label tables and MAC tables hold exactly it.</summary>
public sealed class InstalledPlanTests
{
    public static TheoryData<int> Seeds => [.. Enumerable.Range(1, 6)];

    [Fact]
    public void EveryExampleDeviceHoldsItsPlan()
    {
        var networks = Topologies.Examples.SelectMany(file => TopologyLoader.Load(file).Networks).ToList();
        var devices = networks.Sum(Check);
        Assert.Equal(networks.Sum(n => n.Devices.Count(d => d is RouterSpec or LsrSpec or SwitchSpec)), devices);
        Assert.True(devices >= 5);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void EveryGeneratedDeviceHoldsItsPlan(int seed)
    {
        var network = GeneratedNetwork.Random(seed, 12, lsrShare: 0.5).Build(NetworkArchitecture.Mpls);
        Assert.Equal(network.Devices.Count, Check(network));
    }

    private static int Check(SoftwareNetwork network)
    {
        var plan = ForwardingPlanner.Plan(network);
        var pool = new PacketPool(4);
        foreach (var devicePlan in plan.Devices)
        {
            var created = DeviceFactory.Create(network, network.Devices.Single(d => d.Name == devicePlan.Device), pool);
            PlanInstaller.Install(created, devicePlan);
            if (created is L2Switch bridge)
            {
                Assert.Equal(
                    devicePlan.Macs.Select(m => $"{m.Vlan} {m.Mac} {m.Port}").Order(StringComparer.Ordinal),
                    bridge.MacTable.Entries().Select(e => $"{e.Vlan} {e.Mac} {bridge.PortAt(e.Port).Name}{(e.IsStatic ? "" : " learned")}").Order(StringComparer.Ordinal));
                continue;
            }
            var device = (IpDevice)created;
            Assert.Equal(Routes(devicePlan), Routes(device));
            Assert.Equal(Labels(devicePlan), device.Labels is null ? [] : Labels(device));
        }
        return plan.Devices.Count;
    }

    private static List<string> Routes(IpDevice device) =>
        [.. device.Stack.Fib4.Routes.Select(r => (Prefix: r.Prefix.ToString(), Entry: device.Stack.Entry(r.NextHop)!))
            .Concat(device.Stack.Fib6.Routes.Select(r => (Prefix: r.Prefix.ToString(), Entry: device.Stack.Entry(r.NextHop)!)))
            .Where(r => r.Entry.Kind == ForwardingKind.Forward)
            .Select(r => $"{r.Prefix} {string.Join(", ", r.Entry.Adjacencies.Select(a => Hop(device.PortAt(a.Port).Name, Address(a), a.PushLabel)).Order(StringComparer.Ordinal))}")
            .Order(StringComparer.Ordinal)];

    private static List<string> Routes(DevicePlan plan) =>
        [.. plan.Routes.Select(r => $"{r.Prefix} {string.Join(", ", r.NextHops.Select(h => Hop(h.Port, h.Via, h.Push)).Order(StringComparer.Ordinal))}").Order(StringComparer.Ordinal)];

    private static List<string> Labels(IpDevice device) =>
        [.. device.Labels!.Bindings().Select(b => b.Adjacency is { } a
            ? $"{b.Incoming} {(b.Action == Devices.Mpls.LabelAction.Pop ? "pop" : $"swap {b.Outgoing}")} {Hop(device.PortAt(a.Port).Name, Address(a), null)}"
            : $"{b.Incoming} lookup")];

    private static List<string> Labels(DevicePlan plan) =>
        [.. plan.Labels.Select(l => l.Action switch
        {
            LabelAction.Swap => $"{l.In} swap {l.Out} {Hop(l.Port!, l.Via!.Value, null)}",
            LabelAction.Pop => $"{l.In} pop {Hop(l.Port!, l.Via!.Value, null)}",
            _ => $"{l.In} lookup",
        })];

    private static string Hop(string port, IpAddress via, MplsLabel? push) => push is { } label ? $"via {via} port {port} push {label}" : $"via {via} port {port}";

    private static IpAddress Address(Adjacency adjacency) =>
        adjacency.Family == IpFamily.Ipv4 ? IpAddress.From(new Ipv4Address((uint)adjacency.Address)) : IpAddress.From(new Ipv6Address(adjacency.Address));
}
