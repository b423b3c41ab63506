using System.Buffers.Binary;

namespace Softnet.Wire;

/// <summary>
/// A view of the 12-byte <c>virtio_net_hdr_v1</c> that precedes every frame on a TAP opened with
/// <c>IFF_VNET_HDR</c> and a header size of 12 (virtio 1.x section 5.1.6): flags, gso_type, hdr_len, gso_size,
/// csum_start, csum_offset, num_buffers.
/// </summary>
/// <remarks>
/// The 16-bit fields are little-endian. Virtio 1.x devices (VIRTIO_F_VERSION_1) are little-endian by definition;
/// legacy headers use the host's order, which on x86 and arm64 is also little-endian; and a TAP switched with
/// <c>TUNSETVNETLE</c> reads and writes little-endian headers on any host. Reading them as little-endian is therefore
/// exact wherever the kernel side is a modern device or such a TAP.
/// </remarks>
public readonly ref struct VirtioNetHeader
{
    public const int Size = 12;

    /// <summary>VIRTIO_NET_HDR_F_NEEDS_CSUM: the L4 checksum is partial; complete it over csum_start onwards, store at csum_start + csum_offset.</summary>
    public const byte FlagNeedsChecksum = 0x01;

    /// <summary>VIRTIO_NET_HDR_F_DATA_VALID: the checksum was verified (receive direction only).</summary>
    public const byte FlagDataValid = 0x02;

    public const byte GsoNone = 0;
    public const byte GsoTcpIpv4 = 1;

    /// <summary>UFO: IPv4 UDP fragmentation offload.</summary>
    public const byte GsoUdp = 3;

    public const byte GsoTcpIpv6 = 4;

    /// <summary>USO: UDP segmentation (IPv4 or IPv6).</summary>
    public const byte GsoUdpL4 = 5;

    /// <summary>ORed into gso_type: the TCP super-frame carries ECN (CWR must be set on the first segment only).</summary>
    public const byte GsoEcn = 0x80;

    private const int FlagsOffset = 0;
    private const int GsoTypeOffset = 1;
    private const int HeaderLengthOffset = 2;
    private const int GsoSizeOffset = 4;
    private const int ChecksumStartOffset = 6;
    private const int ChecksumOffsetOffset = 8;
    private const int NumBuffersOffset = 10;

    private readonly Span<byte> _buffer;

    private VirtioNetHeader(Span<byte> buffer) => _buffer = buffer;

    public static bool TryCreate(Span<byte> buffer, out VirtioNetHeader header)
    {
        header = buffer.Length >= Size ? new VirtioNetHeader(buffer) : default;
        return buffer.Length >= Size;
    }

    /// <summary>Creates a view for writing a new header; only the buffer length is checked.</summary>
    public static VirtioNetHeader CreateUnchecked(Span<byte> buffer)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(buffer.Length, Size, nameof(buffer));
        return new VirtioNetHeader(buffer);
    }

    public Span<byte> Buffer => _buffer;

    public byte Flags
    {
        get => _buffer[FlagsOffset];
        set => _buffer[FlagsOffset] = value;
    }

    public bool NeedsChecksum => (Flags & FlagNeedsChecksum) != 0;

    /// <summary>One of the Gso* constants, possibly ORed with <see cref="GsoEcn"/>.</summary>
    public byte GsoType
    {
        get => _buffer[GsoTypeOffset];
        set => _buffer[GsoTypeOffset] = value;
    }

    /// <summary>hdr_len: bytes of headers (Ethernet to L4) in front of the payload; a hint for the receiver's linear part.</summary>
    public ushort HeaderLength
    {
        get => BinaryPrimitives.ReadUInt16LittleEndian(_buffer[HeaderLengthOffset..]);
        set => BinaryPrimitives.WriteUInt16LittleEndian(_buffer[HeaderLengthOffset..], value);
    }

    /// <summary>Payload bytes per segment of a super-frame.</summary>
    public ushort GsoSize
    {
        get => BinaryPrimitives.ReadUInt16LittleEndian(_buffer[GsoSizeOffset..]);
        set => BinaryPrimitives.WriteUInt16LittleEndian(_buffer[GsoSizeOffset..], value);
    }

    /// <summary>Offset from the frame start where the partial checksum's coverage starts.</summary>
    public ushort ChecksumStart
    {
        get => BinaryPrimitives.ReadUInt16LittleEndian(_buffer[ChecksumStartOffset..]);
        set => BinaryPrimitives.WriteUInt16LittleEndian(_buffer[ChecksumStartOffset..], value);
    }

    /// <summary>Offset of the checksum field from <see cref="ChecksumStart"/>.</summary>
    public ushort ChecksumOffset
    {
        get => BinaryPrimitives.ReadUInt16LittleEndian(_buffer[ChecksumOffsetOffset..]);
        set => BinaryPrimitives.WriteUInt16LittleEndian(_buffer[ChecksumOffsetOffset..], value);
    }

    /// <summary>Receive buffers merged into this frame (mergeable receive buffers); a TAP neither writes nor reads it.</summary>
    public ushort NumBuffers
    {
        get => BinaryPrimitives.ReadUInt16LittleEndian(_buffer[NumBuffersOffset..]);
        set => BinaryPrimitives.WriteUInt16LittleEndian(_buffer[NumBuffersOffset..], value);
    }

    public Span<byte> Payload => _buffer[Size..];
}
