using System.Buffers.Binary;

namespace Softnet.Wire;

/// <summary>
/// A view of a TCP segment (RFC 9293). The segment is the whole buffer: create the view over exactly the IP payload,
/// since the checksum covers every byte of it.
/// </summary>
public readonly ref struct TcpPacket
{
    public const int MinHeaderLength = 20;
    public const int MaxHeaderLength = 60;

    private const int SourcePortOffset = 0;
    private const int DestinationPortOffset = 2;
    private const int SequenceNumberOffset = 4;
    private const int AcknowledgmentNumberOffset = 8;
    private const int DataOffsetOffset = 12;
    private const int FlagsOffset = 13;
    private const int WindowSizeOffset = 14;
    private const int ChecksumOffset = 16;
    private const int UrgentPointerOffset = 18;

    private readonly Span<byte> _buffer;

    private TcpPacket(Span<byte> buffer) => _buffer = buffer;

    /// <summary>Creates a view if the fixed header fits and the data offset is at least 5 words and within the buffer.</summary>
    public static bool TryCreate(Span<byte> buffer, out TcpPacket packet)
    {
        packet = default;
        if (buffer.Length < MinHeaderLength) return false;
        var headerLength = (buffer[DataOffsetOffset] >> 4) * 4;
        if (headerLength < MinHeaderLength || headerLength > buffer.Length) return false;
        packet = new TcpPacket(buffer);
        return true;
    }

    /// <summary>Creates a view for writing a new segment; only the buffer length is checked and spans are clamped to the buffer.</summary>
    public static TcpPacket CreateUnchecked(Span<byte> buffer)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(buffer.Length, MinHeaderLength, nameof(buffer));
        return new TcpPacket(buffer);
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

    public uint SequenceNumber
    {
        get => BinaryPrimitives.ReadUInt32BigEndian(_buffer[SequenceNumberOffset..]);
        set => BinaryPrimitives.WriteUInt32BigEndian(_buffer[SequenceNumberOffset..], value);
    }

    public uint AcknowledgmentNumber
    {
        get => BinaryPrimitives.ReadUInt32BigEndian(_buffer[AcknowledgmentNumberOffset..]);
        set => BinaryPrimitives.WriteUInt32BigEndian(_buffer[AcknowledgmentNumberOffset..], value);
    }

    /// <summary>Header length in bytes (data offset * 4), 20-60.</summary>
    public int HeaderLength
    {
        get => (_buffer[DataOffsetOffset] >> 4) * 4;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, MinHeaderLength);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxHeaderLength);
            if (value % 4 != 0) throw new ArgumentOutOfRangeException(nameof(value), value, "The TCP header length is a multiple of 4.");
            _buffer[DataOffsetOffset] = (byte)((_buffer[DataOffsetOffset] & 0x0F) | (value / 4) << 4);
        }
    }

    public TcpFlags Flags
    {
        get => (TcpFlags)_buffer[FlagsOffset];
        set => _buffer[FlagsOffset] = (byte)value;
    }

    public ushort WindowSize
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[WindowSizeOffset..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_buffer[WindowSizeOffset..], value);
    }

    public ushort Checksum
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[ChecksumOffset..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_buffer[ChecksumOffset..], value);
    }

    public ushort UrgentPointer
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[UrgentPointerOffset..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_buffer[UrgentPointerOffset..], value);
    }

    public Span<byte> Options => _buffer[MinHeaderLength..ClampedHeaderLength];

    public Span<byte> Payload => _buffer[ClampedHeaderLength..];

    /// <summary>
    /// Finds the first option of <paramref name="kind"/> (not End or Nop) and returns its value bytes, after the kind and
    /// length bytes, for reading or rewriting in place (MSS clamping). Returns false if it is absent or the options before it are malformed.
    /// </summary>
    public bool TryGetOption(byte kind, out Span<byte> value)
    {
        value = default;
        var options = Options;
        while (!options.IsEmpty && options[0] != TcpOptionKind.End)
        {
            if (options[0] == TcpOptionKind.Nop)
            {
                options = options[1..];
                continue;
            }
            if (options.Length < 2 || options[1] < 2 || options[1] > options.Length) return false;
            if (options[0] == kind)
            {
                value = options[2..options[1]];
                return true;
            }
            options = options[options[1]..];
        }
        return false;
    }

    public bool VerifyChecksum(Ipv4Address source, Ipv4Address destination) =>
        Wire.Checksum.Compute(_buffer, Wire.Checksum.PseudoHeader(source, destination, IpProtocol.Tcp, _buffer.Length)) == 0;

    public bool VerifyChecksum(Ipv6Address source, Ipv6Address destination) =>
        Wire.Checksum.Compute(_buffer, Wire.Checksum.PseudoHeader(source, destination, IpProtocol.Tcp, _buffer.Length)) == 0;

    public void FillChecksum(Ipv4Address source, Ipv4Address destination) =>
        FillChecksum(Wire.Checksum.PseudoHeader(source, destination, IpProtocol.Tcp, _buffer.Length));

    public void FillChecksum(Ipv6Address source, Ipv6Address destination) =>
        FillChecksum(Wire.Checksum.PseudoHeader(source, destination, IpProtocol.Tcp, _buffer.Length));

    private void FillChecksum(uint pseudoHeader)
    {
        Checksum = 0;
        Checksum = Wire.Checksum.Compute(_buffer, pseudoHeader);
    }

    private int ClampedHeaderLength => Math.Clamp(HeaderLength, MinHeaderLength, _buffer.Length);
}
