using Softnet.DataPlane;
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

    /// <summary>The interface whose connected subnet holds <paramref name="via"/> (the topology loader has checked there is one).</summary>
    private static string PortTowards(SoftwareNetwork network, string device, IReadOnlyList<InterfaceSpec> interfaces, IpAddress via) =>
        interfaces.FirstOrDefault(i => i.Addresses.Any(a => a.Subnet.Contains(via)))?.Name
        ?? throw new InvalidOperationException($"{network.Name}/{device}: no interface has a subnet holding {via}.");
}
