using System.Globalization;
using Softnet.Hypervisor.Topology;

namespace Softnet.Control.Diff;

/// <summary>
/// Compares two topology files and lists every change, one <see cref="TopologyChange"/> each, in a fixed order:
/// networks removed (in the order of <c>before</c>), then each network of <c>after</c> in its order, added whole or
/// changed: its architecture, tokens and priority, then devices, then hosts (removed ones first, in the order of
/// <c>before</c>, then added and changed ones in the order of <c>after</c>), then links (removed, then added). Within a
/// device or host, changes follow its properties in file order. A link is an unordered pair of endpoints. Lists the
/// file treats as sets (routes, label bindings by incoming label, links, a gateway's admit rules) are compared as sets; where order has effects
/// (interfaces and switch ports, whose position picks the port's MAC; addresses, whose first is the source address)
/// a changed order of what both files have is a change too. Gateways come last: removed, then added and changed ones,
/// each listed as a node of every network it joins (<see cref="TopologyChange.What"/> is the gateway's name).
/// </summary>
public static class TopologyDiff
{
    public static TopologyChanges Between(TopologyFile before, TopologyFile after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var changes = new List<TopologyChange>();
        var previous = before.Networks.ToDictionary(n => n.Name);
        var current = after.Networks.Select(n => n.Name).ToHashSet();
        foreach (var network in before.Networks.Where(n => !current.Contains(n.Name)))
            changes.Add(new TopologyChange(ChangeKind.Removed, network.Name, "", ""));
        foreach (var network in after.Networks)
        {
            if (previous.TryGetValue(network.Name, out var old)) Network(old, network, changes);
            else changes.Add(new TopologyChange(ChangeKind.Added, network.Name, "", ""));
        }
        Gateways(before.Gateways, after.Gateways, changes);
        return new TopologyChanges(changes);
    }

    /// <summary>
    /// A gateway is a node of each network it has a side in: added to or removed from it as a whole, with the changes
    /// of that side listed there, and the changes of the gateway itself (tokens, rules, limits) in each of its networks.
    /// </summary>
    private static void Gateways(IReadOnlyList<GatewaySpec> before, IReadOnlyList<GatewaySpec> after, List<TopologyChange> changes)
    {
        var previous = before.ToDictionary(g => g.Name);
        var current = after.Select(g => g.Name).ToHashSet();
        foreach (var gateway in before.Where(g => !current.Contains(g.Name)))
            changes.AddRange(gateway.Sides.Select(s => new TopologyChange(ChangeKind.Removed, s.Network, gateway.Name, "gateway")));
        foreach (var gateway in after)
        {
            if (!previous.TryGetValue(gateway.Name, out var old))
            {
                changes.AddRange(gateway.Sides.Select(s => new TopologyChange(ChangeKind.Added, s.Network, gateway.Name, "gateway")));
                continue;
            }
            var sides = old.Sides.ToDictionary(s => s.Network);
            var networks = gateway.Sides.Select(s => s.Network).ToHashSet();
            changes.AddRange(old.Sides.Where(s => !networks.Contains(s.Network)).Select(s => new TopologyChange(ChangeKind.Removed, s.Network, gateway.Name, "gateway")));
            var common = new List<string>();
            if (old.Tokens != gateway.Tokens) common.Add($"tokens {old.Tokens.ToString(CultureInfo.InvariantCulture)} -> {gateway.Tokens.ToString(CultureInfo.InvariantCulture)}");
            Set(old.Rules.Select(Describe), gateway.Rules.Select(Describe), common);
            var limits = old.Limits.ToDictionary(l => (l.From, l.To));
            var directions = gateway.Limits.Select(l => (l.From, l.To)).ToHashSet();
            common.AddRange(old.Limits.Where(l => !directions.Contains((l.From, l.To))).Select(l => $"limit {l.From} -> {l.To} removed"));
            foreach (var limit in gateway.Limits)
            {
                if (!limits.TryGetValue((limit.From, limit.To), out var was)) common.Add($"limit {limit.From} -> {limit.To} {Rates(limit)} added");
                else if (was != limit) common.Add($"limit {limit.From} -> {limit.To}: {Rates(was)} -> {Rates(limit)}");
            }
            foreach (var side in gateway.Sides)
            {
                if (!sides.TryGetValue(side.Network, out var was))
                {
                    changes.Add(new TopologyChange(ChangeKind.Added, side.Network, gateway.Name, "gateway"));
                    continue;
                }
                var details = new List<string>();
                if (was.Interface != side.Interface) details.Add($"interface {was.Interface} -> {side.Interface}");
                Addresses(was.Addresses, side.Addresses, "", "addresses", details);
                if (was.Endpoint != side.Endpoint) details.Add($"endpoint {was.Endpoint} -> {side.Endpoint}");
                Set(was.Nat.Select(n => $"nat {n.Real} as {n.Mapped}"), side.Nat.Select(n => $"nat {n.Real} as {n.Mapped}"), details);
                Set(was.Routes.Select(r => $"route {Describe(r)}"), side.Routes.Select(r => $"route {Describe(r)}"), details);
                changes.AddRange(details.Concat(common).Select(d => new TopologyChange(ChangeKind.Changed, side.Network, gateway.Name, d)));
            }
        }
    }

    /// <summary>"x removed" for what only <paramref name="before"/> has, then "x added" for what only <paramref name="after"/> has.</summary>
    private static void Set(IEnumerable<string> before, IEnumerable<string> after, List<string> details)
    {
        var (a, b) = (before.Distinct().ToList(), after.Distinct().ToList());
        details.AddRange(a.Where(x => !b.Contains(x)).Select(x => $"{x} removed"));
        details.AddRange(b.Where(x => !a.Contains(x)).Select(x => $"{x} added"));
    }

    private static void Network(SoftwareNetwork before, SoftwareNetwork after, List<TopologyChange> changes)
    {
        var name = after.Name;
        void Property(string what, string a, string b)
        {
            if (a != b) changes.Add(new TopologyChange(ChangeKind.Changed, name, "", $"{what} {a} -> {b}"));
        }
        Property("architecture", Lower(before.Architecture), Lower(after.Architecture));
        Property("tokens", before.Tokens.ToString(CultureInfo.InvariantCulture), after.Tokens.ToString(CultureInfo.InvariantCulture));
        Property("priority", Lower(before.Priority), Lower(after.Priority));

        Nodes(name, before.Devices, after.Devices, d => d.Name, Kind, Device, changes);
        Nodes(name, before.Hosts, after.Hosts, h => h.Name, _ => "host", Host, changes);

        var oldLinks = before.Links.Select(LinkKey).ToHashSet();
        var newLinks = after.Links.Select(LinkKey).ToHashSet();
        foreach (var link in before.Links.Where(l => !newLinks.Contains(LinkKey(l))))
            changes.Add(new TopologyChange(ChangeKind.Removed, name, "", $"link {link.A} -- {link.B}"));
        foreach (var link in after.Links.Where(l => !oldLinks.Contains(LinkKey(l))))
            changes.Add(new TopologyChange(ChangeKind.Added, name, "", $"link {link.A} -- {link.B}"));
    }

    /// <summary>Nodes removed, then added or changed; <paramref name="compare"/> lists the details of a node in both files.</summary>
    private static void Nodes<T>(string network, IReadOnlyList<T> before, IReadOnlyList<T> after, Func<T, string> name, Func<T, string> kind,
        Action<T, T, List<string>> compare, List<TopologyChange> changes)
    {
        var previous = before.ToDictionary(name);
        var current = after.Select(name).ToHashSet();
        foreach (var node in before.Where(n => !current.Contains(name(n))))
            changes.Add(new TopologyChange(ChangeKind.Removed, network, name(node), kind(node)));
        foreach (var node in after)
        {
            if (!previous.TryGetValue(name(node), out var old))
            {
                changes.Add(new TopologyChange(ChangeKind.Added, network, name(node), kind(node)));
                continue;
            }
            var details = new List<string>();
            compare(old, node, details);
            changes.AddRange(details.Select(d => new TopologyChange(ChangeKind.Changed, network, name(node), d)));
        }
    }

    private static void Device(DeviceSpec before, DeviceSpec after, List<string> details)
    {
        if (Kind(before) != Kind(after)) details.Add($"kind {Kind(before)} -> {Kind(after)}");
        Items(Interfaces(before), Interfaces(after), i => i.Name, "interface", "interfaces", DescribeInterface, details, (a, b) =>
        {
            Addresses(a.Addresses, b.Addresses, $" on {b.Name}", $"addresses of {b.Name}", details);
            if (a.Phy != b.Phy) details.Add($"interface {b.Name} phy {Phy(a.Phy)} -> {Phy(b.Phy)}");
        });
        Set(Routes(before).Select(r => $"route {Describe(r)}"), Routes(after).Select(r => $"route {Describe(r)}"), details);
        var oldLabels = Labels(before).ToDictionary(l => l.In);
        var newLabels = Labels(after).Select(l => l.In).ToHashSet();
        details.AddRange(Labels(before).Where(l => !newLabels.Contains(l.In)).Select(l => $"label {l.In} {Action(l)} removed"));
        foreach (var label in Labels(after))
        {
            if (!oldLabels.TryGetValue(label.In, out var old)) details.Add($"label {label.In} {Action(label)} added");
            else if (old != label) details.Add($"label {label.In}: {Action(old)} -> {Action(label)}");
        }
        Items(SwitchPorts(before), SwitchPorts(after), p => p.Name, "port", "ports", DescribePort, details, (a, b) =>
        {
            if (Mode(a) != Mode(b)) details.Add($"port {b.Name} {Mode(a)} -> {Mode(b)}");
            if (a.Phy != b.Phy) details.Add($"port {b.Name} phy {Phy(a.Phy)} -> {Phy(b.Phy)}");
        });
    }

    private static void Host(HostSpec before, HostSpec after, List<string> details)
    {
        Addresses(before.Addresses, after.Addresses, "", "addresses", details);
        if (!before.Gateways.SequenceEqual(after.Gateways)) details.Add($"gateway {List(before.Gateways)} -> {List(after.Gateways)}");
        if (before.Phy != after.Phy) details.Add($"phy {Phy(before.Phy)} -> {Phy(after.Phy)}");
        if (before.Mac != after.Mac) details.Add($"mac {before.Mac} -> {after.Mac}");
    }

    /// <summary>
    /// Named items (interfaces, switch ports): removed, added, then for each kept one what <paramref name="compare"/>
    /// finds, and last a line when the kept ones are in another order.
    /// </summary>
    private static void Items<T>(IReadOnlyList<T> before, IReadOnlyList<T> after, Func<T, string> name, string what, string plural,
        Func<T, string> describe, List<string> details, Action<T, T> compare)
    {
        var previous = before.ToDictionary(name);
        var current = after.Select(name).ToHashSet();
        details.AddRange(before.Where(i => !current.Contains(name(i))).Select(i => $"{what} {name(i)} removed"));
        foreach (var item in after)
        {
            if (!previous.TryGetValue(name(item), out var old))
            {
                var description = describe(item);
                details.Add(description.Length == 0 ? $"{what} {name(item)} added" : $"{what} {name(item)} added ({description})");
            }
            else compare(old, item);
        }
        Order(before.Select(name).ToList(), after.Select(name).ToList(), plural, details);
    }

    private static void Addresses(IReadOnlyList<InterfaceAddress> before, IReadOnlyList<InterfaceAddress> after, string where, string plural, List<string> details)
    {
        details.AddRange(before.Where(a => !after.Contains(a)).Select(a => $"address {a}{where} removed"));
        details.AddRange(after.Where(a => !before.Contains(a)).Select(a => $"address {a}{where} added"));
        Order([.. before.Select(a => a.ToString())], [.. after.Select(a => a.ToString())], plural, details);
    }

    /// <summary>A line when the items both lists have are not in the same relative order.</summary>
    private static void Order(List<string> before, List<string> after, string plural, List<string> details)
    {
        var kept = before.Where(after.Contains).ToList();
        var keptNow = after.Where(before.Contains).ToList();
        if (!kept.SequenceEqual(keptNow)) details.Add($"{plural} reordered: {string.Join(", ", kept)} -> {string.Join(", ", keptNow)}");
    }

    private static string Kind(DeviceSpec device) => device switch
    {
        SwitchSpec => "switch",
        LsrSpec => "lsr",
        RouterSpec => "router",
        _ => device.GetType().Name,
    };

    private static IReadOnlyList<InterfaceSpec> Interfaces(DeviceSpec device) => device switch
    {
        RouterSpec r => r.Interfaces,
        LsrSpec l => l.Interfaces,
        _ => [],
    };

    private static IReadOnlyList<StaticRoute> Routes(DeviceSpec device) => device switch
    {
        RouterSpec r => r.Routes,
        LsrSpec l => l.Routes,
        _ => [],
    };

    private static IReadOnlyList<LabelBinding> Labels(DeviceSpec device) => device is LsrSpec l ? l.Labels : [];

    private static IReadOnlyList<SwitchPortSpec> SwitchPorts(DeviceSpec device) => device is SwitchSpec s ? s.SwitchPorts : [];

    private static string DescribeInterface(InterfaceSpec i) =>
        string.Join(", ", i.Addresses.Select(a => a.ToString()).Concat(i.Phy is null ? [] : [$"phy {Phy(i.Phy)}"]));

    private static string DescribePort(SwitchPortSpec p) => p.Phy is null ? Mode(p) : $"{Mode(p)}, phy {Phy(p.Phy)}";

    /// <summary>"vlan 10" for an access port (VLAN 1 when none is written), "trunk 10,20" for a trunk.</summary>
    private static string Mode(SwitchPortSpec port) =>
        port.TrunkVlans.Count > 0 ? $"trunk {string.Join(',', port.TrunkVlans)}" : $"vlan {port.AccessVlan ?? 1}";

    /// <summary>As a routing table shows a route: <c>10.0.3.0/24 via 10.0.0.2 port eth1 push 100</c>.</summary>
    private static string Describe(StaticRoute route)
    {
        var text = $"{route.Prefix} via {route.Via}";
        if (route.Port is { } port) text += $" port {port}";
        if (route.PushLabels.Count > 0) text += $" push {string.Join(' ', route.PushLabels)}";
        return text;
    }

    /// <summary>What a binding does: <c>swap 200 via 10.0.0.2 port eth1</c>, <c>pop via 10.0.0.2</c>, <c>lookup</c>.</summary>
    private static string Action(LabelBinding binding)
    {
        var next = (binding.Via is { } via ? $" via {via}" : "") + (binding.Port is { } port ? $" port {port}" : "");
        return binding.Action switch
        {
            LabelAction.Swap => $"swap {binding.Out}{next}",
            LabelAction.Pop => $"pop{next}",
            _ => "lookup",
        };
    }

    /// <summary><c>rule red -> blue tcp from 10.0.1.0/24 to 10.0.2.10/32 port 80</c>.</summary>
    private static string Describe(GatewayRuleSpec rule)
    {
        var text = $"rule {rule.From} -> {rule.To} {Lower(rule.Protocol)} from {rule.Source?.ToString() ?? "any"} to {rule.Destination?.ToString() ?? "any"}";
        return rule.Ports is { } ports ? $"{text} port {ports}" : text;
    }

    /// <summary><c>pps 10000, bps 100000000, burst 10ms</c>.</summary>
    private static string Rates(GatewayLimitSpec limit)
    {
        var parts = new List<string>();
        if (limit.PacketsPerSecond is { } pps) parts.Add($"pps {pps.ToString(CultureInfo.InvariantCulture)}");
        if (limit.BitsPerSecond is { } bps) parts.Add($"bps {bps.ToString(CultureInfo.InvariantCulture)}");
        parts.Add($"burst {limit.Burst.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}ms");
        return string.Join(", ", parts);
    }

    private static string Phy(PhysicalPortKind? phy) => phy switch
    {
        PhysicalPortKind.Tap => "tap",
        PhysicalPortKind.AfPacket => "af_packet",
        PhysicalPortKind.Memory => "memory",
        _ => "default",
    };

    private static string List(IReadOnlyList<IpAddress> addresses) => addresses.Count == 0 ? "none" : string.Join(", ", addresses);

    private static string Lower<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

    /// <summary>The endpoints in ordinal order, so that A -- B and B -- A are one link.</summary>
    private static (string, string) LinkKey(LinkSpec link)
    {
        var (a, b) = (link.A.ToString(), link.B.ToString());
        return string.CompareOrdinal(a, b) <= 0 ? (a, b) : (b, a);
    }
}
