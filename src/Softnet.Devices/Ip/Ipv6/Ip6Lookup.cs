using Softnet.DataPlane;
using Softnet.Wire;

namespace Softnet.Devices.Ip.Ipv6;

/// <summary>
/// Longest-prefix match of the destination in the IPv6 FIB. Link-scope multicast the device listens to (all nodes,
/// all routers on a router, its solicited-node groups) and its link-local address on the arrival port are local;
/// link-local traffic is never forwarded off its link (RFC 4291 section 2.5.6). The whole vector is looked up at
/// once, so that the FIB's cache misses overlap.
/// </summary>
public sealed class Ip6Lookup(IpStack stack)
    : Element("ip6-lookup", ["rewrite", "local", "no-route", "reject"], ["blackhole", "not-forwarding", "multicast", "link-local-scope"])
{
    public const int Rewrite = 0, Local = 1, NoRoute = 2, Reject = 3;
    private const int Blackhole = 0, NotForwarding = 1, Multicast = 2, LinkLocalScope = 3;

    protected override void Process(ReadOnlySpan<int> packets)
    {
        var pool = Pool;
        Span<UInt128> destinations = stackalloc UInt128[packets.Length];
        Span<ushort> results = stackalloc ushort[packets.Length];
        for (var i = 0; i < packets.Length; i++)
        {
            var packet = packets[i];
            destinations[i] = Ipv6Packet.CreateUnchecked(pool.Data(packet)[pool.Meta(packet).L3Offset..]).Destination.Value;
        }
        stack.Fib6.Lookup(destinations, results);
        for (var i = 0; i < packets.Length; i++)
        {
            var packet = packets[i];
            var verdict = Decide(pool, packet, results[i]);
            if (verdict >= 0) Emit(verdict, packet);
            else Drop(-1 - verdict, packet);
        }
    }

    /// <summary>The output for the packet, or -1 - a drop reason.</summary>
    private int Decide(PacketPool pool, int packet, ushort result)
    {
        ref var meta = ref pool.Meta(packet);
        var ip = Ipv6Packet.CreateUnchecked(pool.Data(packet)[meta.L3Offset..]);
        var destination = ip.Destination;
        var locallyOriginated = (meta.Flags & PacketFlags.LocallyOriginated) != 0;
        if (destination.IsMulticast)
        {
            if (locallyOriginated) return DropWith(Multicast);
            return Listens(meta.InputPort, destination) ? Local : DropWith(Multicast);
        }
        if (destination.IsLinkLocal)
        {
            if (stack.Interface(meta.InputPort).LinkLocal == destination) return Local;
            return locallyOriginated ? Glean(ref meta, meta.InputPort) : DropWith(LinkLocalScope);
        }
        if (ip.Source.IsLinkLocal && !locallyOriginated) return stack.Interface(meta.InputPort).Owns(destination) ? Local : DropWith(LinkLocalScope);

        var entry = stack.Entry(result);
        if (entry is { Kind: ForwardingKind.Local }) return Local;
        if (!stack.Forwarding && !locallyOriginated) return DropWith(NotForwarding);
        if (entry is null) return NoRoute;
        switch (entry.Kind)
        {
            case ForwardingKind.Forward:
                var adjacencies = entry.Adjacencies;
                var adjacency = adjacencies.Length == 1 ? adjacencies[0] : entry.Select(FlowHash.Ipv6(ip));
                meta.NextHop = adjacency.Id;
                meta.OutputPort = adjacency.Port;
                return Rewrite;
            case ForwardingKind.Glean:
                return Glean(ref meta, entry.Port);
            case ForwardingKind.Reject:
                return Reject;
            default:
                return DropWith(Blackhole);
        }
    }

    private static int DropWith(int reason) => -1 - reason;

    /// <summary>The destination is a neighbour on <paramref name="port"/>, to be resolved by the rewrite.</summary>
    private static int Glean(ref PacketMeta meta, int port)
    {
        meta.NextHop = -1;
        meta.OutputPort = port;
        return Rewrite;
    }

    private bool Listens(int port, Ipv6Address group) =>
        group == Ipv6Address.AllNodes || (stack.Forwarding && group == Ipv6Address.AllRouters) || stack.Interface(port).IsSolicitedNodeGroup(group);
}
