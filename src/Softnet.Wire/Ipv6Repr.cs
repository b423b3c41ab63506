namespace Softnet.Wire;

/// <summary>The fields of the IPv6 fixed header. <see cref="PayloadLength"/> counts extension headers and upper-layer data.</summary>
public readonly record struct Ipv6Repr(Ipv6Address Source, Ipv6Address Destination, byte NextHeader, int PayloadLength, byte HopLimit = 64)
{
    public byte TrafficClass { get; init; }

    /// <summary>The 20-bit flow label.</summary>
    public uint FlowLabel { get; init; }

    public int HeaderLength => Ipv6Packet.HeaderLength;
    public int BufferLength => HeaderLength + PayloadLength;

    public static bool TryParse(in Ipv6Packet packet, out Ipv6Repr repr)
    {
        repr = default;
        if (packet.Version != 6) return false;
        repr = new Ipv6Repr(packet.Source, packet.Destination, packet.NextHeader, packet.PayloadLength, packet.HopLimit)
        {
            TrafficClass = packet.TrafficClass,
            FlowLabel = packet.FlowLabel,
        };
        return true;
    }

    public void Emit(Ipv6Packet packet)
    {
        packet.Version = 6;
        packet.TrafficClass = TrafficClass;
        packet.FlowLabel = FlowLabel;
        packet.PayloadLength = checked((ushort)PayloadLength);
        packet.NextHeader = NextHeader;
        packet.HopLimit = HopLimit;
        packet.Source = Source;
        packet.Destination = Destination;
    }
}
