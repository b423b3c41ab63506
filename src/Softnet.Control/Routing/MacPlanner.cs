using Softnet.Devices;
using Softnet.Hypervisor.Forwarding;
using Softnet.Hypervisor.Topology;
using Softnet.Wire;

namespace Softnet.Control.Routing;

/// <summary>
/// The static MAC entries of a network's switches. A station is a port that sends untagged frames from a MAC the
/// controller knows: a host's eth0 (<see cref="HostSpec.Mac"/>), a router's or LSR's interface and a secure gateway's
/// side (<see cref="MacAddresses.For"/> of the device and the port's position). Every (switch, VLAN) a station's frames
/// reach gets an entry for it: the port by which they first arrive in a breadth-first search from the station, each
/// switch's ports taken in file order, so the entries lie along the shortest L2 paths back to the station (ties go to
/// the port found first). Ports carry frames as the data plane does: an access port takes untagged frames into its
/// VLAN (1 when none is written), a trunk takes frames tagged with one of its VLANs, and a switch sends a frame of VLAN
/// v out of each other port carrying v, untagged on access ports and tagged on trunks.
/// </summary>
internal static class MacPlanner
{
    /// <summary>The entries of every switch that has any, sorted by VLAN, then MAC.</summary>
    /// <exception cref="ForwardingPlanException">Two stations whose frames reach the same switch and VLAN have one MAC.</exception>
    public static Dictionary<string, List<PlannedMac>> Plan(SoftwareNetwork network, IReadOnlyList<GatewaySpec> gateways)
    {
        var peers = new Dictionary<Endpoint, Endpoint>();
        foreach (var link in network.Links)
        {
            peers[link.A] = link.B;
            peers[link.B] = link.A;
        }
        var stations = new List<(Endpoint Port, MacAddress Mac, string Name)>();
        foreach (var device in network.Devices)
        {
            var interfaces = device switch { RouterSpec r => r.Interfaces, LsrSpec l => l.Interfaces, _ => [] };
            for (var i = 0; i < interfaces.Count; i++)
                stations.Add((new Endpoint(device.Name, interfaces[i].Name), MacAddresses.For(device.Name, i), $"{device.Name}:{interfaces[i].Name}"));
        }
        foreach (var host in network.Hosts)
            stations.Add((new Endpoint(host.Name, HostSpec.InterfaceName), host.Mac, $"{host.Name}:{HostSpec.InterfaceName}"));
        foreach (var gateway in gateways)
        {
            for (var i = 0; i < gateway.Sides.Count; i++)
            {
                var side = gateway.Sides[i];
                if (side.Network != network.Name) continue;
                var port = new Endpoint(RoutedDevice.GatewayPrefix + gateway.Name, side.Interface);
                peers[port] = side.Endpoint;
                peers[side.Endpoint] = port;
                stations.Add((port, MacAddresses.For(gateway.Name, i), $"gateway {gateway.Name}:{side.Interface}"));
            }
        }

        var switches = network.Devices.OfType<SwitchSpec>().ToDictionary(s => s.Name);
        var switchPorts = switches.Values.SelectMany(s => s.SwitchPorts.Select(p => (Port: new Endpoint(s.Name, p.Name), Spec: p))).ToDictionary(p => p.Port, p => p.Spec);
        var entries = new Dictionary<(string Switch, int Vlan, MacAddress Mac), (string Port, string Station)>();
        var queue = new List<(string Switch, int Vlan, string InPort)>();
        var visited = new HashSet<(string, int)>();
        foreach (var station in stations)
        {
            queue.Clear();
            visited.Clear();

            void Enter(Endpoint sender, int tag)
            {
                if (!peers.TryGetValue(sender, out var target) || !switchPorts.TryGetValue(target, out var port)) return;
                int? vlan = port.TrunkVlans.Count > 0
                    ? (tag != 0 && port.TrunkVlans.Contains(tag) ? tag : null)
                    : (tag == 0 ? port.AccessVlan ?? 1 : null);
                if (vlan is not { } v || !visited.Add((target.Node, v))) return;
                queue.Add((target.Node, v, target.Port));
                if (!entries.TryAdd((target.Node, v, station.Mac), (target.Port, station.Name)))
                {
                    var other = entries[(target.Node, v, station.Mac)].Station;
                    throw new ForwardingPlanException(network.Name, target.Node, null,
                        $"{station.Name} and {other} both have MAC {station.Mac} in VLAN {v}");
                }
            }

            Enter(station.Port, 0);
            for (var i = 0; i < queue.Count; i++)
            {
                var (name, vlan, inPort) = queue[i];
                foreach (var port in switches[name].SwitchPorts)
                {
                    if (port.Name == inPort) continue;
                    if (port.TrunkVlans.Count > 0 ? port.TrunkVlans.Contains(vlan) : (port.AccessVlan ?? 1) == vlan)
                        Enter(new Endpoint(name, port.Name), port.TrunkVlans.Count > 0 ? vlan : 0);
                }
            }
        }
        return entries
            .GroupBy(e => e.Key.Switch)
            .ToDictionary(g => g.Key, g => g.OrderBy(e => e.Key.Vlan).ThenBy(e => e.Key.Mac.Value).Select(e => new PlannedMac(e.Key.Vlan, e.Key.Mac, e.Value.Port)).ToList());
    }
}
