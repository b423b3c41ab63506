using System.Net;
using Softnet.DataPlane;
using Softnet.Wire;

namespace Softnet.Devices.Ip.Ipv6;

/// <summary>
/// IPv6 packets addressed to the device: neighbour discovery (RFC 4861: answers solicitations for its addresses
/// with an advertisement sent straight back, learns from solicitations and advertisements and releases the
/// packets waiting for that neighbour), echo requests (replied through the lookup), UDP to a host's bound sockets,
/// ICMPv6 replies and errors to its queues; port unreachable or parameter problem for anything else.
/// </summary>
public sealed class Ip6Local(IpStack stack)
    : PacketElement("ip6-local", ["reply", "tx", "resolved", "port-unreachable", "unknown-next-header"],
        ["delivered", "malformed", "bad-checksum", "no-tcp-listener", "icmp-ignored", "ndp-invalid", "not-our-target"])
{
    public const int Reply = 0, Tx = 1, Resolved = 2, PortUnreachable = 3, UnknownNextHeader = 4;
    private const int Delivered = 0, Malformed = 1, BadChecksum = 2, NoTcpListener = 3, IcmpIgnored = 4, NdpInvalid = 5, NotOurTarget = 6;

    protected override int Push(int packet)
    {
        var pool = Pool;
        ref var meta = ref pool.Meta(packet);
        var ip = Ipv6Packet.CreateUnchecked(pool.Data(packet)[meta.L3Offset..]);
        if (!ip.TryFindUpperLayer(out var protocol, out var offset)) return DropWith(Malformed);
        var upper = ip.Buffer[offset..(Ipv6Packet.HeaderLength + ip.PayloadLength)];
        switch (protocol)
        {
            case IpProtocol.Icmpv6: return Icmp(packet, ref meta, ip, upper);
            case IpProtocol.Udp: return Udp(ip, upper);
            case IpProtocol.Tcp: return DropWith(NoTcpListener);
            default:
                meta.NextHop = NextHeaderFieldOffset(ip);
                return UnknownNextHeader;
        }
    }

    private int Icmp(int packet, ref PacketMeta meta, Ipv6Packet ip, Span<byte> upper)
    {
        if (!Icmpv6Packet.TryCreate(upper, out var icmp)) return DropWith(Malformed);
        if (!icmp.VerifyChecksum(ip.Source, ip.Destination)) return DropWith(BadChecksum);
        var endpoints = stack.Endpoints;
        switch (icmp.Type)
        {
            case Icmpv6Type.NeighborSolicitation: return Solicitation(packet, ref meta, ip, upper);
            case Icmpv6Type.NeighborAdvertisement: return Advertisement(ref meta, ip, upper);
            case Icmpv6Type.EchoRequest:
                var requester = ip.Source;
                ip.Source = ip.Destination.IsMulticast ? stack.Interface(meta.InputPort).PrimaryIpv6 : ip.Destination;
                ip.Destination = requester;
                ip.HopLimit = 64;
                icmp.Type = Icmpv6Type.EchoReply;
                icmp.FillChecksum(ip.Source, ip.Destination);
                meta.Flags |= PacketFlags.LocallyOriginated;
                return Reply;
            case Icmpv6Type.EchoReply when endpoints is not null:
                endpoints.Deliver(new EchoReply(ip.Source.ToIPAddress(), icmp.Identifier, icmp.SequenceNumber, icmp.Data.Length, ip.HopLimit, stack.Device.Now));
                return DropWith(Delivered);
            case Icmpv6Type.DestinationUnreachable or Icmpv6Type.PacketTooBig or Icmpv6Type.TimeExceeded or Icmpv6Type.ParameterProblem when endpoints is not null:
                endpoints.Deliver(new IcmpReport(ip.Source.ToIPAddress(), IpFamily.Ipv6, icmp.Type, icmp.Code, stack.Device.Now));
                return DropWith(Delivered);
            default:
                return DropWith(IcmpIgnored);
        }
    }

    private int Solicitation(int packet, ref PacketMeta meta, Ipv6Packet ip, Span<byte> upper)
    {
        if (ip.HopLimit != 255 || !NdpNeighborMessage.TryCreate(upper, out var message)
            || !NdpRepr.TryParse(message, ip.Source, ip.Destination, out var ndp)) return DropWith(NdpInvalid);
        var port = meta.InputPort;
        if (!stack.Interface(port).Owns(ndp.TargetAddress)) return DropWith(NotOurTarget);
        var pool = Pool;
        var frame = pool.Data(packet);
        var ethernet = EthernetFrame.CreateUnchecked(frame);
        var requesterMac = ndp.LinkLayerAddress ?? ethernet.Source;
        var requester = ip.Source;
        if (!requester.IsUnspecified && ndp.LinkLayerAddress is { } mac)
        {
            stack.FindOrAddNeighbor(port, IpFamily.Ipv6, requester.Value);
            var adjacency = stack.Confirm(port, IpFamily.Ipv6, requester.Value, mac, stack.Device.Now);
            if (adjacency is not null) Release(adjacency);
        }

        var ownMac = stack.Device.PortAt(port).Mac;
        var advertisement = NdpRepr.Advertisement(ndp.TargetAddress, ownMac, router: stack.Forwarding, solicited: !requester.IsUnspecified, @override: true);
        var destination = requester.IsUnspecified ? Ipv6Address.AllNodes : requester;
        var ipRepr = new Ipv6Repr(ndp.TargetAddress, destination, IpProtocol.Icmpv6, advertisement.BufferLength, HopLimit: 255);
        frame = pool.SetLength(packet, meta.L3Offset + ipRepr.BufferLength);
        var reply = frame[meta.L3Offset..];
        ipRepr.Emit(Ipv6Packet.CreateUnchecked(reply));
        var icmp = reply[Ipv6Packet.HeaderLength..];
        advertisement.Emit(NdpNeighborMessage.CreateUnchecked(icmp));
        Icmpv6Packet.CreateUnchecked(icmp).FillChecksum(ipRepr.Source, ipRepr.Destination);
        ethernet = EthernetFrame.CreateUnchecked(frame);
        ethernet.Destination = requester.IsUnspecified ? MacAddress.FromIpv6Multicast(destination) : requesterMac;
        ethernet.Source = ownMac;
        meta.OutputPort = port;
        meta.Flags |= PacketFlags.LocallyOriginated;
        return Tx;
    }

    private int Advertisement(ref PacketMeta meta, Ipv6Packet ip, Span<byte> upper)
    {
        if (ip.HopLimit != 255 || !NdpNeighborMessage.TryCreate(upper, out var message)
            || !NdpRepr.TryParse(message, ip.Source, ip.Destination, out var ndp)) return DropWith(NdpInvalid);
        if (ndp.LinkLayerAddress is { } mac)
        {
            var adjacency = stack.Confirm(meta.InputPort, IpFamily.Ipv6, ndp.TargetAddress.Value, mac, stack.Device.Now);
            if (adjacency is not null) Release(adjacency);
        }
        return DropWith(Delivered);
    }

    private int Udp(Ipv6Packet ip, Span<byte> upper)
    {
        if (!UdpPacket.TryCreate(upper, out var udp)) return DropWith(Malformed);
        if (!udp.VerifyChecksum(ip.Source, ip.Destination)) return DropWith(BadChecksum);
        var endpoints = stack.Endpoints;
        if (endpoints is null || !endpoints.IsUdpBound(udp.DestinationPort)) return ip.Destination.IsMulticast ? DropWith(Delivered) : PortUnreachable;
        var datagram = new UdpDatagram(
            new IPEndPoint(ip.Source.ToIPAddress(), udp.SourcePort), new IPEndPoint(ip.Destination.ToIPAddress(), udp.DestinationPort), udp.Payload.ToArray());
        endpoints.Deliver(udp.DestinationPort, datagram);
        return DropWith(Delivered);
    }

    private void Release(Adjacency adjacency)
    {
        while (adjacency.TryDequeue(out var waiting)) Emit(Resolved, waiting);
    }

    /// <summary>Offset, from the IPv6 header, of the Next Header field naming the unknown protocol (the pointer of ICMPv6 parameter problem code 1).</summary>
    private static int NextHeaderFieldOffset(Ipv6Packet ip)
    {
        var field = 6;
        var next = ip.NextHeader;
        var offset = Ipv6Packet.HeaderLength;
        var buffer = ip.Buffer;
        while (next is IpProtocol.HopByHop or IpProtocol.Ipv6Route or IpProtocol.Ipv6Options or IpProtocol.Ipv6Fragment && offset + 8 <= buffer.Length)
        {
            field = offset;
            var length = next == IpProtocol.Ipv6Fragment ? 8 : (buffer[offset + 1] + 1) * 8;
            next = buffer[offset];
            offset += length;
        }
        return field;
    }
}
