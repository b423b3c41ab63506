using System.Buffers.Binary;

namespace Softnet.Wire;

/// <summary>A view of an IPv4 packet (RFC 791). <see cref="Payload"/> ends at <see cref="TotalLength"/>, so link-layer padding is excluded.</summary>
public readonly ref struct Ipv4Packet
{
    public const int MinHeaderLength = 20;
    public const int MaxHeaderLength = 60;

    private const int VersionIhlOffset = 0;
    private const int DscpEcnOffset = 1;
    private const int TotalLengthOffset = 2;
    private const int IdentificationOffset = 4;
    private const int FlagsFragmentOffset = 6;
    private const int TtlOffset = 8;
    private const int ProtocolOffset = 9;
    private const int ChecksumOffset = 10;
    private const int SourceOffset = 12;
    private const int DestinationOffset = 16;

    private const ushort DontFragmentBit = 0x4000;
    private const ushort MoreFragmentsBit = 0x2000;
    private const ushort FragmentOffsetMask = 0x1FFF;

    private readonly Span<byte> _buffer;

    private Ipv4Packet(Span<byte> buffer) => _buffer = buffer;

    /// <summary>
    /// Creates a view if the buffer holds the fixed header, the IHL is at least 5, and the header and
    /// <see cref="TotalLength"/> fit in the buffer. The version is checked by <see cref="Ipv4Repr.TryParse"/>.
    /// </summary>
    public static bool TryCreate(Span<byte> buffer, out Ipv4Packet packet)
    {
        packet = default;
        if (buffer.Length < MinHeaderLength) return false;
        var headerLength = (buffer[VersionIhlOffset] & 0x0F) * 4;
        var totalLength = BinaryPrimitives.ReadUInt16BigEndian(buffer[TotalLengthOffset..]);
        if (headerLength < MinHeaderLength || headerLength > totalLength || totalLength > buffer.Length) return false;
        packet = new Ipv4Packet(buffer);
        return true;
    }

    /// <summary>
    /// Creates a view for writing a new header; only the buffer length is checked. Length-dependent spans are clamped
    /// to the buffer, so no accessor throws before the length fields are written.
    /// </summary>
    public static Ipv4Packet CreateUnchecked(Span<byte> buffer)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(buffer.Length, MinHeaderLength, nameof(buffer));
        return new Ipv4Packet(buffer);
    }

    public Span<byte> Buffer => _buffer;

    public byte Version
    {
        get => (byte)(_buffer[VersionIhlOffset] >> 4);
        set
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 15);
            _buffer[VersionIhlOffset] = (byte)((_buffer[VersionIhlOffset] & 0x0F) | (value << 4));
        }
    }

    /// <summary>Header length in bytes (IHL * 4), 20-60.</summary>
    public int HeaderLength
    {
        get => (_buffer[VersionIhlOffset] & 0x0F) * 4;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, MinHeaderLength);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxHeaderLength);
            if (value % 4 != 0) throw new ArgumentOutOfRangeException(nameof(value), value, "The IPv4 header length is a multiple of 4.");
            _buffer[VersionIhlOffset] = (byte)((_buffer[VersionIhlOffset] & 0xF0) | (value / 4));
        }
    }

    /// <summary>Differentiated services code point, 0-63.</summary>
    public byte Dscp
    {
        get => (byte)(_buffer[DscpEcnOffset] >> 2);
        set
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 63);
            _buffer[DscpEcnOffset] = (byte)((_buffer[DscpEcnOffset] & 0x03) | (value << 2));
        }
    }

    /// <summary>Explicit congestion notification, 0-3.</summary>
    public byte Ecn
    {
        get => (byte)(_buffer[DscpEcnOffset] & 0x03);
        set
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 3);
            _buffer[DscpEcnOffset] = (byte)((_buffer[DscpEcnOffset] & 0xFC) | value);
        }
    }

    public ushort TotalLength
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[TotalLengthOffset..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_buffer[TotalLengthOffset..], value);
    }

    public ushort Identification
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[IdentificationOffset..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_buffer[IdentificationOffset..], value);
    }

    public bool DontFragment
    {
        get => (FlagsFragment & DontFragmentBit) != 0;
        set => FlagsFragment = (ushort)(value ? FlagsFragment | DontFragmentBit : FlagsFragment & ~DontFragmentBit);
    }

    public bool MoreFragments
    {
        get => (FlagsFragment & MoreFragmentsBit) != 0;
        set => FlagsFragment = (ushort)(value ? FlagsFragment | MoreFragmentsBit : FlagsFragment & ~MoreFragmentsBit);
    }

    /// <summary>Fragment offset in bytes (the field counts 8-byte units), 0-65528.</summary>
    public int FragmentOffset
    {
        get => (FlagsFragment & FragmentOffsetMask) * 8;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, FragmentOffsetMask * 8);
            if (value % 8 != 0) throw new ArgumentOutOfRangeException(nameof(value), value, "The fragment offset is a multiple of 8 bytes.");
            FlagsFragment = (ushort)((FlagsFragment & ~FragmentOffsetMask) | (value / 8));
        }
    }

    /// <summary>True for any fragment of a fragmented datagram, including the first.</summary>
    public bool IsFragment => (FlagsFragment & (MoreFragmentsBit | FragmentOffsetMask)) != 0;

    public byte TimeToLive
    {
        get => _buffer[TtlOffset];
        set => _buffer[TtlOffset] = value;
    }

    public byte Protocol
    {
        get => _buffer[ProtocolOffset];
        set => _buffer[ProtocolOffset] = value;
    }

    public ushort HeaderChecksum
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[ChecksumOffset..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_buffer[ChecksumOffset..], value);
    }

    public Ipv4Address Source
    {
        get => Ipv4Address.Read(_buffer[SourceOffset..]);
        set => value.WriteTo(_buffer[SourceOffset..]);
    }

    public Ipv4Address Destination
    {
        get => Ipv4Address.Read(_buffer[DestinationOffset..]);
        set => value.WriteTo(_buffer[DestinationOffset..]);
    }

    /// <summary>The header including options (what ICMP errors quote).</summary>
    public Span<byte> Header => _buffer[..ClampedHeaderLength];

    public Span<byte> Options => _buffer[MinHeaderLength..ClampedHeaderLength];

    public Span<byte> Payload
    {
        get
        {
            var start = ClampedHeaderLength;
            return _buffer[start..Math.Clamp((int)TotalLength, start, _buffer.Length)];
        }
    }

    public bool VerifyChecksum() => Checksum.Compute(Header) == 0;

    public void FillChecksum()
    {
        HeaderChecksum = 0;
        HeaderChecksum = Checksum.Compute(Header);
    }

    /// <summary>Decrements the TTL and updates the checksum incrementally (RFC 1624). The caller handles TTL 0 or 1 first; a TTL of 0 is left unchanged.</summary>
    public void DecrementTtl()
    {
        var ttl = TimeToLive;
        if (ttl == 0) return;
        var protocol = Protocol;
        HeaderChecksum = Checksum.Update(HeaderChecksum, (ushort)(ttl << 8 | protocol), (ushort)((ttl - 1) << 8 | protocol));
        TimeToLive = (byte)(ttl - 1);
    }

    /// <summary>Rewrites the source address, updating the header checksum incrementally. Transport checksums are the caller's.</summary>
    public void SetSourceIncremental(Ipv4Address address)
    {
        HeaderChecksum = Checksum.Update(HeaderChecksum, Source.Value, address.Value);
        Source = address;
    }

    /// <summary>Rewrites the destination address, updating the header checksum incrementally. Transport checksums are the caller's.</summary>
    public void SetDestinationIncremental(Ipv4Address address)
    {
        HeaderChecksum = Checksum.Update(HeaderChecksum, Destination.Value, address.Value);
        Destination = address;
    }

    private ushort FlagsFragment
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[FlagsFragmentOffset..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_buffer[FlagsFragmentOffset..], value);
    }

    private int ClampedHeaderLength => Math.Clamp(HeaderLength, MinHeaderLength, _buffer.Length);
}
