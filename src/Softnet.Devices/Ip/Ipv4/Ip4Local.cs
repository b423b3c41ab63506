using System.Net;
using Softnet.DataPlane;
using Softnet.Wire;

namespace Softnet.Devices.Ip.Ipv4;

/// <summary>
/// Packets addressed to the device itself: answers echo requests (the reply goes back through the lookup),
/// delivers UDP to a host's bound sockets and ICMP replies/errors to its queues, and answers anything else with
/// ICMP port or protocol unreachable. Fragments addressed to the device are not reassembled.
/// </summary>
public sealed class Ip4Local(IpStack stack)
    : PacketElement("ip4-local", ["reply", "port-unreachable", "protocol-unreachable"],
        ["delivered", "malformed", "bad-checksum", "fragment", "no-tcp-listener", "icmp-ignored"])
{
    public const int Reply = 0, PortUnreachable = 1, ProtocolUnreachable = 2;
    private const int Delivered = 0, Malformed = 1, BadChecksum = 2, Fragment = 3, NoTcpListener = 4, IcmpIgnored = 5;

    protected override int Push(int packet)
    {
        var pool = Pool;
        ref var meta = ref pool.Meta(packet);
        var ip = Ipv4Packet.CreateUnchecked(pool.Data(packet)[meta.L3Offset..]);
        if (ip.IsFragment) return DropWith(Fragment);
        return ip.Protocol switch
        {
            IpProtocol.Icmp => Icmp(ref meta, ip),
            IpProtocol.Udp => Udp(ip),
            IpProtocol.Tcp => DropWith(NoTcpListener),
            _ => ProtocolUnreachable,
        };
    }

    private int Icmp(ref PacketMeta meta, Ipv4Packet ip)
    {
        if (!Icmpv4Packet.TryCreate(ip.Payload, out var icmp)) return DropWith(Malformed);
        if (!icmp.VerifyChecksum()) return DropWith(BadChecksum);
        var endpoints = stack.Endpoints;
        switch (icmp.Type)
        {
            case Icmpv4Type.EchoRequest:
                if (ip.Destination.IsBroadcast) return DropWith(IcmpIgnored);
                var requester = ip.Source;
                ip.Source = ip.Destination;
                ip.Destination = requester;
                ip.TimeToLive = 64;
                ip.FillChecksum();
                icmp.Type = Icmpv4Type.EchoReply;
                icmp.FillChecksum();
                meta.Flags |= PacketFlags.LocallyOriginated;
                return Reply;
            case Icmpv4Type.EchoReply when endpoints is not null:
                endpoints.Deliver(new EchoReply(ip.Source.ToIPAddress(), icmp.Identifier, icmp.SequenceNumber, icmp.Data.Length, ip.TimeToLive, stack.Device.Now));
                return DropWith(Delivered);
            case Icmpv4Type.DestinationUnreachable or Icmpv4Type.TimeExceeded when endpoints is not null:
                endpoints.Deliver(new IcmpReport(ip.Source.ToIPAddress(), IpFamily.Ipv4, icmp.Type, icmp.Code, stack.Device.Now));
                return DropWith(Delivered);
            default:
                return DropWith(IcmpIgnored);
        }
    }

    private int Udp(Ipv4Packet ip)
    {
        if (!UdpPacket.TryCreate(ip.Payload, out var udp)) return DropWith(Malformed);
        if (!udp.VerifyChecksum(ip.Source, ip.Destination)) return DropWith(BadChecksum);
        var endpoints = stack.Endpoints;
        if (endpoints is null || !endpoints.IsUdpBound(udp.DestinationPort)) return ip.Destination.IsBroadcast ? DropWith(Delivered) : PortUnreachable;
        var datagram = new UdpDatagram(
            new IPEndPoint(ip.Source.ToIPAddress(), udp.SourcePort), new IPEndPoint(ip.Destination.ToIPAddress(), udp.DestinationPort), udp.Payload.ToArray());
        endpoints.Deliver(udp.DestinationPort, datagram);
        return DropWith(Delivered);
    }
}
