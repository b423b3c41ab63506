using System.Buffers.Binary;

namespace Softnet.Wire;

/// <summary>
/// A view of one 4-byte MPLS label stack entry (RFC 3032): label (20 bits), traffic class (3), bottom of stack (1),
/// TTL (8). <see cref="Payload"/> is what follows: the next entry, or the packet when <see cref="BottomOfStack"/> is set.
/// </summary>
public readonly ref struct MplsHeader
{
    public const int Size = 4;

    private const int EntryOffset = 0;
    private const uint BottomOfStackBit = 0x100;

    private readonly Span<byte> _buffer;

    private MplsHeader(Span<byte> buffer) => _buffer = buffer;

    public static bool TryCreate(Span<byte> buffer, out MplsHeader header)
    {
        header = buffer.Length >= Size ? new MplsHeader(buffer) : default;
        return buffer.Length >= Size;
    }

    /// <summary>Creates a view for writing a new entry; only the buffer length is checked.</summary>
    public static MplsHeader CreateUnchecked(Span<byte> buffer)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(buffer.Length, Size, nameof(buffer));
        return new MplsHeader(buffer);
    }

    public Span<byte> Buffer => _buffer;

    /// <summary>The raw 32-bit entry, for rewriting label, TC and TTL in one store.</summary>
    public uint Entry
    {
        get => BinaryPrimitives.ReadUInt32BigEndian(_buffer[EntryOffset..]);
        set => BinaryPrimitives.WriteUInt32BigEndian(_buffer[EntryOffset..], value);
    }

    public MplsLabel Label
    {
        get => new(Entry >> 12);
        set => Entry = (Entry & 0xFFF) | (value.Value << 12);
    }

    /// <summary>Traffic class (formerly EXP), 0-7.</summary>
    public byte TrafficClass
    {
        get => (byte)((Entry >> 9) & 0x7);
        set
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 7);
            Entry = (Entry & ~0xE00u) | ((uint)value << 9);
        }
    }

    public bool BottomOfStack
    {
        get => (Entry & BottomOfStackBit) != 0;
        set => Entry = value ? Entry | BottomOfStackBit : Entry & ~BottomOfStackBit;
    }

    public byte TimeToLive
    {
        get => _buffer[EntryOffset + 3];
        set => _buffer[EntryOffset + 3] = value;
    }

    public Span<byte> Payload => _buffer[Size..];
}
