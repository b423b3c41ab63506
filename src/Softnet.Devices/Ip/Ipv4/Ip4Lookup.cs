using Softnet.DataPlane;
using Softnet.Wire;

namespace Softnet.Devices.Ip.Ipv4;

/// <summary>
/// Longest-prefix match of the destination in the IPv4 FIB. Chooses what happens next: local delivery, an
/// adjacency (by flow hash when ECMP), resolution of a host on a connected subnet, or an ICMP error.
/// </summary>
public sealed class Ip4Lookup(IpStack stack) : PacketElement("ip4-lookup", ["rewrite", "local", "no-route", "reject"], ["blackhole", "not-forwarding", "multicast"])
{
    public const int Rewrite = 0, Local = 1, NoRoute = 2, Reject = 3;
    private const int Blackhole = 0, NotForwarding = 1, Multicast = 2;

    protected override int Push(int packet)
    {
        var pool = Pool;
        ref var meta = ref pool.Meta(packet);
        var ip = Ipv4Packet.CreateUnchecked(pool.Data(packet)[meta.L3Offset..]);
        var destination = ip.Destination;
        if (destination.IsBroadcast) return Local;
        if (destination.IsMulticast) return DropWith(Multicast);
        var entry = stack.Entry(stack.Fib4.Lookup(destination));
        if (entry is { Kind: ForwardingKind.Local }) return Local;
        if (!stack.Forwarding && (meta.Flags & PacketFlags.LocallyOriginated) == 0) return DropWith(NotForwarding);
        if (entry is null) return NoRoute;
        switch (entry.Kind)
        {
            case ForwardingKind.Forward:
                var adjacencies = entry.Adjacencies;
                var adjacency = adjacencies.Length == 1 ? adjacencies[0] : entry.Select(FlowHash.Ipv4(ip));
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
                return DropWith(Blackhole);
        }
    }
}
