using Softnet.Hypervisor.Forwarding;
using Softnet.Hypervisor.Topology;

namespace Softnet.Control.Routing;

/// <summary>
/// A router or LSR of the network, by its position among them in file order; after them (from
/// <see cref="NeighbourGraph.RoutedCount"/> on), one per secure gateway side in the network, named <c>gateway NAME</c>
/// (no device name has a space): a neighbour that takes traffic for the prefixes it <see cref="Offers"/> and forwards
/// nothing else of the network.
/// </summary>
internal sealed record RoutedDevice(
    string Name, bool IsLsr, IReadOnlyList<InterfaceSpec> Interfaces, IReadOnlyList<StaticRoute> Routes, IReadOnlyList<LabelBinding> Labels)
{
    public const string GatewayPrefix = "gateway ";

    /// <summary>For a gateway side: the destinations of the gateway's routes on its other sides, as this network addresses them.</summary>
    public IReadOnlyList<IpPrefix> Offers { get; init; } = [];
}

/// <summary>D can reach neighbour <see cref="To"/> out of <see cref="Port"/> at address <see cref="Via"/>.</summary>
internal readonly record struct NeighbourEdge(int To, string Port, IpAddress Via);

/// <summary>
/// Who can send to whom in one hop, per address family. Links, and switches per VLAN, join ports into L2 segments; a
/// routed device D has neighbour N on a segment when N has an address inside one of D's subnets there (the address D
/// would resolve with ARP or NDP). A link joins what both ends carry the same way: untagged with untagged (routed
/// interfaces, hosts, switch access ports) and tagged VLAN v with tagged VLAN v (trunk ports, which take no untagged frames).
/// </summary>
internal sealed class NeighbourGraph
{
    private readonly List<NeighbourEdge>[][] _out;
    private readonly List<int>[][] _in;

    private NeighbourGraph(IReadOnlyList<RoutedDevice> devices)
    {
        Devices = devices;
        _out = [NewLists<NeighbourEdge>(devices.Count), NewLists<NeighbourEdge>(devices.Count)];
        _in = [NewLists<int>(devices.Count), NewLists<int>(devices.Count)];
    }

    public IReadOnlyList<RoutedDevice> Devices { get; }

    /// <summary>The edges leaving <paramref name="device"/> for <paramref name="ipv4"/> or IPv6 traffic, sorted by port, then address.</summary>
    public List<NeighbourEdge> Out(int device, bool ipv4) => _out[ipv4 ? 0 : 1][device];

    /// <summary>The devices with an edge to <paramref name="device"/> (repeated once per edge).</summary>
    public List<int> In(int device, bool ipv4) => _in[ipv4 ? 0 : 1][device];

    /// <summary>How many of <see cref="Devices"/> are the network's routers and LSRs; the gateway sides follow them.</summary>
    public int RoutedCount { get; private init; }

    /// <param name="gateways">The file's gateways; their sides in <paramref name="network"/> join the graph, linked to their endpoints.</param>
    /// <exception cref="ForwardingPlanException">A link names a missing port, a name is used twice, or two ports of one segment claim one address.</exception>
    public static NeighbourGraph Build(SoftwareNetwork network, IReadOnlyList<GatewaySpec> gateways)
    {
        var devices = network.Devices
            .Select(d => d switch
            {
                RouterSpec r => new RoutedDevice(r.Name, false, r.Interfaces, r.Routes, []),
                LsrSpec l => new RoutedDevice(l.Name, true, l.Interfaces, l.Routes, l.Labels),
                _ => null,
            })
            .OfType<RoutedDevice>()
            .ToList();
        var routed = devices.Count;
        var links = new List<LinkSpec>(network.Links);
        foreach (var gateway in gateways)
        {
            foreach (var side in gateway.Sides.Where(s => s.Network == network.Name))
            {
                var node = RoutedDevice.GatewayPrefix + gateway.Name;
                var offers = gateway.Sides.Where(s => s != side).SelectMany(s => s.Routes).Select(r => r.Prefix)
                    .Where(p => side.Addresses.Any(a => a.Address.IsIpv4 == p.IsIpv4))
                    .Distinct()
                    .ToList();
                devices.Add(new RoutedDevice(node, false, [new InterfaceSpec(side.Interface, side.Addresses, null)], [], []) { Offers = offers });
                links.Add(new LinkSpec(new Endpoint(node, side.Interface), side.Endpoint));
            }
        }
        var graph = new NeighbourGraph(devices) { RoutedCount = routed };
        var segments = new SegmentBuilder(network, links);
        var attachments = segments.Attach(devices);
        CheckUniqueAddresses(network, attachments);
        // A gateway side is a sink: routers send to it, it relays nothing of the network.
        graph.AddEdges(attachments.Where(a => a.Device >= 0), routed);
        return graph;
    }

    private static void CheckUniqueAddresses(SoftwareNetwork network, List<Attachment> attachments)
    {
        var owners = new Dictionary<(int Segment, IpAddress Address), Attachment>();
        foreach (var a in attachments)
        {
            if (!owners.TryAdd((a.Segment, a.Address.Address), a))
            {
                var first = owners[(a.Segment, a.Address.Address)];
                throw new ForwardingPlanException(network.Name, a.Node, a.Port,
                    $"address {a.Address.Address} is also claimed by {first.Node}:{first.Port} on the same segment");
            }
        }
    }

    /// <summary>
    /// One edge per device, port, neighbour and family: the neighbour's lowest address there, global before link-local.
    /// Only the first <paramref name="senders"/> devices (the routers and LSRs) have edges out.
    /// </summary>
    private void AddEdges(IEnumerable<Attachment> routed, int senders)
    {
        var best = new Dictionary<(int From, string Port, int To, bool Ipv4), IpAddress>();
        foreach (var segment in routed.GroupBy(a => a.Segment))
        {
            var members = segment.ToList();
            if (members.Select(a => a.Device).Distinct().Count() < 2) continue;
            foreach (var from in members)
            {
                foreach (var to in members)
                {
                    if (from.Device == to.Device || from.Device >= senders || !from.Address.Subnet.Contains(to.Address.Address)) continue;
                    var key = (from.Device, from.Port, to.Device, to.Address.Address.IsIpv4);
                    if (!best.TryGetValue(key, out var current) || Preferred(to.Address.Address, current)) best[key] = to.Address.Address;
                }
            }
        }
        foreach (var ((from, port, to, _), via) in best)
        {
            var family = via.IsIpv4 ? 0 : 1;
            _out[family][from].Add(new NeighbourEdge(to, port, via));
            _in[family][to].Add(from);
        }
        foreach (var edges in _out.SelectMany(family => family))
            edges.Sort(IpOrder.Compare);
    }

    private static bool Preferred(IpAddress candidate, IpAddress current) =>
        IpOrder.IsLinkLocal(candidate) != IpOrder.IsLinkLocal(current) ? IpOrder.IsLinkLocal(current) : IpOrder.Compare(candidate, current) < 0;

    private static List<T>[] NewLists<T>(int count) => [.. Enumerable.Range(0, count).Select(_ => new List<T>())];

    /// <summary>An address of a port on an L2 segment; <see cref="Device"/> is the routed device's index, or -1 for a host.</summary>
    private readonly record struct Attachment(int Segment, int Device, string Node, string Port, InterfaceAddress Address);

    /// <summary>Union-find over routed interfaces, hosts and per-VLAN switch bridges, joined by links.</summary>
    private sealed class SegmentBuilder
    {
        private const int Untagged = 0;

        private readonly SoftwareNetwork _network;
        private readonly IReadOnlyList<LinkSpec> _links;
        private readonly List<int> _parent = [];
        private readonly Dictionary<(string Node, string Port), int> _ports = [];
        private readonly Dictionary<(string Node, string Port), SwitchPortSpec> _switchPorts = [];
        private readonly Dictionary<(string Switch, int Vlan), int> _bridges = [];

        public SegmentBuilder(SoftwareNetwork network, IReadOnlyList<LinkSpec> links)
        {
            _network = network;
            _links = links;
            var names = new HashSet<string>();
            foreach (var name in network.Devices.Select(d => d.Name).Concat(network.Hosts.Select(h => h.Name)))
                if (!names.Add(name)) throw new ForwardingPlanException(network.Name, name, null, "the name is used by two devices or hosts");
            foreach (var s in network.Devices.OfType<SwitchSpec>())
                foreach (var port in s.SwitchPorts) _switchPorts[(s.Name, port.Name)] = port;
        }

        /// <summary>Every address of every routed interface and host, with the segment it is on, in file order.</summary>
        public List<Attachment> Attach(IReadOnlyList<RoutedDevice> devices)
        {
            foreach (var device in devices)
                foreach (var i in device.Interfaces) _ports[(device.Name, i.Name)] = NewItem();
            foreach (var host in _network.Hosts) _ports[(host.Name, HostSpec.InterfaceName)] = NewItem();
            foreach (var link in _links) Join(link);

            var result = new List<Attachment>();
            for (var d = 0; d < devices.Count; d++)
                foreach (var i in devices[d].Interfaces)
                {
                    var segment = Find(_ports[(devices[d].Name, i.Name)]);
                    result.AddRange(i.Addresses.Select(a => new Attachment(segment, d, devices[d].Name, i.Name, a)));
                }
            foreach (var host in _network.Hosts)
            {
                var segment = Find(_ports[(host.Name, HostSpec.InterfaceName)]);
                result.AddRange(host.Addresses.Select(a => new Attachment(segment, -1, host.Name, HostSpec.InterfaceName, a)));
            }
            return result;
        }

        private void Join(LinkSpec link)
        {
            var a = new Dictionary<int, int>();
            foreach (var (channel, item) in Channels(link.A)) a[channel] = item;
            foreach (var (channel, item) in Channels(link.B))
                if (a.TryGetValue(channel, out var other)) Union(other, item);
        }

        /// <summary>What the port sends and takes on its link: (0, item) untagged, (v, bridge) tagged VLAN v.</summary>
        private IEnumerable<(int Channel, int Item)> Channels(Endpoint endpoint)
        {
            if (_ports.TryGetValue((endpoint.Node, endpoint.Port), out var item)) return [(Untagged, item)];
            if (!_switchPorts.TryGetValue((endpoint.Node, endpoint.Port), out var port))
                throw new ForwardingPlanException(_network.Name, endpoint.Node, endpoint.Port, "a link names this port, but the network has no such device, host or port");
            return port.TrunkVlans.Count > 0
                ? port.TrunkVlans.Select(v => (v, Bridge(endpoint.Node, v)))
                : [(Untagged, Bridge(endpoint.Node, port.AccessVlan ?? 1))];
        }

        private int Bridge(string name, int vlan)
        {
            if (!_bridges.TryGetValue((name, vlan), out var item)) _bridges[(name, vlan)] = item = NewItem();
            return item;
        }

        private int NewItem()
        {
            _parent.Add(_parent.Count);
            return _parent.Count - 1;
        }

        private int Find(int item)
        {
            while (_parent[item] != item) item = _parent[item] = _parent[_parent[item]];
            return item;
        }

        private void Union(int a, int b)
        {
            var (ra, rb) = (Find(a), Find(b));
            if (ra != rb) _parent[Math.Max(ra, rb)] = Math.Min(ra, rb);
        }
    }
}
