using Softnet.Devices.Ip;
using Softnet.Hypervisor.Forwarding;
using Softnet.Hypervisor.Runtime;
using Softnet.Hypervisor.Topology;
using Softnet.DataPlane;
using Softnet.Wire;
using LabelAction = Softnet.Hypervisor.Topology.LabelAction;

namespace Softnet.Hypervisor.Tests.Forwarding;

/// <summary>
/// Reads a device's forwarding state back through its own APIs (FIB routes and their entries, the label table), and
/// writes plans in the same form, so that tests compare what a device does with what a plan says.
/// </summary>
internal static class InstalledState
{
    public static SoftwareNetwork Parse(string yaml) => Assert.Single(TopologyLoader.Parse(yaml, "test.yaml").Networks);

    public static IpDevice Build(SoftwareNetwork network, string device, PacketPool pool) =>
        (IpDevice)DeviceFactory.Create(network, network.Devices.Single(d => d.Name == device), pool);

    /// <summary>The FIB's forwarding routes (what a plan installs): "prefix via a port p[ push l], ..." sorted.</summary>
    public static List<string> Routes(IpDevice device) =>
        [.. FibRoutes(device).Where(r => r.Entry.Kind == ForwardingKind.Forward).Select(r => $"{r.Prefix} {Hops(device, r.Entry)}").Order(StringComparer.Ordinal)];

    /// <summary>Every other FIB route (connected subnets, local addresses): "prefix kind port".</summary>
    public static List<string> OtherRoutes(IpDevice device) =>
        [.. FibRoutes(device).Where(r => r.Entry.Kind != ForwardingKind.Forward).Select(r => $"{r.Prefix} {r.Entry.Kind} {r.Entry.Port}").Order(StringComparer.Ordinal)];

    /// <summary>The label table: "in action out via a port p" sorted by incoming label.</summary>
    public static List<string> Labels(IpDevice device) =>
        [.. device.Labels!.Bindings().Select(b =>
            b.Adjacency is { } a ? $"{b.Incoming} {b.Action} {b.Outgoing} via {Address(a)} port {device.PortAt(a.Port).Name}" : $"{b.Incoming} {b.Action}")];

    public static List<string> Routes(DevicePlan plan) =>
        [.. plan.Routes.Select(r => $"{r.Prefix} {string.Join(", ", r.NextHops.Select(h => $"via {h.Via} port {h.Port}{Push(h.Push)}").Order(StringComparer.Ordinal))}").Order(StringComparer.Ordinal)];

    public static List<string> Labels(DevicePlan plan) =>
        [.. plan.Labels.Select(l => l.Action switch
        {
            LabelAction.Swap => $"{l.In} Swap {l.Out} via {l.Via} port {l.Port}",
            LabelAction.Pop => $"{l.In} Pop {MplsLabel.ImplicitNull} via {l.Via} port {l.Port}",
            _ => $"{l.In} PopAndLookup",
        })];

    public static PlannedRoute Route(string prefix, params string[] hops) => new(Prefix(prefix), [.. hops.Select(Hop)], RouteOrigin.Computed);

    /// <summary>"port via" or "port via push".</summary>
    public static PlannedNextHop Hop(string text)
    {
        var parts = text.Split(' ');
        return new PlannedNextHop(parts[0], Address(parts[1]), parts.Length > 2 ? new MplsLabel(uint.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture)) : null);
    }

    public static PlannedLabel Swap(uint incoming, uint outgoing, string via, string port) =>
        new(new MplsLabel(incoming), LabelAction.Swap, new MplsLabel(outgoing), Address(via), port, RouteOrigin.Computed);

    public static PlannedLabel Pop(uint incoming, string via, string port) =>
        new(new MplsLabel(incoming), LabelAction.Pop, null, Address(via), port, RouteOrigin.Computed);

    public static PlannedLabel Lookup(uint incoming) => new(new MplsLabel(incoming), LabelAction.Lookup, null, null, null, RouteOrigin.Static);

    public static IpPrefix Prefix(string text) => IpPrefix.TryParse(text, out var prefix) ? prefix : throw new FormatException(text);

    public static IpAddress Address(string text) => IpAddress.TryParse(text, out var address) ? address : throw new FormatException(text);

    private static IEnumerable<(string Prefix, ForwardingEntry Entry)> FibRoutes(IpDevice device) =>
        device.Stack.Fib4.Routes.Select(r => (r.Prefix.ToString(), device.Stack.Entry(r.NextHop)!))
            .Concat(device.Stack.Fib6.Routes.Select(r => (r.Prefix.ToString(), device.Stack.Entry(r.NextHop)!)));

    private static string Hops(IpDevice device, ForwardingEntry entry) =>
        string.Join(", ", entry.Adjacencies.Select(a => $"via {Address(a)} port {device.PortAt(a.Port).Name}{Push(a.PushLabel)}").Order(StringComparer.Ordinal));

    private static string Push(MplsLabel? label) => label is { } l ? $" push {l}" : "";

    private static IpAddress Address(Adjacency adjacency) =>
        adjacency.Family == IpFamily.Ipv4 ? IpAddress.From(new Ipv4Address((uint)adjacency.Address)) : IpAddress.From(new Ipv6Address(adjacency.Address));
}
