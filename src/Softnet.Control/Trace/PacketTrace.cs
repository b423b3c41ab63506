using System.Buffers.Binary;
using Softnet.DataPlane;
using Softnet.Devices.Ip;
using Softnet.Hypervisor.Forwarding;
using Softnet.Hypervisor.Runtime;
using Softnet.Hypervisor.Topology;
using Softnet.Wire;
using DeviceLabelAction = Softnet.Devices.Mpls.LabelAction;

namespace Softnet.Control.Trace;

/// <summary>
/// Shows the path a packet would take through the devices of its network, and why, without sending it. The routers
/// and LSRs on the way are the real devices (<see cref="DeviceFactory"/>, with the plan installed by
/// <see cref="PlanInstaller"/>), and every decision is their own lookup: the FIB entry that matched (with its prefix and
/// where it came from: computed, static, connected, local), the next hop ECMP picks with the data plane's flow hash,
/// and the labels pushed, swapped and popped by the label table. Hosts send to a connected destination directly and
/// to anything else through their first gateway of the family, as the hypervisor configures them. Switches carry the
/// frame, VLAN by VLAN, to the port owning the next-hop address. Nothing here filters traffic yet (gateways are not
/// part of topologies), so no ACL is consulted.
/// </summary>
public static class PacketTrace
{
    /// <summary>The source port of a traced TCP or UDP packet, which the flow hash reads: the first dynamic port.</summary>
    public const ushort SourcePort = 49152;

    /// <summary>The TTL (hop limit) a traced packet leaves its host with.</summary>
    public const int InitialTtl = 64;

    /// <param name="destinationPort">For TCP and UDP, the destination port the flow hash reads (0 when not given).</param>
    /// <exception cref="ArgumentException">The plan is of another network or for a device the network lacks, or the network has no such host.</exception>
    public static TraceResult Run(SoftwareNetwork network, NetworkPlan plan, string fromHost, IpAddress destination, TraceProtocol protocol, ushort? destinationPort = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(fromHost);
        if (plan.Network != network.Name) throw new ArgumentException($"The plan is of network '{plan.Network}', not '{network.Name}'.", nameof(plan));
        var routed = network.Devices.Where(d => d is RouterSpec or LsrSpec).Select(d => d.Name).ToHashSet();
        if (plan.Devices.FirstOrDefault(d => !routed.Contains(d.Device)) is { } stray)
            throw new ArgumentException($"The plan is for device '{stray.Device}', which is no router or LSR of network '{network.Name}'.", nameof(plan));
        var host = network.Hosts.FirstOrDefault(h => h.Name == fromHost)
            ?? throw new ArgumentException($"Network '{network.Name}' has no host '{fromHost}' (hosts: {string.Join(", ", network.Hosts.Select(h => h.Name))}).", nameof(fromHost));
        return new Walk(network, plan, destination).From(host, protocol, destinationPort ?? 0);
    }

    /// <summary>One trace: the devices built so far, the hops so far and the packet's state (labels, TTL, flow hash).</summary>
    private sealed class Walk(SoftwareNetwork network, NetworkPlan plan, IpAddress destination)
    {
        private readonly PacketPool _pool = new(16);
        private readonly L2Segments _segments = new(network);
        private readonly Dictionary<string, IpDevice> _devices = [];
        private readonly List<TraceHop> _hops = [];
        private readonly HashSet<string> _seen = [];
        private readonly Stack<MplsLabel> _labels = new();
        private uint _flowHash;
        private int _ttl = InitialTtl;

        private string Family => destination.IsIpv4 ? "IPv4" : "IPv6";

        public TraceResult From(HostSpec host, TraceProtocol protocol, ushort destinationPort)
        {
            var sources = host.Addresses.Where(a => a.Address.IsIpv4 == destination.IsIpv4).ToList();
            if (sources.Count == 0)
                return Stop(host.Name, null, TraceOutcome.NoRoute, [], $"{host.Name} has no {Family} address to send from", $"no route to {destination} at {host.Name}");
            _flowHash = Hash(sources[0].Address, protocol, destinationPort);
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
            if (_segments.Find(from, nextHop) is not var (switches, owner))
            {
                var what = nextHop == destination ? $"{destination}" : $"next hop {nextHop}";
                return End(TraceOutcome.Unreachable, $"{what} unreachable: nothing on the segment of {from.Node}-{from.Port} has that address");
            }
            foreach (var crossing in switches)
                _hops.Add(new TraceHop(crossing.Switch, crossing.InPort, crossing.OutPort, $"L2 VLAN {crossing.Vlan}: towards {nextHop} at {owner}"));
            return network.Hosts.FirstOrDefault(h => h.Name == owner.Node) is { } host ? Arrive(host, owner.Port) : Route(owner.Node, owner.Port);
        }

        private TraceResult Arrive(HostSpec host, string port)
        {
            if (_labels.Count > 0)
                return Stop(host.Name, port, TraceOutcome.Dropped, [], $"labelled frame ({Labels()}): a host takes no MPLS", $"dropped at {host.Name}: labelled frame");
            if (host.Addresses.Any(a => a.Address == destination))
                return Stop(host.Name, port, TraceOutcome.Delivered, [], $"{destination} is {host.Name}'s address", $"delivered to {host.Name} ({destination})");
            return Stop(host.Name, port, TraceOutcome.Dropped, [], $"{destination} is not {host.Name}'s address, and a host does not forward", $"dropped at {host.Name}: a host does not forward");
        }

        /// <summary>What router or LSR <paramref name="name"/> does with the packet: its label table first, then its FIB.</summary>
        private TraceResult Route(string name, string inPort)
        {
            if (!_seen.Add($"{name} {Labels()}"))
                return Stop(name, inPort, TraceOutcome.Loop, [], $"{name} again with the same packet: forwarding loop", $"forwarding loop at {name}");
            var device = Device(name);
            var steps = new List<string>();
            while (_labels.TryPeek(out var top))
            {
                if (device.Labels is not { } table)
                    return Stop(name, inPort, TraceOutcome.Dropped, steps, $"label {top}: a {device.Kind} takes no MPLS", $"dropped at {name}: labelled frame at a {device.Kind}");
                if (table.Lookup(top) is not { } binding)
                    return Stop(name, inPort, TraceOutcome.Dropped, steps, $"label {top}: no binding", $"dropped at {name}: no binding for label {top}");
                _labels.Pop();
                if (binding.Action == DeviceLabelAction.PopAndLookup)
                {
                    steps.Add($"label {top} pop, look up beneath");
                    continue;
                }
                var adjacency = binding.Adjacency!;
                var via = $"via {Address(adjacency)} port {device.PortAt(adjacency.Port).Name}";
                if (binding.Action == DeviceLabelAction.Swap)
                {
                    _labels.Push(binding.Outgoing);
                    steps.Add($"label {top} swap {binding.Outgoing} {via}");
                }
                else steps.Add($"label {top} pop {via} (penultimate hop)");
                return Forward(name, inPort, device, adjacency.Port, Address(adjacency), steps);
            }

            var stack = device.Stack;
            var entry = destination.V4 is { } d4 ? stack.Lookup(d4) : stack.Lookup(destination.V6!.Value);
            var prefix = Matched(stack);
            switch (entry?.Kind)
            {
                case null:
                    return Stop(name, inPort, TraceOutcome.NoRoute, steps, $"no route to {destination}", $"no route to {destination} at {name}");
                case ForwardingKind.Local:
                    return Stop(name, inPort, TraceOutcome.Delivered, steps, $"{prefix} (local): {destination} is {name}'s own address", $"delivered to {name} ({destination})");
                case ForwardingKind.Glean:
                    steps.Add($"{prefix} ({Origin(name, prefix, "connected")}) on {device.PortAt(entry.Port).Name}");
                    return Forward(name, inPort, device, entry.Port, destination, steps);
                case ForwardingKind.Forward:
                    var chosen = entry.Select(_flowHash);
                    var line = $"{prefix} ({Origin(name, prefix, "configured")}) {Hop(device, chosen)}";
                    if (entry.Adjacencies.Length > 1)
                        line += $", picked by flow hash among ECMP {string.Join(" | ", entry.Adjacencies.OrderBy(a => a.Port).ThenBy(a => a.Address).Select(a => Hop(device, a)))}";
                    steps.Add(line);
                    if (chosen.PushLabel is { } push) _labels.Push(push);
                    return Forward(name, inPort, device, chosen.Port, Address(chosen), steps);
                case ForwardingKind.Blackhole:
                    return Stop(name, inPort, TraceOutcome.Dropped, steps, $"{prefix} ({Origin(name, prefix, "configured")}): null route", $"dropped at {name}: null route {prefix}");
                default:
                    return Stop(name, inPort, TraceOutcome.Dropped, steps, $"{prefix} ({Origin(name, prefix, "configured")}): reject route", $"dropped at {name}: reject route {prefix}");
            }
        }

        private TraceResult Forward(string name, string inPort, IpDevice device, int port, IpAddress nextHop, List<string> steps)
        {
            if (_ttl <= 1) return Stop(name, inPort, TraceOutcome.Loop, steps, "TTL expired", $"TTL expired at {name} after {InitialTtl - 1} routed hops");
            _ttl--;
            var outPort = device.PortAt(port).Name;
            _hops.Add(new TraceHop(name, inPort, outPort, string.Join("; ", steps)));
            return Send(new Endpoint(name, outPort), nextHop);
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
            if (_devices.TryGetValue(name, out var device)) return device;
            device = (IpDevice)DeviceFactory.Create(network, network.Devices.First(d => d.Name == name), _pool);
            if (plan.Devices.FirstOrDefault(d => d.Device == name) is { } devicePlan) PlanInstaller.Install(device, devicePlan);
            _devices.Add(name, device);
            return device;
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

        /// <summary>Where the route for <paramref name="prefix"/> came from: the plan's origin when it has one, else <paramref name="otherwise"/>.</summary>
        private string Origin(string device, IpPrefix? prefix, string otherwise) =>
            plan.Devices.FirstOrDefault(d => d.Device == device)?.Routes.FirstOrDefault(r => r.Prefix == prefix) is { } route
                ? route.Origin.ToString().ToLowerInvariant()
                : otherwise;

        private string Labels() => string.Join(' ', _labels);

        private static string Hop(IpDevice device, Adjacency adjacency) =>
            $"via {Address(adjacency)} port {device.PortAt(adjacency.Port).Name}{(adjacency.PushLabel is { } label ? $" push {label}" : "")}";

        private static IpAddress Address(Adjacency adjacency) =>
            adjacency.Family == IpFamily.Ipv4 ? IpAddress.From(new Ipv4Address((uint)adjacency.Address)) : IpAddress.From(new Ipv6Address(adjacency.Address));

        /// <summary>The data plane's flow hash of the traced packet, built as its host would send it.</summary>
        private uint Hash(IpAddress source, TraceProtocol protocol, ushort destinationPort)
        {
            var transport = protocol switch
            {
                TraceProtocol.Tcp => IpProtocol.Tcp,
                TraceProtocol.Udp => IpProtocol.Udp,
                _ => destination.IsIpv4 ? IpProtocol.Icmp : IpProtocol.Icmpv6,
            };
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
                var ip = new Ipv4Repr(source.V4!.Value, d4, transport, payloadLength);
                ip.Emit(Ipv4Packet.CreateUnchecked(packet));
                return FlowHash.Ipv4(Ipv4Packet.CreateUnchecked(packet.AsSpan(0, ip.BufferLength)));
            }
            var ip6 = new Ipv6Repr(source.V6!.Value, destination.V6!.Value, transport, payloadLength);
            ip6.Emit(Ipv6Packet.CreateUnchecked(packet));
            return FlowHash.Ipv6(Ipv6Packet.CreateUnchecked(packet));
        }
    }
}
