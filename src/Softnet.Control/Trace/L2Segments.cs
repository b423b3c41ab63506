using Softnet.Devices;
using Softnet.Hypervisor.Topology;
using Softnet.Wire;

namespace Softnet.Control.Trace;

/// <summary>A switch a frame crosses: in one port, out of another, in one VLAN.</summary>
internal readonly record struct SwitchCrossing(string Switch, string InPort, string OutPort, int Vlan);

/// <summary>
/// The L2 side of a network for a trace: what each link joins, how switches carry VLANs, and which port of a router,
/// LSR, host or secure gateway side owns an address. A routed port, gateway side or host sends untagged frames; a switch access port takes untagged
/// frames into its VLAN (1 when none is written), a trunk takes frames tagged with one of its VLANs; a switch sends a
/// frame of VLAN v out of each other port carrying v, untagged on access ports and tagged on trunks.
/// </summary>
internal sealed class L2Segments
{
    private readonly Dictionary<Endpoint, Endpoint> _peers = [];
    private readonly Dictionary<string, SwitchSpec> _switches = [];
    private readonly Dictionary<Endpoint, SwitchPortSpec> _switchPorts = [];
    private readonly Dictionary<Endpoint, List<IpAddress>> _addresses = [];

    /// <summary>The node name of gateway <paramref name="gateway"/>'s sides: no device or host name has a space.</summary>
    public static string GatewayNode(string gateway) => GatewayPrefix + gateway;

    /// <summary>The gateway whose side <paramref name="node"/> is (see <see cref="GatewayNode"/>), or null for a device or host.</summary>
    public static string? GatewayOf(string node) => node.StartsWith(GatewayPrefix, StringComparison.Ordinal) ? node[GatewayPrefix.Length..] : null;

    private const string GatewayPrefix = "gateway ";

    /// <param name="gateways">The file's gateways: their sides in <paramref name="network"/> are linked to their endpoints and own their addresses.</param>
    public L2Segments(SoftwareNetwork network, IReadOnlyList<GatewaySpec> gateways)
    {
        foreach (var link in network.Links)
        {
            _peers[link.A] = link.B;
            _peers[link.B] = link.A;
        }
        foreach (var gateway in gateways)
        {
            for (var i = 0; i < gateway.Sides.Count; i++)
            {
                var side = gateway.Sides[i];
                if (side.Network != network.Name) continue;
                var port = new Endpoint(GatewayNode(gateway.Name), side.Interface);
                _peers[port] = side.Endpoint;
                _peers[side.Endpoint] = port;
                _addresses[port] = [.. side.Addresses.Select(a => a.Address), LinkLocal(gateway.Name, i)];
            }
        }
        foreach (var device in network.Devices)
        {
            switch (device)
            {
                case SwitchSpec s:
                    _switches[s.Name] = s;
                    foreach (var port in s.SwitchPorts) _switchPorts[new Endpoint(s.Name, port.Name)] = port;
                    break;
                case RouterSpec r:
                    AddRouted(r.Name, r.Interfaces);
                    break;
                case LsrSpec l:
                    AddRouted(l.Name, l.Interfaces);
                    break;
            }
        }
        foreach (var host in network.Hosts)
            _addresses[new Endpoint(host.Name, HostSpec.InterfaceName)] = [.. host.Addresses.Select(a => a.Address)];
    }

    /// <summary>
    /// The port that owns <paramref name="address"/> on the segment <paramref name="from"/> sends into, and the switches
    /// a frame crosses to reach it (fewest first); null when no port of the segment owns the address.
    /// </summary>
    public (IReadOnlyList<SwitchCrossing> Switches, Endpoint Owner)? Find(Endpoint from, IpAddress address)
    {
        var states = new List<(string Switch, int Vlan, string InPort, int Parent, string? ParentExit)>();
        var visited = new HashSet<(string, int)>();
        (int Parent, string? Exit, Endpoint Owner)? found = null;

        void Enter(Endpoint sender, int tag, int parent)
        {
            if (found is not null || !_peers.TryGetValue(sender, out var target)) return;
            if (_switchPorts.TryGetValue(target, out var port))
            {
                int? vlan = port.TrunkVlans.Count > 0
                    ? (tag != 0 && port.TrunkVlans.Contains(tag) ? tag : null)
                    : (tag == 0 ? port.AccessVlan ?? 1 : null);
                if (vlan is { } v && visited.Add((target.Node, v))) states.Add((target.Node, v, target.Port, parent, parent < 0 ? null : sender.Port));
            }
            else if (tag == 0 && _addresses.TryGetValue(target, out var owned) && owned.Contains(address))
            {
                found = (parent, parent < 0 ? null : sender.Port, target);
            }
        }

        Enter(from, 0, -1);
        for (var i = 0; i < states.Count && found is null; i++)
        {
            var (name, vlan, inPort, _, _) = states[i];
            foreach (var port in _switches[name].SwitchPorts)
            {
                if (port.Name == inPort) continue;
                if (port.TrunkVlans.Count > 0 ? port.TrunkVlans.Contains(vlan) : (port.AccessVlan ?? 1) == vlan)
                    Enter(new Endpoint(name, port.Name), port.TrunkVlans.Count > 0 ? vlan : 0, i);
            }
        }
        if (found is not { } end) return null;

        var crossings = new List<SwitchCrossing>();
        var (at, exit) = (end.Parent, end.Exit);
        while (at >= 0)
        {
            var state = states[at];
            crossings.Add(new SwitchCrossing(state.Switch, state.InPort, exit!, state.Vlan));
            (at, exit) = (state.Parent, state.ParentExit);
        }
        crossings.Reverse();
        return (crossings, end.Owner);
    }

    /// <summary>A routed port owns its addresses and its link-local address, derived from the MAC <see cref="MacAddresses"/> gives its position.</summary>
    private void AddRouted(string device, IReadOnlyList<InterfaceSpec> interfaces)
    {
        for (var i = 0; i < interfaces.Count; i++)
            _addresses[new Endpoint(device, interfaces[i].Name)] = [.. interfaces[i].Addresses.Select(a => a.Address), LinkLocal(device, i)];
    }

    private static IpAddress LinkLocal(string device, int port) => IpAddress.From(Ipv6Address.LinkLocalFromMac(MacAddresses.For(device, port)));
}
