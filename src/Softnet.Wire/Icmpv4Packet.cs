using System.Buffers.Binary;

namespace Softnet.Wire;

/// <summary>
/// A view of an ICMPv4 message (RFC 792) spanning the whole IPv4 payload: type, code, checksum, the 4-byte
/// type-specific rest of header, then <see cref="Data"/>. The checksum covers the whole buffer.
/// </summary>
public readonly ref struct Icmpv4Packet
{
    public const int HeaderLength = 8;

    private const int TypeOffset = 0;
    private const int CodeOffset = 1;
    private const int ChecksumOffset = 2;
    private const int RestOfHeaderOffset = 4;
    private const int SequenceNumberOffset = 6;

    private readonly Span<byte> _buffer;

    private Icmpv4Packet(Span<byte> buffer) => _buffer = buffer;

    public static bool TryCreate(Span<byte> buffer, out Icmpv4Packet packet)
    {
        packet = buffer.Length >= HeaderLength ? new Icmpv4Packet(buffer) : default;
        return buffer.Length >= HeaderLength;
    }

    /// <summary>Creates a view for writing a new message; only the buffer length is checked.</summary>
    public static Icmpv4Packet CreateUnchecked(Span<byte> buffer)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(buffer.Length, HeaderLength, nameof(buffer));
        return new Icmpv4Packet(buffer);
    }

    public Span<byte> Buffer => _buffer;

    /// <summary>See <see cref="Icmpv4Type"/>.</summary>
    public byte Type
    {
        get => _buffer[TypeOffset];
        set => _buffer[TypeOffset] = value;
    }

    /// <summary>See <see cref="Icmpv4Code"/>.</summary>
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

    /// <summary>Bytes 4-7, whose meaning depends on the type (echo id and sequence, next-hop MTU, pointer, unused).</summary>
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

    /// <summary>Next-hop MTU of a Fragmentation Needed message (bytes 6-7, RFC 1191).</summary>
    public ushort NextHopMtu
    {
        get => SequenceNumber;
        set => SequenceNumber = value;
    }

    /// <summary>Echo data, or the quoted IP header and leading payload bytes of an error.</summary>
    public Span<byte> Data => _buffer[HeaderLength..];

    public bool VerifyChecksum() => Wire.Checksum.Compute(_buffer) == 0;

    public void FillChecksum()
    {
        Checksum = 0;
        Checksum = Wire.Checksum.Compute(_buffer);
    }
}
