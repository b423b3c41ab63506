using Softnet.DataPlane;
using Softnet.Devices.Gateway;
using Softnet.Devices.Ip;
using Softnet.Devices.Mpls;
using Softnet.Devices.Switching;
using Softnet.Hypervisor.Topology;
using Softnet.Wire;
using LabelAction = Softnet.Hypervisor.Topology.LabelAction;

namespace Softnet.Hypervisor.Runtime;

/// <summary>Builds the virtual device a topology file declares: its ports, addresses, static routes and labels.</summary>
public static class DeviceFactory
{
    public static Device Create(SoftwareNetwork network, DeviceSpec spec, PacketPool pool) => spec switch
    {
        SwitchSpec s => CreateSwitch(s, pool),
        RouterSpec r => Configure(new Router(r.Name, pool), network, r.Interfaces, r.Routes),
        LsrSpec l => CreateLsr(network, l, pool),
        _ => throw new NotSupportedException($"{network.Name}/{spec.Name}: device kind {spec.GetType().Name} is not supported."),
    };

    private static L2Switch CreateSwitch(SwitchSpec spec, PacketPool pool)
    {
        var device = new L2Switch(spec.Name, pool);
        foreach (var port in spec.SwitchPorts)
        {
            var mode = port.TrunkVlans.Count > 0 ? SwitchPortMode.Trunk(port.TrunkVlans) : SwitchPortMode.Access(port.AccessVlan ?? 1);
            device.AddPort(port.Name, mode);
        }
        return device;
    }

    private static Lsr CreateLsr(SoftwareNetwork network, LsrSpec spec, PacketPool pool)
    {
        var device = Configure(new Lsr(spec.Name, pool), network, spec.Interfaces, spec.Routes);
        foreach (var binding in spec.Labels)
        {
            switch (binding.Action)
            {
                case LabelAction.Lookup:
                    device.AddLabelPopAndLookup(binding.In);
                    break;
                default:
                    var outgoing = binding.Action == LabelAction.Pop ? MplsLabel.ImplicitNull : binding.Out!.Value;
                    var via = binding.Via!.Value;
                    var port = binding.Port ?? PortTowards(network, spec.Name, spec.Interfaces, via);
                    if (via.V4 is { } v4) device.AddLabelSwap(binding.In, outgoing, port, v4);
                    else device.AddLabelSwap(binding.In, outgoing, port, via.V6!.Value);
                    break;
            }
        }
        return device;
    }

    private static T Configure<T>(T device, SoftwareNetwork network, IReadOnlyList<InterfaceSpec> interfaces, IReadOnlyList<StaticRoute> routes)
        where T : IpDevice
    {
        foreach (var spec in interfaces)
        {
            device.AddInterface(spec.Name);
            foreach (var address in spec.Addresses) device.AddAddress(spec.Name, address.ToString());
        }
        foreach (var route in routes)
        {
            var port = device.Port(route.Port ?? PortTowards(network, device.Name, interfaces, route.Via)).Index;
            if (route.PushLabels.Count > 1)
                throw new NotSupportedException($"{network.Name}/{device.Name}: route {route.Prefix} pushes {route.PushLabels.Count} labels; this data plane imposes one.");
            MplsLabel? label = route.PushLabels.Count == 1 ? route.PushLabels[0] : null;
            if (route.Prefix.V4 is { } p4) device.Stack.AddRoute(p4, [(port, route.Via.V4!.Value, label)]);
            else device.Stack.AddRoute(route.Prefix.V6!.Value, [(port, route.Via.V6!.Value, label)]);
        }
        return device;
    }

    /// <summary>
    /// Builds the secure gateway <paramref name="spec"/> declares: per side, an interface with its addresses, put in
    /// that side's network, with the side's NAT and routes; then the rules, in file order, and the limits. Each limit's
    /// buckets hold its burst worth of rate, the packet bucket at least one packet and the bit bucket at least one
    /// largest IP packet, so that no packet is too big ever to pass (a segmentation-offload super-frame, as large, still
    /// costs one packet per segment).
    /// </summary>
    public static SecureGateway CreateGateway(GatewaySpec spec, PacketPool pool)
    {
        var gateway = new SecureGateway(spec.Name, pool, [.. spec.Networks]);
        foreach (var side in spec.Sides)
        {
            gateway.AddInterface(side.Interface);
            foreach (var address in side.Addresses) gateway.AddAddress(side.Interface, address.ToString());
            gateway.AddSide(side.Interface, side.Network);
            foreach (var nat in side.Nat) gateway.AddNat(new GatewayNat(side.Network, Prefix(nat.Real), Prefix(nat.Mapped)));
            foreach (var route in side.Routes)
            {
                if (route.Prefix.V4 is { } p4) gateway.AddRoute(p4, (side.Interface, route.Via.V4!.Value));
                else gateway.AddRoute(route.Prefix.V6!.Value, (side.Interface, route.Via.V6!.Value));
            }
        }
        foreach (var rule in spec.Rules)
            gateway.AddRule(new GatewayRule(rule.From, rule.To, Prefix(rule.Source), Prefix(rule.Destination), rule.Protocol, rule.Ports));
        foreach (var limit in spec.Limits)
        {
            var packets = Bucket(limit.PacketsPerSecond, limit.Burst, least: 1);
            var bits = Bucket(limit.BitsPerSecond, limit.Burst, least: MaxPacketBits);
            gateway.SetRateLimit(new GatewayRateLimit(limit.From, limit.To, packets, bits));
        }
        return gateway;
    }

    /// <summary>The largest IP packet, in bits.</summary>
    private const long MaxPacketBits = ushort.MaxValue * 8L;

    /// <summary>Any address when null, else the prefix.</summary>
    private static GatewayPrefix Prefix(IpPrefix? prefix) =>
        prefix is not { } p ? GatewayPrefix.Any : p.V4 is { } v4 ? (GatewayPrefix)v4 : p.V6!.Value;

    /// <summary>A bucket filling at <paramref name="perSecond"/> and holding <paramref name="burst"/> of it (rounded up), at least <paramref name="least"/>.</summary>
    private static GatewayRate? Bucket(long? perSecond, TimeSpan burst, long least)
    {
        if (perSecond is not { } rate) return null;
        var depth = ((Int128)rate * burst.Ticks + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond;
        return new GatewayRate(rate, (long)Int128.Max(least, depth));
    }

    /// <summary>The interface whose connected subnet holds <paramref name="via"/> (the topology loader has checked there is one).</summary>
    private static string PortTowards(SoftwareNetwork network, string device, IReadOnlyList<InterfaceSpec> interfaces, IpAddress via) =>
        interfaces.FirstOrDefault(i => i.Addresses.Any(a => a.Subnet.Contains(via)))?.Name
        ?? throw new InvalidOperationException($"{network.Name}/{device}: no interface has a subnet holding {via}.");
}
