using System.Buffers.Binary;

namespace Softnet.Wire;

/// <summary>
/// A view of an ICMPv6 message (RFC 4443) spanning the whole upper-layer payload: type, code, checksum, a 4-byte
/// type-specific field, then <see cref="Data"/>. The checksum covers the IPv6 pseudo-header and the whole buffer.
/// </summary>
public readonly ref struct Icmpv6Packet
{
    /// <summary>The type, code, checksum and the 4-byte field that every defined message carries.</summary>
    public const int HeaderLength = 8;

    private const int TypeOffset = 0;
    private const int CodeOffset = 1;
    private const int ChecksumOffset = 2;
    private const int RestOfHeaderOffset = 4;
    private const int SequenceNumberOffset = 6;

    private readonly Span<byte> _buffer;

    private Icmpv6Packet(Span<byte> buffer) => _buffer = buffer;

    public static bool TryCreate(Span<byte> buffer, out Icmpv6Packet packet)
    {
        packet = buffer.Length >= HeaderLength ? new Icmpv6Packet(buffer) : default;
        return buffer.Length >= HeaderLength;
    }

    /// <summary>Creates a view for writing a new message; only the buffer length is checked.</summary>
    public static Icmpv6Packet CreateUnchecked(Span<byte> buffer)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(buffer.Length, HeaderLength, nameof(buffer));
        return new Icmpv6Packet(buffer);
    }

    public Span<byte> Buffer => _buffer;

    /// <summary>See <see cref="Icmpv6Type"/>.</summary>
    public byte Type
    {
        get => _buffer[TypeOffset];
        set => _buffer[TypeOffset] = value;
    }

    public byte Code
    {
        get => _buffer[CodeOffset];
        set => _buffer[CodeOffset] = value;
    }

    public ushort Checksum
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[ChecksumOffset..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_buffer[ChecksumOffset..], value);
    }

    /// <summary>Bytes 4-7: MTU, pointer, echo id and sequence, NDP flags or unused, depending on the type.</summary>
    public uint RestOfHeader
    {
        get => BinaryPrimitives.ReadUInt32BigEndian(_buffer[RestOfHeaderOffset..]);
        set => BinaryPrimitives.WriteUInt32BigEndian(_buffer[RestOfHeaderOffset..], value);
    }

    /// <summary>Echo identifier (bytes 4-5).</summary>
    public ushort Identifier
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[RestOfHeaderOffset..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_buffer[RestOfHeaderOffset..], value);
    }

    /// <summary>Echo sequence number (bytes 6-7).</summary>
    public ushort SequenceNumber
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[SequenceNumberOffset..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_buffer[SequenceNumberOffset..], value);
    }

    /// <summary>The MTU of a Packet Too Big message (bytes 4-7).</summary>
    public uint Mtu
    {
        get => RestOfHeader;
        set => RestOfHeader = value;
    }

    /// <summary>Everything after byte 8: echo data, the invoking packet of an error, or an NDP message body.</summary>
    public Span<byte> Data => _buffer[HeaderLength..];

    public bool VerifyChecksum(Ipv6Address source, Ipv6Address destination) =>
        Wire.Checksum.Compute(_buffer, PseudoHeader(source, destination)) == 0;

    public void FillChecksum(Ipv6Address source, Ipv6Address destination)
    {
        Checksum = 0;
        Checksum = Wire.Checksum.Compute(_buffer, PseudoHeader(source, destination));
    }

    private uint PseudoHeader(Ipv6Address source, Ipv6Address destination) =>
        Wire.Checksum.PseudoHeader(source, destination, IpProtocol.Icmpv6, _buffer.Length);
}
