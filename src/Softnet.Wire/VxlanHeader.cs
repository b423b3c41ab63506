using System.Buffers.Binary;

namespace Softnet.Wire;

/// <summary>
/// A view of a VXLAN header (RFC 7348): flags with the I bit, 24 reserved bits, the 24-bit VNI, 8 reserved bits;
/// <see cref="Payload"/> is the inner Ethernet frame.
/// </summary>
public readonly ref struct VxlanHeader
{
    public const int Size = 8;

    /// <summary>The IANA-assigned UDP destination port.</summary>
    public const ushort UdpPort = 4789;

    public const uint MaxVni = 0xFF_FFFF;

    private const int FlagsOffset = 0;
    private const int VniOffset = 4;
    private const byte ValidVniFlag = 0x08;

    private readonly Span<byte> _buffer;

    private VxlanHeader(Span<byte> buffer) => _buffer = buffer;

    public static bool TryCreate(Span<byte> buffer, out VxlanHeader header)
    {
        header = buffer.Length >= Size ? new VxlanHeader(buffer) : default;
        return buffer.Length >= Size;
    }

    /// <summary>Creates a view for writing a new header; only the buffer length is checked.</summary>
    public static VxlanHeader CreateUnchecked(Span<byte> buffer)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(buffer.Length, Size, nameof(buffer));
        return new VxlanHeader(buffer);
    }

    public Span<byte> Buffer => _buffer;

    public byte Flags
    {
        get => _buffer[FlagsOffset];
        set => _buffer[FlagsOffset] = value;
    }

    /// <summary>The I flag: set when the VNI is valid, which RFC 7348 requires.</summary>
    public bool HasValidVni
    {
        get => (Flags & ValidVniFlag) != 0;
        set => Flags = (byte)(value ? Flags | ValidVniFlag : Flags & ~ValidVniFlag);
    }

    /// <summary>The 24-bit VXLAN network identifier.</summary>
    public uint Vni
    {
        get => BinaryPrimitives.ReadUInt32BigEndian(_buffer[VniOffset..]) >> 8;
        set
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxVni);
            BinaryPrimitives.WriteUInt32BigEndian(_buffer[VniOffset..], (value << 8) | _buffer[VniOffset + 3]);
        }
    }

    public Span<byte> Payload => _buffer[Size..];
}
