using System.Buffers.Binary;

namespace Softnet.Wire;

/// <summary>
/// A view of an IPv6 packet (RFC 8200): the 40-byte fixed header, then <see cref="PayloadLength"/> bytes of extension
/// headers and upper-layer data. Jumbograms (payload length 0 with a Jumbo option) are not supported.
/// </summary>
public readonly ref struct Ipv6Packet
{
    public const int HeaderLength = 40;

    private const int VersionClassFlowOffset = 0;
    private const int PayloadLengthOffset = 4;
    private const int NextHeaderOffset = 6;
    private const int HopLimitOffset = 7;
    private const int SourceOffset = 8;
    private const int DestinationOffset = 24;

    private readonly Span<byte> _buffer;

    private Ipv6Packet(Span<byte> buffer) => _buffer = buffer;

    /// <summary>Creates a view if the fixed header and <see cref="PayloadLength"/> bytes fit in the buffer. The version is checked by <see cref="Ipv6Repr.TryParse"/>.</summary>
    public static bool TryCreate(Span<byte> buffer, out Ipv6Packet packet)
    {
        packet = default;
        if (buffer.Length < HeaderLength) return false;
        if (HeaderLength + BinaryPrimitives.ReadUInt16BigEndian(buffer[PayloadLengthOffset..]) > buffer.Length) return false;
        packet = new Ipv6Packet(buffer);
        return true;
    }

    /// <summary>Creates a view for writing a new header; only the buffer length is checked and <see cref="Payload"/> is clamped to the buffer.</summary>
    public static Ipv6Packet CreateUnchecked(Span<byte> buffer)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(buffer.Length, HeaderLength, nameof(buffer));
        return new Ipv6Packet(buffer);
    }

    public Span<byte> Buffer => _buffer;

    public byte Version
    {
        get => (byte)(_buffer[VersionClassFlowOffset] >> 4);
        set
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 15);
            VersionClassFlow = (VersionClassFlow & 0x0FFF_FFFF) | ((uint)value << 28);
        }
    }

    public byte TrafficClass
    {
        get => (byte)(VersionClassFlow >> 20);
        set => VersionClassFlow = (VersionClassFlow & 0xF00F_FFFF) | ((uint)value << 20);
    }

    /// <summary>The 20-bit flow label.</summary>
    public uint FlowLabel
    {
        get => VersionClassFlow & 0x000F_FFFF;
        set
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 0x000F_FFFFu);
            VersionClassFlow = (VersionClassFlow & 0xFFF0_0000) | value;
        }
    }

    public ushort PayloadLength
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[PayloadLengthOffset..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_buffer[PayloadLengthOffset..], value);
    }

    public byte NextHeader
    {
        get => _buffer[NextHeaderOffset];
        set => _buffer[NextHeaderOffset] = value;
    }

    public byte HopLimit
    {
        get => _buffer[HopLimitOffset];
        set => _buffer[HopLimitOffset] = value;
    }

    public Ipv6Address Source
    {
        get => Ipv6Address.Read(_buffer[SourceOffset..]);
        set => value.WriteTo(_buffer[SourceOffset..]);
    }

    public Ipv6Address Destination
    {
        get => Ipv6Address.Read(_buffer[DestinationOffset..]);
        set => value.WriteTo(_buffer[DestinationOffset..]);
    }

    /// <summary>The <see cref="PayloadLength"/> bytes after the fixed header (extension headers included); link-layer padding is excluded.</summary>
    public Span<byte> Payload => _buffer[HeaderLength..PayloadEnd];

    /// <summary>
    /// Walks the Hop-by-Hop, Routing, Fragment, Destination Options and AH extension headers to the first other
    /// header and returns its protocol number and its offset from the start of this packet. A non-first fragment
    /// stops the walk at its Fragment header (protocol 44), since the upper-layer header is not in this packet.
    /// Returns false when a header is truncated or a Hop-by-Hop header is not the first.
    /// </summary>
    public bool TryFindUpperLayer(out byte protocol, out int offset)
    {
        var end = PayloadEnd;
        var next = NextHeader;
        var at = HeaderLength;
        while (true)
        {
            int length;
            switch (next)
            {
                case IpProtocol.HopByHop when at != HeaderLength:
                    protocol = 0;
                    offset = 0;
                    return false;
                case IpProtocol.HopByHop or IpProtocol.Ipv6Route or IpProtocol.Ipv6Options:
                    length = at + 2 <= end ? (_buffer[at + 1] + 1) * 8 : int.MaxValue;
                    break;
                case IpProtocol.Ipv6Fragment:
                    length = 8;
                    if (at + length <= end && (BinaryPrimitives.ReadUInt16BigEndian(_buffer[(at + 2)..]) >> 3) != 0)
                    {
                        protocol = IpProtocol.Ipv6Fragment;
                        offset = at;
                        return true;
                    }
                    break;
                case IpProtocol.Ah:
                    length = at + 2 <= end ? (_buffer[at + 1] + 2) * 4 : int.MaxValue;
                    break;
                default:
                    protocol = next;
                    offset = at;
                    return true;
            }
            if (length > end - at)
            {
                protocol = 0;
                offset = 0;
                return false;
            }
            next = _buffer[at];
            at += length;
        }
    }

    private uint VersionClassFlow
    {
        get => BinaryPrimitives.ReadUInt32BigEndian(_buffer[VersionClassFlowOffset..]);
        set => BinaryPrimitives.WriteUInt32BigEndian(_buffer[VersionClassFlowOffset..], value);
    }

    private int PayloadEnd => Math.Min(HeaderLength + PayloadLength, _buffer.Length);
}
