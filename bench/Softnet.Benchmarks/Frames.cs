using Softnet.Wire;

namespace Softnet.Benchmarks;

/// <summary>60-byte UDP/IPv4 frames (64 on the wire), 62-byte UDP/IPv6 frames, and labelled 60-byte UDP/IPv4 frames.</summary>
internal static class Frames
{
    public static byte[] Udp4(MacAddress destinationMac, MacAddress sourceMac, Ipv4Address source, Ipv4Address destination, ushort sourcePort = 1024, ushort destinationPort = 53, int dataLength = 18)
    {
        var frame = new byte[EthernetFrame.HeaderLength + Ipv4Packet.MinHeaderLength + UdpPacket.HeaderLength + dataLength];
        new EthernetRepr(destinationMac, sourceMac, EtherType.Ipv4).Emit(EthernetFrame.CreateUnchecked(frame));
        var udp = new UdpRepr(sourcePort, destinationPort, dataLength);
        var ip = new Ipv4Repr(source, destination, IpProtocol.Udp, udp.BufferLength);
        var packet = frame.AsSpan(EthernetFrame.HeaderLength);
        ip.Emit(Ipv4Packet.CreateUnchecked(packet));
        udp.Emit(UdpPacket.CreateUnchecked(packet[ip.HeaderLength..]), source, destination);
        return frame;
    }

    public static byte[] Udp6(MacAddress destinationMac, MacAddress sourceMac, Ipv6Address source, Ipv6Address destination, ushort sourcePort = 1024, ushort destinationPort = 53)
    {
        var frame = new byte[EthernetFrame.HeaderLength + Ipv6Packet.HeaderLength + UdpPacket.HeaderLength];
        new EthernetRepr(destinationMac, sourceMac, EtherType.Ipv6).Emit(EthernetFrame.CreateUnchecked(frame));
        var udp = new UdpRepr(sourcePort, destinationPort, 0);
        var packet = frame.AsSpan(EthernetFrame.HeaderLength);
        new Ipv6Repr(source, destination, IpProtocol.Udp, udp.BufferLength).Emit(Ipv6Packet.CreateUnchecked(packet));
        udp.Emit(UdpPacket.CreateUnchecked(packet[Ipv6Packet.HeaderLength..]), source, destination);
        return frame;
    }

    public static byte[] Mpls(MacAddress destinationMac, MacAddress sourceMac, MplsLabel label, Ipv4Address source, Ipv4Address destination)
    {
        var inner = Udp4(destinationMac, sourceMac, source, destination, dataLength: 14);
        var frame = new byte[inner.Length + MplsHeader.Size];
        inner.AsSpan(0, EthernetFrame.HeaderLength).CopyTo(frame);
        EthernetFrame.CreateUnchecked(frame).EtherType = EtherType.Mpls;
        new MplsRepr(label, 0, BottomOfStack: true, 64).Emit(MplsHeader.CreateUnchecked(frame.AsSpan(EthernetFrame.HeaderLength)));
        inner.AsSpan(EthernetFrame.HeaderLength).CopyTo(frame.AsSpan(EthernetFrame.HeaderLength + MplsHeader.Size));
        return frame;
    }
}
