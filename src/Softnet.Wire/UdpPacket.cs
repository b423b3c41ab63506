using System.Buffers.Binary;

namespace Softnet.Wire;

/// <summary>
/// A view of a UDP datagram (RFC 768). <see cref="Payload"/> and the checksum are bounded by the <see cref="Length"/>
/// field, so the view may be created over a longer buffer.
/// </summary>
public readonly ref struct UdpPacket
{
    public const int HeaderLength = 8;

    private const int SourcePortOffset = 0;
    private const int DestinationPortOffset = 2;
    private const int LengthOffset = 4;
    private const int ChecksumOffset = 6;

    private readonly Span<byte> _buffer;

    private UdpPacket(Span<byte> buffer) => _buffer = buffer;

    /// <summary>Creates a view if the header fits and the Length field is between 8 and the buffer length.</summary>
    public static bool TryCreate(Span<byte> buffer, out UdpPacket packet)
    {
        packet = default;
        if (buffer.Length < HeaderLength) return false;
        var length = BinaryPrimitives.ReadUInt16BigEndian(buffer[LengthOffset..]);
        if (length < HeaderLength || length > buffer.Length) return false;
        packet = new UdpPacket(buffer);
        return true;
    }

    /// <summary>Creates a view for writing a new datagram; only the buffer length is checked and spans are clamped to the buffer.</summary>
    public static UdpPacket CreateUnchecked(Span<byte> buffer)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(buffer.Length, HeaderLength, nameof(buffer));
        return new UdpPacket(buffer);
    }

    public Span<byte> Buffer => _buffer;

    public ushort SourcePort
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[SourcePortOffset..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_buffer[SourcePortOffset..], value);
    }

    public ushort DestinationPort
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[DestinationPortOffset..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_buffer[DestinationPortOffset..], value);
    }

    /// <summary>Header plus payload length in bytes.</summary>
    public ushort Length
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[LengthOffset..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_buffer[LengthOffset..], value);
    }

    public ushort Checksum
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[ChecksumOffset..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_buffer[ChecksumOffset..], value);
    }

    /// <summary>The header and payload, as counted by <see cref="Length"/>.</summary>
    public Span<byte> Datagram => _buffer[..Math.Clamp((int)Length, HeaderLength, _buffer.Length)];

    public Span<byte> Payload => Datagram[HeaderLength..];

    /// <summary>Over IPv4 a zero checksum means "not computed" and is accepted.</summary>
    public bool VerifyChecksum(Ipv4Address source, Ipv4Address destination) =>
        Checksum == 0 || Wire.Checksum.Compute(Datagram, Wire.Checksum.PseudoHeader(source, destination, IpProtocol.Udp, Datagram.Length)) == 0;

    /// <summary>Over IPv6 the checksum is mandatory (RFC 8200 section 8.1), so zero is refused.</summary>
    public bool VerifyChecksum(Ipv6Address source, Ipv6Address destination) =>
        Checksum != 0 && Wire.Checksum.Compute(Datagram, Wire.Checksum.PseudoHeader(source, destination, IpProtocol.Udp, Datagram.Length)) == 0;

    public void FillChecksum(Ipv4Address source, Ipv4Address destination) =>
        FillChecksum(Wire.Checksum.PseudoHeader(source, destination, IpProtocol.Udp, Datagram.Length));

    public void FillChecksum(Ipv6Address source, Ipv6Address destination) =>
        FillChecksum(Wire.Checksum.PseudoHeader(source, destination, IpProtocol.Udp, Datagram.Length));

    private void FillChecksum(uint pseudoHeader)
    {
        Checksum = 0;
        var checksum = Wire.Checksum.Compute(Datagram, pseudoHeader);
        // A computed 0 is sent as all ones, since 0 means "no checksum" (RFC 768).
        Checksum = checksum == 0 ? (ushort)0xFFFF : checksum;
    }
}
