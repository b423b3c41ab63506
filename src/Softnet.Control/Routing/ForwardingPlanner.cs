using Softnet.Hypervisor.Forwarding;
using Softnet.Hypervisor.Topology;
using Softnet.Wire;

namespace Softnet.Control.Routing;

/// <summary>
/// Computes the forwarding state of every router, LSR and switch of a software network from its topology: a pure
/// function, the same plan for the same network.
/// <list type="bullet">
/// <item>Destinations are the subnets of all router, LSR, gateway side and host addresses (IPv6 link-local excepted),
/// and the prefixes the network's secure gateways offer it (see <see cref="Plan(SoftwareNetwork, IReadOnlyList{GatewaySpec})"/>).
/// A device with an address inside a destination is connected to it and gets no route for it.</item>
/// <item>Any other device gets a route along the hop-count shortest paths of the <see cref="NeighbourGraph"/>, with
/// every neighbour one hop closer as a next hop (ECMP); unreachable destinations get no route. A static route from the
/// file replaces the computed route to its prefix.</item>
/// <item>In an MPLS network every destination is a FEC with one label, the same on every LSR: the k-th label from
/// 1000 up for the k-th destination, skipping every label the file mentions. It is stable while the set of
/// destinations is, so a link failure changes only the bindings whose next hop moves. An LSR not connected to a FEC
/// binds its label towards its first next hop: swap when that is an LSR that is not connected to the FEC, pop
/// (penultimate-hop popping) when it is connected, or when it is a router. A router cannot take labelled packets, so
/// an LSP never transits one: the router forwards by IP and its own route pushes the FEC's label again towards a next
/// hop that is an LSR not connected to the FEC. LSRs route unlabelled packets by plain IP routes. LSPs follow the
/// computed paths even where a static route overrides an LSR's IP route.</item>
/// <item>Every switch gets a static MAC entry for every station its frames can reach from (hosts, router, LSR and
/// gateway ports), towards the station along a shortest L2 path (<see cref="MacPlanner"/>); it still learns the rest.</item>
/// </list>
/// The work is one breadth-first search per destination, so it grows with destinations × links, and one per station
/// over the switches.
/// </summary>
public static class ForwardingPlanner
{
    public const uint FirstComputedLabel = 1000;

    /// <summary>The plan of a network that no gateway joins, or whose gateways are left out.</summary>
    /// <exception cref="ForwardingPlanException">The network cannot be planned: a link names a missing port, two ports of
    /// a segment claim one address, or a static route or label binding has no usable next hop.</exception>
    public static NetworkPlan Plan(SoftwareNetwork network) => Plan(network, []);

    /// <summary>
    /// The plan of <paramref name="network"/> among the file's <paramref name="gateways"/>: each side of a gateway in
    /// the network is a neighbour at its endpoint and addresses, to which the routers route, along shortest paths, the
    /// destinations of the gateway's routes on its other sides (as senders address them: mapped, under NAT), unless
    /// the prefix is a subnet of the network itself. Only the sides are connected to an offered prefix, whatever
    /// addresses of the network lie inside it. A side relays nothing else of the network.
    /// </summary>
    /// <exception cref="ForwardingPlanException">As for <see cref="Plan(SoftwareNetwork)"/>; also when a side's
    /// endpoint is no free port of the network.</exception>
    public static NetworkPlan Plan(SoftwareNetwork network, IReadOnlyList<GatewaySpec> gateways)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(gateways);
        var graph = NeighbourGraph.Build(network, gateways);
        var devices = graph.Devices;
        var routed = graph.RoutedCount;
        var destinations = Destinations(network, devices, out var offers);
        var mpls = network.Architecture == NetworkArchitecture.Mpls;
        var labels = mpls ? FecLabels(network.Name, devices, destinations.Count) : [];

        var routes = devices.Select(_ => new List<PlannedRoute>()).ToArray();
        var bindings = devices.Select(_ => new List<PlannedLabel>()).ToArray();
        var addresses = devices.SelectMany((device, d) => device.Interfaces.SelectMany(i => i.Addresses).Select(a => (Device: d, a.Address))).ToArray();
        var distance = new int[devices.Count];
        var queue = new int[devices.Count];
        for (var k = 0; k < destinations.Count; k++)
        {
            var prefix = destinations[k];
            Distances(graph, offers.TryGetValue(prefix, out var offering) ? [] : addresses, offering ?? [], prefix, distance, queue);
            for (var d = 0; d < routed; d++)
            {
                if (distance[d] <= 0) continue;
                var edges = graph.Out(d, prefix.IsIpv4);
                var closer = 0;
                foreach (var edge in edges)
                    if (distance[edge.To] == distance[d] - 1) closer++;
                var hops = new PlannedNextHop[closer];
                var first = -1;
                closer = 0;
                foreach (var edge in edges)
                {
                    if (distance[edge.To] != distance[d] - 1) continue;
                    if (first < 0) first = edge.To;
                    var push = mpls && !devices[d].IsLsr && devices[edge.To].IsLsr && distance[edge.To] > 0 ? labels[k] : (MplsLabel?)null;
                    hops[closer++] = new PlannedNextHop(edge.Port, edge.Via, push);
                }
                routes[d].Add(new PlannedRoute(prefix, hops, RouteOrigin.Computed));
                if (mpls && devices[d].IsLsr)
                {
                    var (via, port) = (hops[0].Via, hops[0].Port);
                    bindings[d].Add(devices[first].IsLsr && distance[first] > 0
                        ? new PlannedLabel(labels[k], LabelAction.Swap, labels[k], via, port, RouteOrigin.Computed)
                        : new PlannedLabel(labels[k], LabelAction.Pop, null, via, port, RouteOrigin.Computed));
                }
            }
        }

        // Computed entries are already in order (destinations are sorted, and so are their labels); the file's are merged in.
        var plans = new DevicePlan[routed];
        for (var d = 0; d < routed; d++)
        {
            var device = devices[d];
            if (device.Routes.Count > 0)
            {
                var statics = StaticRoutes(network.Name, device);
                routes[d].RemoveAll(r => statics.ContainsKey(r.Prefix));
                routes[d].AddRange(statics.Values);
                routes[d].Sort((a, b) => a.Prefix.CompareTo(b.Prefix));
            }
            if (device.Labels.Count > 0)
            {
                bindings[d].AddRange(device.Labels.Select(b => StaticLabel(network.Name, device, b)));
                bindings[d].Sort((a, b) => a.In.CompareTo(b.In));
            }
            plans[d] = new DevicePlan(device.Name, routes[d], bindings[d]);
        }

        var macs = MacPlanner.Plan(network, gateways);
        var next = 0;
        var ordered = network.Devices
            .Select(d => d switch
            {
                RouterSpec or LsrSpec => plans[next++],
                SwitchSpec s => new DevicePlan(s.Name, [], []) { Macs = macs.GetValueOrDefault(s.Name) ?? [] },
                _ => null,
            })
            .OfType<DevicePlan>()
            .ToList();
        return new NetworkPlan(network.Name, ordered);
    }

    /// <summary>
    /// Every subnet of a routed, gateway or host address except IPv6 link-local ones, and every prefix a gateway side
    /// offers that is not one of them, sorted; <paramref name="offers"/> has the sides offering each such prefix.
    /// </summary>
    private static List<IpPrefix> Destinations(SoftwareNetwork network, IReadOnlyList<RoutedDevice> devices, out Dictionary<IpPrefix, List<int>> offers)
    {
        var subnets = devices.SelectMany(d => d.Interfaces).SelectMany(i => i.Addresses)
            .Concat(network.Hosts.SelectMany(h => h.Addresses))
            .Select(a => a.Subnet)
            .Where(p => !IpOrder.IsLinkLocal(p))
            .ToHashSet();
        offers = [];
        for (var d = 0; d < devices.Count; d++)
        {
            foreach (var prefix in devices[d].Offers)
            {
                if (subnets.Contains(prefix)) continue;
                if (!offers.TryGetValue(prefix, out var sides)) offers[prefix] = sides = [];
                sides.Add(d);
            }
        }
        var sorted = subnets.Concat(offers.Keys).ToList();
        sorted.Sort();
        return sorted;
    }

    /// <summary>
    /// Hops from each device to <paramref name="prefix"/>: 0 when it has one of <paramref name="addresses"/> inside it or
    /// is one of the gateway sides <paramref name="offering"/> it, -1 when unreachable.
    /// </summary>
    private static void Distances(NeighbourGraph graph, (int Device, IpAddress Address)[] addresses, List<int> offering, IpPrefix prefix, int[] distance, int[] queue)
    {
        var (head, tail) = (0, 0);
        Array.Fill(distance, -1);
        foreach (var d in offering)
        {
            distance[d] = 0;
            queue[tail++] = d;
        }
        foreach (var (d, address) in addresses)
        {
            if (distance[d] == 0 || !prefix.Contains(address)) continue;
            distance[d] = 0;
            queue[tail++] = d;
        }
        while (head < tail)
        {
            var n = queue[head++];
            foreach (var d in graph.In(n, prefix.IsIpv4))
            {
                if (distance[d] >= 0) continue;
                distance[d] = distance[n] + 1;
                queue[tail++] = d;
            }
        }
    }

    /// <summary>The label of each destination index: free labels from <see cref="FirstComputedLabel"/> up, in order.</summary>
    private static MplsLabel[] FecLabels(string network, IReadOnlyList<RoutedDevice> devices, int count)
    {
        var used = new HashSet<uint>();
        foreach (var device in devices)
        {
            foreach (var binding in device.Labels)
            {
                used.Add(binding.In.Value);
                if (binding.Out is { } label) used.Add(label.Value);
            }
            foreach (var label in device.Routes.SelectMany(r => r.PushLabels)) used.Add(label.Value);
        }
        var result = new MplsLabel[count];
        var next = FirstComputedLabel;
        for (var k = 0; k < count; k++)
        {
            while (used.Contains(next)) next++;
            if (next > MplsLabel.MaxValue)
                throw new ForwardingPlanException(network, null, null, $"{count} FECs need more labels than MPLS has above {FirstComputedLabel}");
            result[k] = new MplsLabel(next++);
        }
        return result;
    }

    /// <summary>The file's routes of <paramref name="device"/>, several routes to one prefix merged into one ECMP route.</summary>
    private static Dictionary<IpPrefix, PlannedRoute> StaticRoutes(string network, RoutedDevice device)
    {
        var result = new Dictionary<IpPrefix, PlannedRoute>();
        foreach (var group in device.Routes.GroupBy(r => r.Prefix))
        {
            var hops = group.Select(r => StaticHop(network, device, r)).Distinct().ToList();
            hops.Sort(IpOrder.Compare);
            result[group.Key] = new PlannedRoute(group.Key, hops, RouteOrigin.Static);
        }
        return result;
    }

    private static PlannedNextHop StaticHop(string network, RoutedDevice device, StaticRoute route)
    {
        var what = $"static route {route.Prefix} via {route.Via}";
        if (route.Prefix.IsIpv4 != route.Via.IsIpv4) throw new ForwardingPlanException(network, device.Name, route.Port, $"{what}: the next hop is of the other address family");
        if (route.PushLabels.Count > 1)
            throw new ForwardingPlanException(network, device.Name, route.Port, $"{what} pushes {route.PushLabels.Count} labels; the data plane imposes one");
        var port = PortTowards(network, device, route.Port, route.Via, what);
        return new PlannedNextHop(port, route.Via, route.PushLabels.Count == 1 ? route.PushLabels[0] : null);
    }

    private static PlannedLabel StaticLabel(string network, RoutedDevice device, LabelBinding binding)
    {
        if (binding.Action == LabelAction.Lookup) return new PlannedLabel(binding.In, LabelAction.Lookup, null, null, null, RouteOrigin.Static);
        var what = $"label binding {binding.In}";
        if (binding.Via is not { } via) throw new ForwardingPlanException(network, device.Name, binding.Port, $"{what} has no next hop");
        if (binding.Action == LabelAction.Swap && binding.Out is null) throw new ForwardingPlanException(network, device.Name, binding.Port, $"{what} swaps to no label");
        var port = PortTowards(network, device, binding.Port, via, what);
        return new PlannedLabel(binding.In, binding.Action, binding.Action == LabelAction.Swap ? binding.Out : null, via, port, RouteOrigin.Static);
    }

    /// <summary><paramref name="port"/>, or the interface whose subnet holds <paramref name="via"/>; it must hold it either way.</summary>
    private static string PortTowards(string network, RoutedDevice device, string? port, IpAddress via, string what)
    {
        var candidates = device.Interfaces.Where(i => port is null || i.Name == port).ToList();
        if (port is not null && candidates.Count == 0) throw new ForwardingPlanException(network, device.Name, port, $"{what}: the device has no such interface");
        return candidates.FirstOrDefault(i => i.Addresses.Any(a => a.Subnet.Contains(via)))?.Name
            ?? throw new ForwardingPlanException(network, device.Name, port, $"{what}: the next hop is on no connected subnet");
    }
}
