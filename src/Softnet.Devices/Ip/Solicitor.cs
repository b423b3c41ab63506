using Softnet.DataPlane;
using Softnet.Wire;

namespace Softnet.Devices.Ip;

/// <summary>Builds the frames that resolve a neighbour: an ARP request (RFC 826) or a neighbour solicitation (RFC 4861).</summary>
public sealed class Solicitor(IpStack stack)
{
    /// <summary>Allocates and fills a solicitation for <paramref name="adjacency"/>; false if the pool is empty or there is no source address.</summary>
    public bool TryBuild(PacketPool pool, Adjacency adjacency, out int packet)
    {
        packet = -1;
        var port = stack.Device.PortAt(adjacency.Port);
        var ip = stack.Interface(adjacency.Port);
        if (adjacency.Family == IpFamily.Ipv4)
        {
            var target = new Ipv4Address((uint)adjacency.Address);
            var source = SourceOnSubnet(ip, target);
            if (source is null || !pool.TryAllocate(out packet)) return false;
            var frame = pool.Reset(packet, EthernetFrame.HeaderLength + ArpPacket.Size);
            new EthernetRepr(MacAddress.Broadcast, port.Mac, EtherType.Arp).Emit(EthernetFrame.CreateUnchecked(frame));
            new ArpRepr(ArpOperation.Request, port.Mac, source.Value, MacAddress.Zero, target).Emit(ArpPacket.CreateUnchecked(frame[EthernetFrame.HeaderLength..]));
        }
        else
        {
            var target = new Ipv6Address(adjacency.Address);
            var group = target.SolicitedNodeMulticast;
            var solicitation = NdpRepr.Solicitation(target, port.Mac);
            var ipRepr = new Ipv6Repr(ip.PrimaryIpv6, group, IpProtocol.Icmpv6, solicitation.BufferLength, HopLimit: 255);
            if (!pool.TryAllocate(out packet)) return false;
            var frame = pool.Reset(packet, EthernetFrame.HeaderLength + Ipv6Packet.HeaderLength + solicitation.BufferLength);
            new EthernetRepr(MacAddress.FromIpv6Multicast(group), port.Mac, EtherType.Ipv6).Emit(EthernetFrame.CreateUnchecked(frame));
            var ipBytes = frame[EthernetFrame.HeaderLength..];
            ipRepr.Emit(Ipv6Packet.CreateUnchecked(ipBytes));
            var icmp = ipBytes[Ipv6Packet.HeaderLength..];
            solicitation.Emit(NdpNeighborMessage.CreateUnchecked(icmp));
            Icmpv6Packet.CreateUnchecked(icmp).FillChecksum(ipRepr.Source, ipRepr.Destination);
        }
        ref var meta = ref pool.Meta(packet);
        meta.OutputPort = adjacency.Port;
        meta.L3Offset = EthernetFrame.HeaderLength;
        meta.Flags = PacketFlags.LocallyOriginated;
        return true;
    }

    private static Ipv4Address? SourceOnSubnet(IpInterface ip, Ipv4Address target)
    {
        for (var i = 0; i < ip.Ipv4Subnets.Count; i++)
        {
            if (ip.Ipv4Subnets[i].Contains(target)) return ip.Ipv4Addresses[i];
        }
        return ip.PrimaryIpv4;
    }
}
