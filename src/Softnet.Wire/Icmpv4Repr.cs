namespace Softnet.Wire;

/// <summary>
/// The header of an ICMPv4 message. <see cref="Emit"/> writes the header and the checksum over the whole view, so the
/// caller puts <see cref="Icmpv4Packet.Data"/> in place first.
/// </summary>
public readonly record struct Icmpv4Repr(byte Type, byte Code, uint RestOfHeader, int DataLength)
{
    public int HeaderLength => Icmpv4Packet.HeaderLength;
    public int BufferLength => HeaderLength + DataLength;

    public ushort Identifier => (ushort)(RestOfHeader >> 16);
    public ushort SequenceNumber => (ushort)RestOfHeader;

    public static Icmpv4Repr EchoRequest(ushort identifier, ushort sequenceNumber, int dataLength) =>
        new(Icmpv4Type.EchoRequest, 0, (uint)identifier << 16 | sequenceNumber, dataLength);

    public static Icmpv4Repr EchoReply(ushort identifier, ushort sequenceNumber, int dataLength) =>
        new(Icmpv4Type.EchoReply, 0, (uint)identifier << 16 | sequenceNumber, dataLength);

    /// <summary>Accepts a message whose checksum is valid.</summary>
    public static bool TryParse(in Icmpv4Packet packet, out Icmpv4Repr repr)
    {
        repr = default;
        if (!packet.VerifyChecksum()) return false;
        repr = new Icmpv4Repr(packet.Type, packet.Code, packet.RestOfHeader, packet.Data.Length);
        return true;
    }

    public void Emit(Icmpv4Packet packet)
    {
        packet.Type = Type;
        packet.Code = Code;
        packet.RestOfHeader = RestOfHeader;
        packet.FillChecksum();
    }
}
