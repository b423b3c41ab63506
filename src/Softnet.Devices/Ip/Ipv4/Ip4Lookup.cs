using System.Buffers.Binary;
using Softnet.DataPlane;
using Softnet.Wire;

namespace Softnet.Devices.Ip.Ipv4;

/// <summary>
/// Longest-prefix match of the destination in the IPv4 FIB. Chooses what happens next: local delivery, an
/// adjacency (by flow hash when ECMP), resolution of a host on a connected subnet, or an ICMP error. The whole
/// vector is looked up at once, so that the FIB's cache misses overlap.
/// </summary>
public sealed class Ip4Lookup(IpStack stack) : Element("ip4-lookup", ["rewrite", "local", "no-route", "reject"], ["blackhole", "not-forwarding", "multicast"])
{
    public const int Rewrite = 0, Local = 1, NoRoute = 2, Reject = 3;
    private const int Blackhole = 0, NotForwarding = 1, Multicast = 2;
    private const int DestinationOffset = 16;

    protected override void Process(ReadOnlySpan<int> packets)
    {
        var pool = Pool;
        Span<uint> destinations = stackalloc uint[packets.Length];
        Span<ushort> results = stackalloc ushort[packets.Length];
        for (var i = 0; i < packets.Length; i++)
        {
            var packet = packets[i];
            destinations[i] = BinaryPrimitives.ReadUInt32BigEndian(pool.Data(packet)[(pool.Meta(packet).L3Offset + DestinationOffset)..]);
        }
        stack.Fib4.Lookup(destinations, results);
        for (var i = 0; i < packets.Length; i++)
        {
            var packet = packets[i];
            var verdict = Decide(pool, packet, new Ipv4Address(destinations[i]), results[i]);
            if (verdict >= 0) Emit(verdict, packet);
            else Drop(-1 - verdict, packet);
        }
    }

    /// <summary>The output for the packet, or -1 - a drop reason.</summary>
    private int Decide(PacketPool pool, int packet, Ipv4Address destination, ushort result)
    {
        if (destination.IsBroadcast) return Local;
        if (destination.IsMulticast) return -1 - Multicast;
        ref var meta = ref pool.Meta(packet);
        var entry = stack.Entry(result);
        if (entry is { Kind: ForwardingKind.Local }) return Local;
        if (!stack.Forwarding && (meta.Flags & PacketFlags.LocallyOriginated) == 0) return -1 - NotForwarding;
        if (entry is null) return NoRoute;
        switch (entry.Kind)
        {
            case ForwardingKind.Forward:
                var adjacencies = entry.Adjacencies;
                var adjacency = adjacencies.Length == 1
                    ? adjacencies[0]
                    : entry.Select(FlowHash.Ipv4(Ipv4Packet.CreateUnchecked(pool.Data(packet)[meta.L3Offset..])));
                meta.NextHop = adjacency.Id;
                meta.OutputPort = adjacency.Port;
                return Rewrite;
            case ForwardingKind.Glean:
                meta.NextHop = -1;
                meta.OutputPort = entry.Port;
                return Rewrite;
            case ForwardingKind.Reject:
                return Reject;
            default:
                return -1 - Blackhole;
        }
    }
}
