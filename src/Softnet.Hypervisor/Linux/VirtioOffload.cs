using Softnet.DataPlane;
using Softnet.Wire;

namespace Softnet.Hypervisor.Linux;

/// <summary>
/// Translates between a virtio-net header and the offload fields of <see cref="PacketMeta"/> (segmentation and
/// partial checksum), in the two directions a TAP needs.
/// </summary>
public static class VirtioOffload
{
    private const int TcpChecksumField = 16;
    private const int TcpDataOffsetField = 12;

    /// <summary>
    /// Copies what <paramref name="header"/> says about the frame of <paramref name="length"/> bytes into
    /// <paramref name="meta"/>. Refuses (returns false) a checksum window outside the frame and a segmentation type
    /// <see cref="GsoKind"/> cannot express (ECN, UDP_L4: a TAP whose offloads were set as <see cref="TapPort"/> sets
    /// them does not produce them). DATA_VALID carries nothing the data plane uses.
    /// </summary>
    public static bool TryRead(VirtioNetHeader header, int length, ref PacketMeta meta)
    {
        if (!TryKind(header.GsoType, out var kind)) return false;
        if (header.NeedsChecksum)
        {
            if (header.ChecksumStart + header.ChecksumOffset + 2 > length) return false;
            meta.Flags |= PacketFlags.ChecksumPartial;
            meta.ChecksumStart = header.ChecksumStart;
            meta.ChecksumOffset = header.ChecksumOffset;
        }
        meta.GsoType = kind;
        meta.GsoSize = kind == GsoKind.None ? (ushort)0 : header.GsoSize;
        return true;
    }

    /// <summary>
    /// Writes the header for sending <paramref name="frame"/> described by <paramref name="meta"/>: NEEDS_CSUM with
    /// its window when the checksum is partial, the segmentation type and size of a super-frame, and hdr_len up to the
    /// end of the L4 header (the TCP header's own length, otherwise the checksum field's end).
    /// </summary>
    public static void Write(in PacketMeta meta, ReadOnlySpan<byte> frame, VirtioNetHeader header)
    {
        header.Buffer[..VirtioNetHeader.Size].Clear();
        if ((meta.Flags & PacketFlags.ChecksumPartial) != 0)
        {
            header.Flags = VirtioNetHeader.FlagNeedsChecksum;
            header.ChecksumStart = meta.ChecksumStart;
            header.ChecksumOffset = meta.ChecksumOffset;
            header.HeaderLength = (ushort)Math.Min(frame.Length, HeadersEnd(meta, frame));
        }
        if (meta.GsoType == GsoKind.None) return;
        header.GsoType = (byte)meta.GsoType;
        header.GsoSize = meta.GsoSize;
    }

    private static bool TryKind(byte gsoType, out GsoKind kind)
    {
        kind = gsoType switch
        {
            VirtioNetHeader.GsoTcpIpv4 => GsoKind.TcpIpv4,
            VirtioNetHeader.GsoUdp => GsoKind.UdpIpv4,
            VirtioNetHeader.GsoTcpIpv6 => GsoKind.TcpIpv6,
            _ => GsoKind.None,
        };
        return gsoType == VirtioNetHeader.GsoNone || kind != GsoKind.None;
    }

    private static int HeadersEnd(in PacketMeta meta, ReadOnlySpan<byte> frame)
    {
        var dataOffsetAt = meta.ChecksumStart + TcpDataOffsetField;
        return meta.ChecksumOffset == TcpChecksumField && dataOffsetAt < frame.Length
            ? meta.ChecksumStart + (frame[dataOffsetAt] >> 4) * 4
            : meta.ChecksumStart + meta.ChecksumOffset + 2;
    }
}
