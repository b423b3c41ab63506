using System.Runtime.CompilerServices;
using Softnet.DataPlane;
using Softnet.Devices.Ip;
using Softnet.Devices.Switching;
using Softnet.Hypervisor.Topology;
using Softnet.Wire;
using LabelAction = Softnet.Hypervisor.Topology.LabelAction;

namespace Softnet.Hypervisor.Forwarding;

/// <summary>
/// Puts a <see cref="DevicePlan"/> into a device's FIBs and label table, or a switch's MAC table (static entries),
/// and changes it entry by entry. The installer
/// remembers, per device, the plan it installed (with every diff applied since): <see cref="Install"/> is
/// <see cref="Apply"/> of the difference from that plan, so entries of an earlier plan that the new one lacks are
/// removed, while what no plan installed (connected subnets, the device's own addresses, neighbours learnt by ARP or
/// ND, the topology file's routes and labels under prefixes and labels no plan names) is left alone. Call it on the
/// device's own thread, like every control method of a device.
/// </summary>
public static class PlanInstaller
{
    private static readonly ConditionalWeakTable<Device, DevicePlan> s_installed = new();

    /// <summary>The plan <paramref name="device"/> has from this installer; an empty plan when nothing was installed.</summary>
    public static DevicePlan Installed(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return s_installed.TryGetValue(device, out var plan) ? plan : new DevicePlan(device.Name, [], []);
    }

    /// <summary>Makes the device's planned routes, labels and static MAC entries exactly those of <paramref name="plan"/>.</summary>
    /// <exception cref="ArgumentException">The plan is for another device, names a port the device lacks, mixes
    /// address families, or binds labels on a device without a label table; the device is unchanged.</exception>
    public static void Install(Device device, DevicePlan plan)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Device != device.Name) throw new ArgumentException($"The plan is for '{plan.Device}', not for device '{device.Name}'.", nameof(plan));
        var diff = PlanDiff.Between(new NetworkPlan(device.Name, [Installed(device)]), new NetworkPlan(device.Name, [plan]));
        if (!diff.IsEmpty) Apply(device, diff.Devices[0]);
        s_installed.AddOrUpdate(device, plan);
    }

    /// <summary>
    /// Changes only the entries <paramref name="diff"/> lists. Added and changed entries are written first, each
    /// replacing its predecessor in one FIB or LFIB write (never removed and added again, so no packet finds the
    /// prefix or label missing); removals come last, and leave alone an entry that is not a forwarding route (a
    /// connected subnet or local address under the same prefix).
    /// </summary>
    /// <exception cref="ArgumentException">As for <see cref="Install"/>; everything is checked before anything changes.</exception>
    public static void Apply(Device device, DeviceDiff diff)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(diff);
        if (diff.Device != device.Name) throw new ArgumentException($"The diff is for '{diff.Device}', not for device '{device.Name}'.", nameof(diff));
        if (diff.IsEmpty) return;
        var routing = diff.RoutesAdded.Count + diff.RoutesRemoved.Count + diff.RoutesChanged.Count
            + diff.LabelsAdded.Count + diff.LabelsRemoved.Count + diff.LabelsChanged.Count > 0;
        var switching = diff.MacsAdded.Count + diff.MacsRemoved.Count + diff.MacsChanged.Count > 0;
        var ip = device as IpDevice;
        var bridge = device as L2Switch;
        if (routing && ip is null) throw new ArgumentException($"Device '{device.Name}' is a {device.Kind}: it has no routes or labels to install.", nameof(diff));
        if (switching && bridge is null) throw new ArgumentException($"Device '{device.Name}' is a {device.Kind}: it has no MAC table to install entries in.", nameof(diff));

        var writes = new List<Action>();
        foreach (var route in diff.RoutesAdded.Concat(diff.RoutesChanged.Select(c => c.After))) writes.Add(RouteWrite(ip!, route));
        foreach (var label in diff.LabelsAdded.Concat(diff.LabelsChanged.Select(c => c.After))) writes.Add(LabelWrite(ip!, label));
        foreach (var mac in diff.MacsAdded.Concat(diff.MacsChanged.Select(c => c.After))) writes.Add(MacWrite(bridge!, mac));
        foreach (var write in writes) write();
        foreach (var route in diff.RoutesRemoved) RemoveRoute(ip!.Stack, route.Prefix);
        foreach (var label in diff.LabelsRemoved) ip!.Labels?.Remove(label.In);
        foreach (var mac in diff.MacsRemoved) bridge!.MacTable.Remove(mac.Vlan, mac.Mac);
        s_installed.AddOrUpdate(device, Updated(Installed(device), diff));
    }

    /// <summary>Checks <paramref name="mac"/> against the switch and returns the write that pins it (replacing the port of an entry it changes).</summary>
    private static Action MacWrite(L2Switch device, PlannedMac mac)
    {
        var what = $"MAC entry {mac}";
        var port = device.PortAt(PortIndex(device, mac.Port, what));
        if (mac.Vlan is < SwitchPortMode.MinVlan or > SwitchPortMode.MaxVlan) throw new ArgumentException($"{device.Name}: {what}: VLAN {mac.Vlan} is not {SwitchPortMode.MinVlan}-{SwitchPortMode.MaxVlan}.");
        if (!mac.Mac.IsUnicast) throw new ArgumentException($"{device.Name}: {what}: {mac.Mac} is not a unicast address.");
        if (!device.PortModes[port.Index].Carries(mac.Vlan)) throw new ArgumentException($"{device.Name}: {what}: port {mac.Port} ({device.PortModes[port.Index]}) does not carry VLAN {mac.Vlan}.");
        return () => device.AddStaticMac(mac.Vlan, mac.Mac, port);
    }

    /// <summary>Checks <paramref name="route"/> against the device and returns the write that installs it.</summary>
    private static Action RouteWrite(IpDevice device, PlannedRoute route)
    {
        if (route.NextHops.Count == 0) throw new ArgumentException($"{device.Name}: route {route.Prefix} has no next hop.");
        var hops = route.NextHops.Select(h =>
        {
            if (h.Via.IsIpv4 != route.Prefix.IsIpv4) throw new ArgumentException($"{device.Name}: route {route.Prefix}: next hop {h.Via} is of the other address family.");
            return (Port: PortIndex(device, h.Port, $"route {route.Prefix}"), h.Via, h.Push);
        }).ToArray();
        var stack = device.Stack;
        if (route.Prefix.V4 is { } v4) return () => stack.AddRoute(v4, hops.Select(h => (h.Port, h.Via.V4!.Value, h.Push)));
        var v6 = route.Prefix.V6!.Value;
        return () => stack.AddRoute(v6, hops.Select(h => (h.Port, h.Via.V6!.Value, h.Push)));
    }

    private static Action LabelWrite(IpDevice device, PlannedLabel label)
    {
        var what = $"label {label.In}";
        if (device.Labels is not { } table) throw new ArgumentException($"{device.Name} is a {device.Kind}, not an LSR: it cannot bind {what}.");
        if (label.In.IsReserved) throw new ArgumentException($"{device.Name}: {what} is reserved (0-15).");
        if (label.Action == LabelAction.Lookup) return () => table.PopAndLookup(label.In);
        if (label.Via is not { } via || label.Port is not { } port) throw new ArgumentException($"{device.Name}: {what} ({label.Action}) needs a next hop and a port.");
        if (label.Action == LabelAction.Swap && label.Out is null) throw new ArgumentException($"{device.Name}: {what} swaps to no label.");
        var outgoing = label.Action == LabelAction.Swap ? label.Out!.Value : MplsLabel.ImplicitNull;
        var index = PortIndex(device, port, what);
        var (family, address) = via.V4 is { } a4 ? (IpFamily.Ipv4, (UInt128)a4.Value) : (IpFamily.Ipv6, via.V6!.Value.Value);
        return () => table.Swap(label.In, outgoing, index, family, address);
    }

    private static int PortIndex(Device device, string port, string what) =>
        device.Ports.FirstOrDefault(p => p.Name == port)?.Index
        ?? throw new ArgumentException($"{device.Name}: {what}: the device has no port '{port}' (it has: {string.Join(", ", device.Ports.Select(p => p.Name))}).");

    private static void RemoveRoute(IpStack stack, IpPrefix prefix)
    {
        if (prefix.V4 is { } v4)
        {
            if (stack.Fib4.TryGet(v4, out var id) && stack.Entry(id) is { Kind: ForwardingKind.Forward }) stack.RemoveRoute(v4);
        }
        else if (stack.Fib6.TryGet(prefix.V6!.Value, out var id) && stack.Entry(id) is { Kind: ForwardingKind.Forward })
        {
            stack.RemoveRoute(prefix.V6!.Value);
        }
    }

    /// <summary><paramref name="plan"/> with <paramref name="diff"/> applied, in plan order.</summary>
    private static DevicePlan Updated(DevicePlan plan, DeviceDiff diff)
    {
        var routes = plan.Routes.ToDictionary(r => r.Prefix);
        foreach (var route in diff.RoutesRemoved) routes.Remove(route.Prefix);
        foreach (var route in diff.RoutesAdded.Concat(diff.RoutesChanged.Select(c => c.After))) routes[route.Prefix] = route;
        var labels = plan.Labels.ToDictionary(l => l.In);
        foreach (var label in diff.LabelsRemoved) labels.Remove(label.In);
        foreach (var label in diff.LabelsAdded.Concat(diff.LabelsChanged.Select(c => c.After))) labels[label.In] = label;
        var macs = plan.Macs.ToDictionary(m => (m.Vlan, m.Mac));
        foreach (var mac in diff.MacsRemoved) macs.Remove((mac.Vlan, mac.Mac));
        foreach (var mac in diff.MacsAdded.Concat(diff.MacsChanged.Select(c => c.After))) macs[(mac.Vlan, mac.Mac)] = mac;
        return new DevicePlan(plan.Device, [.. routes.Values.OrderBy(r => r.Prefix)], [.. labels.Values.OrderBy(l => l.In)])
        {
            Macs = [.. macs.Values.OrderBy(m => m.Vlan).ThenBy(m => m.Mac.Value)],
        };
    }
}
