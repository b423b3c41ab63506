using System.Buffers.Binary;

namespace Softnet.Wire;

/// <summary>
/// A view of an IEEE 802.1Q tag as it follows the Ethernet addresses when the outer EtherType is 0x8100 (or 0x88A8):
/// the tag control information (PCP, DEI, VID) and the inner EtherType, then the payload.
/// </summary>
public readonly ref struct VlanHeader
{
    public const int Size = 4;
    public const ushort MaxVlanId = 4095;

    private const int TciOffset = 0;
    private const int EtherTypeOffset = 2;

    private readonly Span<byte> _buffer;

    private VlanHeader(Span<byte> buffer) => _buffer = buffer;

    public static bool TryCreate(Span<byte> buffer, out VlanHeader header)
    {
        header = buffer.Length >= Size ? new VlanHeader(buffer) : default;
        return buffer.Length >= Size;
    }

    /// <summary>Creates a view for writing a new tag; only the buffer length is checked.</summary>
    public static VlanHeader CreateUnchecked(Span<byte> buffer)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(buffer.Length, Size, nameof(buffer));
        return new VlanHeader(buffer);
    }

    public Span<byte> Buffer => _buffer;

    /// <summary>The raw 16-bit tag control information.</summary>
    public ushort Tci
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[TciOffset..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_buffer[TciOffset..], value);
    }

    /// <summary>Priority code point, 0-7.</summary>
    public byte Priority
    {
        get => (byte)(Tci >> 13);
        set
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 7);
            Tci = (ushort)((Tci & 0x1FFF) | (value << 13));
        }
    }

    public bool DropEligible
    {
        get => (Tci & 0x1000) != 0;
        set => Tci = (ushort)(value ? Tci | 0x1000 : Tci & ~0x1000);
    }

    /// <summary>VLAN identifier, 0-4095 (0 means priority-tagged, 4095 is reserved).</summary>
    public ushort VlanId
    {
        get => (ushort)(Tci & 0x0FFF);
        set
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxVlanId);
            Tci = (ushort)((Tci & 0xF000) | value);
        }
    }

    /// <summary>The EtherType of the tagged payload.</summary>
    public ushort EtherType
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[EtherTypeOffset..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_buffer[EtherTypeOffset..], value);
    }

    public Span<byte> Payload => _buffer[Size..];
}
