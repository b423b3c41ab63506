using Softnet.DataPlane;
using Softnet.DataPlane.Offload;
using Softnet.Wire;

namespace Softnet.Devices.Ip.Ipv6;

/// <summary>
/// Last IPv6 step before the wire: hop-limit check, MTU check (IPv6 routers never fragment: ICMPv6 packet too big),
/// neighbour resolution, then the rewrite: Ethernet addresses, hop-limit decrement (no header checksum in IPv6),
/// MPLS label imposition when the adjacency has a label.
/// </summary>
/// <remarks>
/// A TCP super-frame (<see cref="PacketMeta.GsoType"/>) is too big only if its segments would be (as Linux's
/// ip6_forward judges it); one that fits leaves whole with its offload state.
/// </remarks>
public sealed class Ip6Rewrite(IpStack stack, Solicitor solicitor)
    : IpRewrite("ip6-rewrite", ["tx", "hop-limit-expired", "packet-too-big", "unreachable"], stack, solicitor)
{
    protected override int Push(int packet)
    {
        var pool = Pool;
        ref var meta = ref pool.Meta(packet);
        var frame = pool.Data(packet);
        var ip = Ipv6Packet.CreateUnchecked(frame[meta.L3Offset..]);
        var forwarded = (meta.Flags & PacketFlags.LocallyOriginated) == 0;
        if (forwarded && ip.HopLimit <= 1) return TtlExpired;
        var port = Stack.Device.PortAt(meta.OutputPort);
        if (Ipv6Packet.HeaderLength + ip.PayloadLength > port.Mtu && !Segmentation.SegmentsFit(in meta, ip.Buffer, port.Mtu)) return TooBig;

        var adjacency = meta.NextHop >= 0
            ? Stack.AdjacencyAt(meta.NextHop)
            : Stack.FindOrAddNeighbor(meta.OutputPort, IpFamily.Ipv6, ip.Destination.Value);
        if (adjacency is null) return DropWith(NeighborTableFull);
        var neighbor = adjacency.Neighbor;
        if (neighbor.State != NeighborState.Reachable) return Resolve(neighbor, packet);
        Refresh(neighbor);

        if (forwarded) ip.HopLimit--;
        EthernetFrame.CreateUnchecked(frame).EtherType = EtherType.Ipv6;
        if (adjacency.PushLabel is { } label) frame = MplsImposition.Push(pool, packet, label, ip.HopLimit);
        var ethernet = EthernetFrame.CreateUnchecked(frame);
        ethernet.Destination = neighbor.Mac;
        ethernet.Source = port.Mac;
        return Tx;
    }
}
