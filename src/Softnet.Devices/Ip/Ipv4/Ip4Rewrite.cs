using Softnet.DataPlane;
using Softnet.DataPlane.Offload;
using Softnet.Wire;

namespace Softnet.Devices.Ip.Ipv4;

/// <summary>
/// Last IPv4 step before the wire: TTL check, MTU check (fragment, or ICMP fragmentation needed when DF is set),
/// neighbour resolution, then the rewrite itself: Ethernet addresses, TTL decrement with an incremental checksum
/// and MPLS label imposition when the adjacency has a label.
/// </summary>
/// <remarks>
/// A TCP super-frame (<see cref="PacketMeta.GsoType"/>) is too big only if its segments would be (as Linux's
/// ip_forward judges it); then DF set gets fragmentation needed and DF clear goes to <see cref="Ip4Fragment"/>, which
/// segments it. One that fits leaves whole with its offload state: its partial TCP checksum covers the
/// pseudo-header, which has no TTL, so the rewrite leaves it alone.
/// </remarks>
public sealed class Ip4Rewrite(IpStack stack, Solicitor solicitor)
    : IpRewrite("ip4-rewrite", ["tx", "ttl-expired", "frag-needed", "unreachable", "fragment"], stack, solicitor)
{
    public const int Fragment = 4;

    protected override int Push(int packet)
    {
        var pool = Pool;
        ref var meta = ref pool.Meta(packet);
        var frame = pool.Data(packet);
        var ip = Ipv4Packet.CreateUnchecked(frame[meta.L3Offset..]);
        var forwarded = (meta.Flags & PacketFlags.LocallyOriginated) == 0;
        if (forwarded && ip.TimeToLive <= 1) return TtlExpired;
        var port = Stack.Device.PortAt(meta.OutputPort);
        if (ip.TotalLength > port.Mtu && !Segmentation.SegmentsFit(in meta, ip.Buffer, port.Mtu))
        {
            if (!ip.DontFragment) return Fragment;
            return TooBig;
        }

        var adjacency = meta.NextHop >= 0
            ? Stack.AdjacencyAt(meta.NextHop)
            : Stack.FindOrAddNeighbor(meta.OutputPort, IpFamily.Ipv4, ip.Destination.Value);
        if (adjacency is null) return DropWith(NeighborTableFull);
        var neighbor = adjacency.Neighbor;
        if (neighbor.State != NeighborState.Reachable) return Resolve(neighbor, packet);
        Refresh(neighbor);

        if (forwarded) ip.DecrementTtl();
        EthernetFrame.CreateUnchecked(frame).EtherType = EtherType.Ipv4;
        if (adjacency.PushLabel is { } label) frame = MplsImposition.Push(pool, packet, label, ip.TimeToLive);
        var ethernet = EthernetFrame.CreateUnchecked(frame);
        ethernet.Destination = neighbor.Mac;
        ethernet.Source = port.Mac;
        return Tx;
    }
}
