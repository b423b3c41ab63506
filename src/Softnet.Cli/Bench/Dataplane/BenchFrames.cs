using Softnet.Wire;

namespace Softnet.Cli.Bench.Dataplane;

/// <summary>
/// The minimum-size frames the workloads send, written into a caller's buffer without the 4-byte FCS: UDP/IPv4 and
/// MPLS-labelled UDP/IPv4 fill 60 bytes (a 64-byte frame on the wire); UDP/IPv6 with no payload takes 62 (66 on the
/// wire), the smallest UDP/IPv6 frame. IP header and UDP checksums are valid.
/// </summary>
internal static class BenchFrames
{
    public const int Ipv4Length = 60;
    public const int Ipv6Length = EthernetFrame.HeaderLength + Ipv6Packet.HeaderLength + UdpPacket.HeaderLength;
    public const int MplsLength = 60;

    private const int Ipv4UdpData = Ipv4Length - EthernetFrame.HeaderLength - Ipv4Packet.MinHeaderLength - UdpPacket.HeaderLength;
    private const int MplsUdpData = Ipv4UdpData - MplsHeader.Size;

    /// <summary>Source addresses of the generated traffic: 198.18.0.0/15, the benchmarking range of RFC 2544.</summary>
    public static Ipv4Address Ipv4Source(int flow) => new(0xC612_0000u | (uint)(flow & 0x1_FFFF));

    /// <summary>Source addresses of the generated IPv6 traffic: 2001:2::/48, the benchmarking range of RFC 5180.</summary>
    public static Ipv6Address Ipv6Source(int flow) => new(0x2001_0002_0000_0000UL, (ulong)(uint)flow + 1);

    public static Span<byte> Udp4(Span<byte> buffer, MacAddress destinationMac, MacAddress sourceMac, Ipv4Address source, Ipv4Address destination, ushort sourcePort, ushort destinationPort)
    {
        var frame = buffer[..Ipv4Length];
        new EthernetRepr(destinationMac, sourceMac, EtherType.Ipv4).Emit(EthernetFrame.CreateUnchecked(frame));
        WriteIpv4Udp(frame[EthernetFrame.HeaderLength..], source, destination, sourcePort, destinationPort, Ipv4UdpData);
        return frame;
    }

    public static Span<byte> Udp6(Span<byte> buffer, MacAddress destinationMac, MacAddress sourceMac, Ipv6Address source, Ipv6Address destination, ushort sourcePort, ushort destinationPort)
    {
        var frame = buffer[..Ipv6Length];
        new EthernetRepr(destinationMac, sourceMac, EtherType.Ipv6).Emit(EthernetFrame.CreateUnchecked(frame));
        var udp = new UdpRepr(sourcePort, destinationPort, 0);
        var ip = frame[EthernetFrame.HeaderLength..];
        new Ipv6Repr(source, destination, IpProtocol.Udp, udp.BufferLength).Emit(Ipv6Packet.CreateUnchecked(ip));
        udp.Emit(UdpPacket.CreateUnchecked(ip[Ipv6Packet.HeaderLength..]), source, destination);
        return frame;
    }

    /// <summary>A UDP/IPv4 datagram under one MPLS label (bottom of stack, TTL 64).</summary>
    public static Span<byte> Mpls(Span<byte> buffer, MacAddress destinationMac, MacAddress sourceMac, MplsLabel label, Ipv4Address source, Ipv4Address destination, ushort sourcePort, ushort destinationPort)
    {
        var frame = buffer[..MplsLength];
        new EthernetRepr(destinationMac, sourceMac, EtherType.Mpls).Emit(EthernetFrame.CreateUnchecked(frame));
        new MplsRepr(label, 0, BottomOfStack: true, 64).Emit(MplsHeader.CreateUnchecked(frame[EthernetFrame.HeaderLength..]));
        WriteIpv4Udp(frame[(EthernetFrame.HeaderLength + MplsHeader.Size)..], source, destination, sourcePort, destinationPort, MplsUdpData);
        return frame;
    }

    private static void WriteIpv4Udp(Span<byte> ip, Ipv4Address source, Ipv4Address destination, ushort sourcePort, ushort destinationPort, int dataLength)
    {
        var udp = new UdpRepr(sourcePort, destinationPort, dataLength);
        var header = new Ipv4Repr(source, destination, IpProtocol.Udp, udp.BufferLength);
        header.Emit(Ipv4Packet.CreateUnchecked(ip));
        var payload = ip[header.HeaderLength..];
        for (var i = 0; i < dataLength; i++) payload[UdpPacket.HeaderLength + i] = (byte)i;
        udp.Emit(UdpPacket.CreateUnchecked(payload), source, destination);
    }
}
