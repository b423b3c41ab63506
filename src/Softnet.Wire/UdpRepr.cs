namespace Softnet.Wire;

/// <summary>
/// The header of a UDP datagram. The checksum needs the IP addresses: the Emit overloads with addresses write it over
/// the header and payload, so the caller puts <see cref="UdpPacket.Payload"/> in place first.
/// </summary>
public readonly record struct UdpRepr(ushort SourcePort, ushort DestinationPort, int PayloadLength)
{
    public int HeaderLength => UdpPacket.HeaderLength;
    public int BufferLength => HeaderLength + PayloadLength;

    /// <summary>Reads the header without checking the checksum; use an overload with addresses to check it.</summary>
    public static bool TryParse(in UdpPacket packet, out UdpRepr repr)
    {
        repr = new UdpRepr(packet.SourcePort, packet.DestinationPort, packet.Length - UdpPacket.HeaderLength);
        return true;
    }

    public static bool TryParse(in UdpPacket packet, Ipv4Address source, Ipv4Address destination, out UdpRepr repr)
    {
        repr = default;
        return packet.VerifyChecksum(source, destination) && TryParse(packet, out repr);
    }

    public static bool TryParse(in UdpPacket packet, Ipv6Address source, Ipv6Address destination, out UdpRepr repr)
    {
        repr = default;
        return packet.VerifyChecksum(source, destination) && TryParse(packet, out repr);
    }

    /// <summary>Writes the header with a zero checksum (over IPv4, "no checksum").</summary>
    public void Emit(UdpPacket packet)
    {
        packet.SourcePort = SourcePort;
        packet.DestinationPort = DestinationPort;
        packet.Length = checked((ushort)BufferLength);
        packet.Checksum = 0;
    }

    public void Emit(UdpPacket packet, Ipv4Address source, Ipv4Address destination)
    {
        Emit(packet);
        packet.FillChecksum(source, destination);
    }

    public void Emit(UdpPacket packet, Ipv6Address source, Ipv6Address destination)
    {
        Emit(packet);
        packet.FillChecksum(source, destination);
    }
}
