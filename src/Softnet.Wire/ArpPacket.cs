using System.Buffers.Binary;

namespace Softnet.Wire;

/// <summary>A view of an ARP packet for Ethernet and IPv4 (RFC 826): fixed 6-byte hardware and 4-byte protocol addresses.</summary>
public readonly ref struct ArpPacket
{
    public const int Size = 28;
    public const ushort HardwareTypeEthernet = 1;

    private const int HardwareTypeOffset = 0;
    private const int ProtocolTypeOffset = 2;
    private const int HardwareLengthOffset = 4;
    private const int ProtocolLengthOffset = 5;
    private const int OperationOffset = 6;
    private const int SenderHardwareOffset = 8;
    private const int SenderProtocolOffset = 14;
    private const int TargetHardwareOffset = 18;
    private const int TargetProtocolOffset = 24;

    private readonly Span<byte> _buffer;

    private ArpPacket(Span<byte> buffer) => _buffer = buffer;

    /// <summary>Creates a view if <paramref name="buffer"/> holds 28 bytes; trailing Ethernet padding is allowed.</summary>
    public static bool TryCreate(Span<byte> buffer, out ArpPacket packet)
    {
        packet = buffer.Length >= Size ? new ArpPacket(buffer) : default;
        return buffer.Length >= Size;
    }

    /// <summary>Creates a view for writing a new packet; only the buffer length is checked.</summary>
    public static ArpPacket CreateUnchecked(Span<byte> buffer)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(buffer.Length, Size, nameof(buffer));
        return new ArpPacket(buffer);
    }

    public Span<byte> Buffer => _buffer;

    public ushort HardwareType
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[HardwareTypeOffset..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_buffer[HardwareTypeOffset..], value);
    }

    public ushort ProtocolType
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[ProtocolTypeOffset..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_buffer[ProtocolTypeOffset..], value);
    }

    public byte HardwareLength
    {
        get => _buffer[HardwareLengthOffset];
        set => _buffer[HardwareLengthOffset] = value;
    }

    public byte ProtocolLength
    {
        get => _buffer[ProtocolLengthOffset];
        set => _buffer[ProtocolLengthOffset] = value;
    }

    /// <summary>See <see cref="ArpOperation"/>.</summary>
    public ushort Operation
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[OperationOffset..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_buffer[OperationOffset..], value);
    }

    public MacAddress SenderHardwareAddress
    {
        get => MacAddress.Read(_buffer[SenderHardwareOffset..]);
        set => value.WriteTo(_buffer[SenderHardwareOffset..]);
    }

    public Ipv4Address SenderProtocolAddress
    {
        get => Ipv4Address.Read(_buffer[SenderProtocolOffset..]);
        set => value.WriteTo(_buffer[SenderProtocolOffset..]);
    }

    public MacAddress TargetHardwareAddress
    {
        get => MacAddress.Read(_buffer[TargetHardwareOffset..]);
        set => value.WriteTo(_buffer[TargetHardwareOffset..]);
    }

    public Ipv4Address TargetProtocolAddress
    {
        get => Ipv4Address.Read(_buffer[TargetProtocolOffset..]);
        set => value.WriteTo(_buffer[TargetProtocolOffset..]);
    }
}
