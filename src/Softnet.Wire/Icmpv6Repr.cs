namespace Softnet.Wire;

/// <summary>
/// The header of an ICMPv6 message. The checksum needs the IPv6 addresses: <see cref="Emit(Icmpv6Packet, Ipv6Address, Ipv6Address)"/>
/// writes it over the whole view, so the caller puts <see cref="Icmpv6Packet.Data"/> in place first.
/// </summary>
public readonly record struct Icmpv6Repr(byte Type, byte Code, uint RestOfHeader, int DataLength)
{
    public int HeaderLength => Icmpv6Packet.HeaderLength;
    public int BufferLength => HeaderLength + DataLength;

    public ushort Identifier => (ushort)(RestOfHeader >> 16);
    public ushort SequenceNumber => (ushort)RestOfHeader;

    public static Icmpv6Repr EchoRequest(ushort identifier, ushort sequenceNumber, int dataLength) =>
        new(Icmpv6Type.EchoRequest, 0, (uint)identifier << 16 | sequenceNumber, dataLength);

    public static Icmpv6Repr EchoReply(ushort identifier, ushort sequenceNumber, int dataLength) =>
        new(Icmpv6Type.EchoReply, 0, (uint)identifier << 16 | sequenceNumber, dataLength);

    /// <summary>Reads the header without checking the checksum; use the overload with addresses to check it.</summary>
    public static bool TryParse(in Icmpv6Packet packet, out Icmpv6Repr repr)
    {
        repr = new Icmpv6Repr(packet.Type, packet.Code, packet.RestOfHeader, packet.Data.Length);
        return true;
    }

    /// <summary>Accepts a message whose checksum is valid for the given IPv6 source and destination.</summary>
    public static bool TryParse(in Icmpv6Packet packet, Ipv6Address source, Ipv6Address destination, out Icmpv6Repr repr)
    {
        repr = default;
        return packet.VerifyChecksum(source, destination) && TryParse(packet, out repr);
    }

    /// <summary>Writes the header and leaves the checksum zero.</summary>
    public void Emit(Icmpv6Packet packet)
    {
        packet.Type = Type;
        packet.Code = Code;
        packet.Checksum = 0;
        packet.RestOfHeader = RestOfHeader;
    }

    /// <summary>Writes the header and the checksum over the whole view.</summary>
    public void Emit(Icmpv6Packet packet, Ipv6Address source, Ipv6Address destination)
    {
        Emit(packet);
        packet.FillChecksum(source, destination);
    }
}
