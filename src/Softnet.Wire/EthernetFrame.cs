using System.Buffers.Binary;

namespace Softnet.Wire;

/// <summary>A view of an Ethernet II frame: destination, source, EtherType, then the payload (the FCS is not included).</summary>
public readonly ref struct EthernetFrame
{
    public const int HeaderLength = 14;

    private const int DestinationOffset = 0;
    private const int SourceOffset = 6;
    private const int EtherTypeOffset = 12;

    private readonly Span<byte> _buffer;

    private EthernetFrame(Span<byte> buffer) => _buffer = buffer;

    /// <summary>Creates a view if <paramref name="buffer"/> holds at least the 14-byte header.</summary>
    public static bool TryCreate(Span<byte> buffer, out EthernetFrame frame)
    {
        frame = buffer.Length >= HeaderLength ? new EthernetFrame(buffer) : default;
        return buffer.Length >= HeaderLength;
    }

    /// <summary>Creates a view for writing a new header; only the buffer length is checked.</summary>
    public static EthernetFrame CreateUnchecked(Span<byte> buffer)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(buffer.Length, HeaderLength, nameof(buffer));
        return new EthernetFrame(buffer);
    }

    public Span<byte> Buffer => _buffer;

    public MacAddress Destination
    {
        get => MacAddress.Read(_buffer[DestinationOffset..]);
        set => value.WriteTo(_buffer[DestinationOffset..]);
    }

    public MacAddress Source
    {
        get => MacAddress.Read(_buffer[SourceOffset..]);
        set => value.WriteTo(_buffer[SourceOffset..]);
    }

    public ushort EtherType
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[EtherTypeOffset..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_buffer[EtherTypeOffset..], value);
    }

    public Span<byte> Payload => _buffer[HeaderLength..];
}
