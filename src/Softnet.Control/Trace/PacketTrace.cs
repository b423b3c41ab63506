using System.Buffers.Binary;
using Softnet.DataPlane;
using Softnet.Devices.Gateway;
using Softnet.Devices.Ip;
using Softnet.Hypervisor.Forwarding;
using Softnet.Hypervisor.Runtime;
using Softnet.Hypervisor.Topology;
using Softnet.Wire;
using DeviceLabelAction = Softnet.Devices.Mpls.LabelAction;

namespace Softnet.Control.Trace;

/// <summary>
/// Shows the path a packet would take through the devices of its network, and why, without sending it. The routers,
/// LSRs and secure gateways on the way are the real devices (<see cref="DeviceFactory"/>, with the plan installed by
/// <see cref="PlanInstaller"/>), and every decision is their own lookup: the FIB entry that matched (with its prefix and
/// where it came from: computed, static, connected, local), the next hop ECMP picks with the data plane's flow hash,
/// the labels pushed, swapped and popped by the label table, and at a gateway the policy rule that admits the packet
/// (or the default deny), the NAT rewrites and the direction's rate limit, asked of the gateway's own policy. Hosts
/// send to a connected destination directly and to anything else through their first gateway of the family, as the
/// hypervisor configures them. Switches carry the frame, VLAN by VLAN, to the port owning the next-hop address.
/// </summary>
public static class PacketTrace
{
    /// <summary>The source port of a traced TCP or UDP packet, which the flow hash reads: the first dynamic port.</summary>
    public const ushort SourcePort = 49152;

    /// <summary>The TTL (hop limit) a traced packet leaves its host with.</summary>
    public const int InitialTtl = 64;

    /// <summary>A trace within one network: a path that reaches a port facing a gateway ends there, unreachable.</summary>
    /// <param name="destinationPort">For TCP and UDP, the destination port the flow hash reads (0 when not given).</param>
    /// <exception cref="ArgumentException">The plan is of another network or for a device the network lacks, or the network has no such host.</exception>
    public static TraceResult Run(SoftwareNetwork network, NetworkPlan plan, string fromHost, IpAddress destination, TraceProtocol protocol, ushort? destinationPort = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(fromHost);
        return Run(new TopologyFile(network.Name, [network]), new Dictionary<string, NetworkPlan> { [network.Name] = plan }, network.Name, fromHost, destination, protocol, destinationPort);
    }

    /// <summary>
    /// A trace over the whole system: when the path reaches a side of one of the file's secure gateways, it enters the
    /// gateway (one hop, named after it, whose decision names the rule that admits the packet, the NAT rewrites, the
    /// route and side it leaves by and the direction's limit; or the default deny that drops it) and goes on in the
    /// network of the side it leaves by, from that side, with that network's plan and the translated addresses. Hops
    /// in a network other than <paramref name="network"/> are named <c>network/node</c>.
    /// </summary>
    /// <param name="plans">The plan of every network of <paramref name="topology"/>, by name.</param>
    /// <exception cref="ArgumentException">No such network or host, a network without a plan, or a plan of another
    /// network or for a device its network lacks.</exception>
    public static TraceResult Run(
        TopologyFile topology, IReadOnlyDictionary<string, NetworkPlan> plans, string network, string fromHost, IpAddress destination, TraceProtocol protocol, ushort? destinationPort = null)
    {
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(plans);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(fromHost);
        foreach (var n in topology.Networks)
        {
            if (!plans.TryGetValue(n.Name, out var plan)) throw new ArgumentException($"There is no plan for network '{n.Name}'.", nameof(plans));
            if (plan.Network != n.Name) throw new ArgumentException($"The plan is of network '{plan.Network}', not '{n.Name}'.", nameof(plans));
            var planned = n.Devices.Where(d => d is RouterSpec or LsrSpec or SwitchSpec).Select(d => d.Name).ToHashSet();
            if (plan.Devices.FirstOrDefault(d => !planned.Contains(d.Device)) is { } stray)
                throw new ArgumentException($"The plan is for device '{stray.Device}', which is no router, LSR or switch of network '{n.Name}'.", nameof(plans));
        }
        var start = topology.Networks.FirstOrDefault(n => n.Name == network)
            ?? throw new ArgumentException($"There is no network '{network}' (networks: {string.Join(", ", topology.Networks.Select(n => n.Name))}).", nameof(network));
        var host = start.Hosts.FirstOrDefault(h => h.Name == fromHost)
            ?? throw new ArgumentException($"Network '{start.Name}' has no host '{fromHost}' (hosts: {string.Join(", ", start.Hosts.Select(h => h.Name))}).", nameof(fromHost));
        return new Walk(topology, plans, start, destination, protocol, destinationPort ?? 0).From(host);
    }

    /// <summary>One trace: the devices built so far, the hops so far and the packet's state (network, addresses, labels, TTL, flow hash).</summary>
    private sealed class Walk(TopologyFile topology, IReadOnlyDictionary<string, NetworkPlan> plans, SoftwareNetwork start, IpAddress destination, TraceProtocol protocol, ushort destinationPort)
    {
        private readonly PacketPool _pool = new(16);
        private readonly Dictionary<string, L2Segments> _segments = [];
        private readonly Dictionary<string, IpDevice> _devices = [];
        private readonly Dictionary<string, SecureGateway> _gateways = [];
        private readonly List<TraceHop> _hops = [];
        private readonly HashSet<string> _seen = [];
        private readonly Stack<MplsLabel> _labels = new();
        private readonly string _start = start.Name;
        private SoftwareNetwork _network = start;
        private NetworkPlan _plan = plans[start.Name];
        private IpAddress _source;
        private uint _flowHash;
        private int _ttl = InitialTtl;

        private string Family => destination.IsIpv4 ? "IPv4" : "IPv6";

        private L2Segments Segments =>
            _segments.TryGetValue(_network.Name, out var segments) ? segments : _segments[_network.Name] = new L2Segments(_network, topology.Gateways);

        /// <summary>A node as hops show it: its name in the network the trace starts in, <c>network/name</c> in another.</summary>
        private string Node(string name) => _network.Name == _start ? name : $"{_network.Name}/{name}";

        public TraceResult From(HostSpec host)
        {
            var sources = host.Addresses.Where(a => a.Address.IsIpv4 == destination.IsIpv4).ToList();
            if (sources.Count == 0)
                return Stop(host.Name, null, TraceOutcome.NoRoute, [], $"{host.Name} has no {Family} address to send from", $"no route to {destination} at {host.Name}");
            _source = sources[0].Address;
            _flowHash = Hash();
            if (sources.Any(a => a.Address == destination))
                return Stop(host.Name, null, TraceOutcome.Delivered, [], $"{destination} is {host.Name}'s own address", $"delivered to {host.Name} ({destination})");

            string decision;
            var nextHop = destination;
            if (sources.Where(a => a.Subnet.Contains(destination)).Select(a => (IpPrefix?)a.Subnet).FirstOrDefault() is { } subnet)
                decision = $"{subnet} connected on {HostSpec.InterfaceName}";
            else if (destination.V6 is { IsLinkLocal: true })
                decision = $"fe80::/64 link-local on {HostSpec.InterfaceName}";
            else if (host.Gateways.Where(g => g.IsIpv4 == destination.IsIpv4).Select(g => (IpAddress?)g).FirstOrDefault() is { } gateway)
            {
                nextHop = gateway;
                decision = $"default route via {gateway} port {HostSpec.InterfaceName} (gateway)";
            }
            else
            {
                return Stop(host.Name, null, TraceOutcome.NoRoute, [],
                    $"no route to {destination}: no connected subnet holds it and {host.Name} has no {Family} gateway", $"no route to {destination} at {host.Name}");
            }
            _hops.Add(new TraceHop(host.Name, null, HostSpec.InterfaceName, decision));
            return Send(new Endpoint(host.Name, HostSpec.InterfaceName), nextHop);
        }

        /// <summary>Carries the packet from <paramref name="from"/> across its segment to the port owning <paramref name="nextHop"/>.</summary>
        private TraceResult Send(Endpoint from, IpAddress nextHop)
        {
            if (Segments.Find(from, nextHop) is not var (switches, owner))
            {
                var what = nextHop == destination ? $"{destination}" : $"next hop {nextHop}";
                var sender = L2Segments.GatewayOf(from.Node) ?? from.Node;
                return End(TraceOutcome.Unreachable, $"{what} unreachable: nothing on the segment of {sender}-{from.Port} has that address");
            }
            foreach (var crossing in switches)
                _hops.Add(new TraceHop(Node(crossing.Switch), crossing.InPort, crossing.OutPort, $"L2 VLAN {crossing.Vlan}: towards {nextHop} at {Owner(owner)}"));
            if (L2Segments.GatewayOf(owner.Node) is { } gateway) return Cross(topology.Gateways.First(g => g.Name == gateway), owner.Port);
            return _network.Hosts.FirstOrDefault(h => h.Name == owner.Node) is { } host ? Arrive(host, owner.Port) : Route(owner.Node, owner.Port);
        }

        private static string Owner(Endpoint owner) => L2Segments.GatewayOf(owner.Node) is { } gateway ? $"{gateway}:{owner.Port}" : owner.ToString();

        private TraceResult Arrive(HostSpec host, string port)
        {
            var name = Node(host.Name);
            if (_labels.Count > 0)
                return Stop(name, port, TraceOutcome.Dropped, [], $"labelled frame ({Labels()}): a host takes no MPLS", $"dropped at {name}: labelled frame");
            if (host.Addresses.Any(a => a.Address == destination))
                return Stop(name, port, TraceOutcome.Delivered, [], $"{destination} is {host.Name}'s address", $"delivered to {name} ({destination})");
            return Stop(name, port, TraceOutcome.Dropped, [], $"{destination} is not {host.Name}'s address, and a host does not forward", $"dropped at {name}: a host does not forward");
        }

        /// <summary>What router or LSR <paramref name="device"/> does with the packet: its label table first, then its FIB.</summary>
        private TraceResult Route(string device, string inPort)
        {
            var name = Node(device);
            if (!_seen.Add($"{_network.Name}/{device} {Labels()}"))
                return Stop(name, inPort, TraceOutcome.Loop, [], $"{device} again with the same packet: forwarding loop", $"forwarding loop at {name}");
            var ip = Device(device);
            var steps = new List<string>();
            while (_labels.TryPeek(out var top))
            {
                if (ip.Labels is not { } table)
                    return Stop(name, inPort, TraceOutcome.Dropped, steps, $"label {top}: a {ip.Kind} takes no MPLS", $"dropped at {name}: labelled frame at a {ip.Kind}");
                if (table.Lookup(top) is not { } binding)
                    return Stop(name, inPort, TraceOutcome.Dropped, steps, $"label {top}: no binding", $"dropped at {name}: no binding for label {top}");
                _labels.Pop();
                if (binding.Action == DeviceLabelAction.PopAndLookup)
                {
                    steps.Add($"label {top} pop, look up beneath");
                    continue;
                }
                var adjacency = binding.Adjacency!;
                var via = $"via {Address(adjacency)} port {ip.PortAt(adjacency.Port).Name}";
                if (binding.Action == DeviceLabelAction.Swap)
                {
                    _labels.Push(binding.Outgoing);
                    steps.Add($"label {top} swap {binding.Outgoing} {via}");
                }
                else steps.Add($"label {top} pop {via} (penultimate hop)");
                return Forward(name, inPort, ip, device, adjacency.Port, Address(adjacency), steps);
            }

            if (!Lookup(ip, device, name, inPort, steps, out var port, out var nextHop, out var stopped)) return stopped!;
            return Forward(name, inPort, ip, device, port, nextHop, steps);
        }

        /// <summary>
        /// The FIB decision of <paramref name="ip"/> for the destination, added to <paramref name="steps"/>: true with the
        /// port and next hop it forwards to, or false with the trace's end (no route, local delivery, a null or reject route).
        /// </summary>
        private bool Lookup(IpDevice ip, string? device, string name, string inPort, List<string> steps, out int port, out IpAddress nextHop, out TraceResult? stopped)
        {
            (port, nextHop, stopped) = (-1, destination, null);
            var stack = ip.Stack;
            var entry = destination.V4 is { } d4 ? stack.Lookup(d4) : stack.Lookup(destination.V6!.Value);
            var prefix = Matched(stack);
            var owner = device ?? ip.Name;
            switch (entry?.Kind)
            {
                case null:
                    stopped = Stop(name, inPort, TraceOutcome.NoRoute, steps, $"no route to {destination}", $"no route to {destination} at {name}");
                    return false;
                case ForwardingKind.Local:
                    stopped = Stop(name, inPort, TraceOutcome.Delivered, steps, $"{prefix} (local): {destination} is {owner}'s own address", $"delivered to {name} ({destination})");
                    return false;
                case ForwardingKind.Glean:
                    steps.Add($"{prefix} ({Origin(device, prefix, "connected")}) on {ip.PortAt(entry.Port).Name}");
                    port = entry.Port;
                    return true;
                case ForwardingKind.Forward:
                    var chosen = entry.Select(_flowHash);
                    var line = $"{prefix} ({Origin(device, prefix, "configured")}) {Hop(ip, chosen)}";
                    if (entry.Adjacencies.Length > 1)
                        line += $", picked by flow hash among ECMP {string.Join(" | ", entry.Adjacencies.OrderBy(a => a.Port).ThenBy(a => a.Address).Select(a => Hop(ip, a)))}";
                    steps.Add(line);
                    if (chosen.PushLabel is { } push) _labels.Push(push);
                    (port, nextHop) = (chosen.Port, Address(chosen));
                    return true;
                case ForwardingKind.Blackhole:
                    stopped = Stop(name, inPort, TraceOutcome.Dropped, steps, $"{prefix} ({Origin(device, prefix, "configured")}): null route", $"dropped at {name}: null route {prefix}");
                    return false;
                default:
                    stopped = Stop(name, inPort, TraceOutcome.Dropped, steps, $"{prefix} ({Origin(device, prefix, "configured")}): reject route", $"dropped at {name}: reject route {prefix}");
                    return false;
            }
        }

        /// <summary>
        /// What secure gateway <paramref name="spec"/> does with the packet entering by its side <paramref name="inPort"/>:
        /// its route, then its policy (the rule that admits the packet, or the default deny), its NAT and the
        /// direction's limit; the packet then goes on in the network of the side it leaves by.
        /// </summary>
        private TraceResult Cross(GatewaySpec spec, string inPort)
        {
            var name = spec.Name;
            var from = _network.Name;
            if (_labels.Count > 0)
                return Stop(name, inPort, TraceOutcome.Dropped, [], $"labelled frame ({Labels()}): a gateway takes no MPLS", $"dropped at {name}: labelled frame at a gateway");
            if (!_seen.Add($"gateway {name} {from}"))
                return Stop(name, inPort, TraceOutcome.Loop, [], $"{name} again from {from}: forwarding loop", $"forwarding loop at {name}");
            var gateway = Gateway(spec);
            var steps = new List<string>();
            if (!Lookup(gateway, null, name, inPort, steps, out var port, out var nextHop, out var stopped)) return stopped!;
            var outPort = gateway.PortAt(port).Name;
            var to = gateway.SideOf(outPort)!;
            steps[^1] += $" to {to}";

            var transport = Transport();
            var (sourcePort, toPort) = protocol == TraceProtocol.Icmp ? ((ushort)0, (ushort)0) : (SourcePort, destinationPort);
            var rule = _source.V4 is { } s4
                ? gateway.RuleFor(from, to, transport, s4, destination.V4!.Value, sourcePort, toPort)
                : gateway.RuleFor(from, to, transport, _source.V6!.Value, destination.V6!.Value, sourcePort, toPort);
            var real = destination.V4 is { } d4 ? IpAddress.From(gateway.RealAddress(to, d4)) : IpAddress.From(gateway.RealAddress(to, destination.V6!.Value));
            var mapped = _source.V4 is { } a4 ? IpAddress.From(gateway.MappedAddress(from, a4)) : IpAddress.From(gateway.MappedAddress(from, _source.V6!.Value));
            if (rule < 0)
            {
                var toPortText = protocol == TraceProtocol.Icmp ? "" : $" port {destinationPort}";
                return Stop(name, inPort, TraceOutcome.Dropped, steps,
                    $"default deny: no rule admits {from} -> {to} {Protocol()} {_source} -> {real}{toPortText}", $"dropped at {name}: default deny {from} -> {to}");
            }
            steps.Add($"rule {rule + 1}: {Describe(spec.Rules[rule])}");
            if (real != destination) steps.Add($"destination NAT {destination} -> {real}");
            if (mapped != _source) steps.Add($"source NAT {_source} -> {mapped}");
            steps.Add(spec.Limits.FirstOrDefault(l => l.From == from && l.To == to) is { } limit ? $"limit {Describe(limit)}" : $"no limit {from} -> {to}");
            if (_ttl <= 1) return Stop(name, inPort, TraceOutcome.Loop, steps, "TTL expired", $"TTL expired at {name} after {InitialTtl - 1} routed hops");
            _ttl--;
            _hops.Add(new TraceHop(name, inPort, outPort, string.Join("; ", steps)));

            if (nextHop == destination) nextHop = real;
            (destination, _source) = (real, mapped);
            _network = topology[to];
            _plan = plans[to];
            _flowHash = Hash();
            return Send(new Endpoint(L2Segments.GatewayNode(name), outPort), nextHop);
        }

        private TraceResult Forward(string name, string inPort, IpDevice ip, string device, int port, IpAddress nextHop, List<string> steps)
        {
            if (_ttl <= 1) return Stop(name, inPort, TraceOutcome.Loop, steps, "TTL expired", $"TTL expired at {name} after {InitialTtl - 1} routed hops");
            _ttl--;
            var outPort = ip.PortAt(port).Name;
            _hops.Add(new TraceHop(name, inPort, outPort, string.Join("; ", steps)));
            return Send(new Endpoint(device, outPort), nextHop);
        }

        private TraceResult Stop(string node, string? inPort, TraceOutcome outcome, List<string> steps, string last, string summary)
        {
            steps.Add(last);
            _hops.Add(new TraceHop(node, inPort, null, string.Join("; ", steps)));
            return End(outcome, summary);
        }

        private TraceResult End(TraceOutcome outcome, string summary) =>
            new([.. _hops], outcome, $"{string.Join(" -> ", _hops.Select(h => h.Node))}: {summary}");

        /// <summary>The router or LSR as the node would run it: built from its spec, with its plan installed.</summary>
        private IpDevice Device(string name)
        {
            var key = $"{_network.Name}/{name}";
            if (_devices.TryGetValue(key, out var device)) return device;
            device = (IpDevice)DeviceFactory.Create(_network, _network.Devices.First(d => d.Name == name), _pool);
            if (_plan.Devices.FirstOrDefault(d => d.Device == name) is { } devicePlan) PlanInstaller.Install(device, devicePlan);
            _devices.Add(key, device);
            return device;
        }

        /// <summary>The gateway as the node would run it.</summary>
        private SecureGateway Gateway(GatewaySpec spec)
        {
            if (!_gateways.TryGetValue(spec.Name, out var gateway)) _gateways[spec.Name] = gateway = DeviceFactory.CreateGateway(spec, _pool);
            return gateway;
        }

        /// <summary>The longest FIB prefix holding the destination: the one the lookup matched.</summary>
        private IpPrefix? Matched(IpStack stack)
        {
            if (destination.V4 is { } d4)
            {
                var routes = stack.Fib4.Routes.Where(r => r.Prefix.Contains(d4)).ToList();
                return routes.Count == 0 ? null : IpPrefix.From(routes.MaxBy(r => r.Prefix.Length).Prefix);
            }
            var d6 = destination.V6!.Value;
            var routes6 = stack.Fib6.Routes.Where(r => r.Prefix.Contains(d6)).ToList();
            return routes6.Count == 0 ? null : IpPrefix.From(routes6.MaxBy(r => r.Prefix.Length).Prefix);
        }

        /// <summary>
        /// Where the route for <paramref name="prefix"/> came from: the plan's origin when it has one, else
        /// <paramref name="otherwise"/>; a gateway's routes (<paramref name="device"/> null) are the file's.
        /// </summary>
        private string Origin(string? device, IpPrefix? prefix, string otherwise)
        {
            if (device is null) return otherwise == "connected" ? otherwise : "static";
            return _plan.Devices.FirstOrDefault(d => d.Device == device)?.Routes.FirstOrDefault(r => r.Prefix == prefix) is { } route
                ? route.Origin.ToString().ToLowerInvariant()
                : otherwise;
        }

        private string Labels() => string.Join(' ', _labels);

        private string Protocol() => protocol.ToString().ToLowerInvariant();

        /// <summary><c>red -> blue tcp 10.0.1.0/24 -> 10.0.2.10/32 port 80</c>.</summary>
        private static string Describe(GatewayRuleSpec rule) =>
            $"{rule.From} -> {rule.To} {rule.Protocol.ToString().ToLowerInvariant()} {rule.Source?.ToString() ?? "any"} -> {rule.Destination?.ToString() ?? "any"}"
            + (rule.Ports is { } ports ? $" port {ports}" : "");

        /// <summary><c>red -> blue 10000 packets/s, 100000000 bits/s, burst 10 ms</c>.</summary>
        private static string Describe(GatewayLimitSpec limit)
        {
            var rates = new[] { limit.PacketsPerSecond is { } p ? $"{p} packets/s" : null, limit.BitsPerSecond is { } b ? $"{b} bits/s" : null }.OfType<string>();
            return $"{limit.From} -> {limit.To} {string.Join(", ", rates)}, burst {limit.Burst.TotalMilliseconds} ms";
        }

        private static string Hop(IpDevice device, Adjacency adjacency) =>
            $"via {Address(adjacency)} port {device.PortAt(adjacency.Port).Name}{(adjacency.PushLabel is { } label ? $" push {label}" : "")}";

        private static IpAddress Address(Adjacency adjacency) =>
            adjacency.Family == IpFamily.Ipv4 ? IpAddress.From(new Ipv4Address((uint)adjacency.Address)) : IpAddress.From(new Ipv6Address(adjacency.Address));

        private byte Transport() => protocol switch
        {
            TraceProtocol.Tcp => IpProtocol.Tcp,
            TraceProtocol.Udp => IpProtocol.Udp,
            _ => destination.IsIpv4 ? IpProtocol.Icmp : IpProtocol.Icmpv6,
        };

        /// <summary>The data plane's flow hash of the traced packet as it is now (addresses translated by the gateways it crossed).</summary>
        private uint Hash()
        {
            var transport = Transport();
            const int payloadLength = 8;
            var packet = new byte[Ipv6Packet.HeaderLength + payloadLength];
            var header = destination.IsIpv4 ? Ipv4Packet.MinHeaderLength : Ipv6Packet.HeaderLength;
            if (transport is IpProtocol.Tcp or IpProtocol.Udp)
            {
                BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(header), SourcePort);
                BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(header + 2), destinationPort);
            }
            if (destination.V4 is { } d4)
            {
                var ip = new Ipv4Repr(_source.V4!.Value, d4, transport, payloadLength);
                ip.Emit(Ipv4Packet.CreateUnchecked(packet));
                return FlowHash.Ipv4(Ipv4Packet.CreateUnchecked(packet.AsSpan(0, ip.BufferLength)));
            }
            var ip6 = new Ipv6Repr(_source.V6!.Value, destination.V6!.Value, transport, payloadLength);
            ip6.Emit(Ipv6Packet.CreateUnchecked(packet));
            return FlowHash.Ipv6(Ipv6Packet.CreateUnchecked(packet));
        }
    }
}
