using Softnet.DataPlane;
using Softnet.DataPlane.Offload;
using Softnet.Wire;

namespace Softnet.Devices.Ip.Ipv4;

/// <summary>
/// Splits a datagram larger than its output port's MTU into fragments (RFC 791 section 3.2): fragment data in
/// multiples of 8 bytes, the first fragment keeps every option, later ones only those with the copied flag.
/// Fragments go back to the rewrite; the original is consumed (counted as "fragmented"). A partial checksum is
/// completed first, since no fragment can carry it.
/// </summary>
/// <remarks>
/// A TCP super-frame whose segments are too big for the port is cut into its segments instead, as Linux's
/// ip_finish_output_gso does; they go back to the rewrite, which sends those still too big here to be fragmented.
/// The super-frame is counted as "segmented", or dropped as "not-segmentable" (not the TCP over IPv4 it claims to be,
/// or more than <see cref="MaxSegments"/> segments).
/// </remarks>
public sealed class Ip4Fragment(Device device)
    : Element("ip4-fragment", ["rewrite"], ["fragmented", "no-buffer", "segmented", "not-segmentable"])
{
    /// <summary>The most segments one super-frame is cut into here: 64 KiB at an MSS of 64 bytes.</summary>
    public const int MaxSegments = 1024;

    private const int Fragmented = 0, NoBuffer = 1, Segmented = 2, NotSegmentable = 3;

    protected override void Process(ReadOnlySpan<int> packets)
    {
        var pool = Pool;
        foreach (var packet in packets)
        {
            if (pool.Meta(packet).GsoType == GsoKind.TcpIpv4) SegmentOne(packet);
            else Drop(FragmentOne(packet), packet);
        }
    }

    /// <summary>Emits the fragments of <paramref name="packet"/>; returns the reason to drop the original for.</summary>
    private int FragmentOne(int packet)
    {
        var pool = Pool;
        Segmentation.CompleteChecksum(pool, packet);
        Segmentation.ClearOffload(pool, packet);
        ref var meta = ref pool.Meta(packet);
        var frame = pool.Data(packet);
        var ip = Ipv4Packet.CreateUnchecked(frame[meta.L3Offset..]);
        var mtu = device.PortAt(meta.OutputPort).Mtu;
        Span<byte> laterOptions = stackalloc byte[Ipv4Packet.MaxHeaderLength];
        var laterOptionsLength = CopiedOptions(ip.Options, laterOptions);
        var payload = ip.Payload;
        var baseOffset = ip.FragmentOffset;
        var offset = 0;
        while (offset < payload.Length)
        {
            var first = offset == 0;
            var headerLength = first ? ip.HeaderLength : Ipv4Packet.MinHeaderLength + laterOptionsLength;
            var room = (mtu - headerLength) & ~7;
            var chunk = Math.Min(room, payload.Length - offset);
            if (room <= 0 || !pool.TryAllocate(out var fragment)) return NoBuffer;
            var bytes = pool.Reset(fragment, meta.L3Offset + headerLength + chunk);
            frame[..(meta.L3Offset + Ipv4Packet.MinHeaderLength)].CopyTo(bytes);
            var options = first ? ip.Options : laterOptions[..laterOptionsLength];
            options.CopyTo(bytes[(meta.L3Offset + Ipv4Packet.MinHeaderLength)..]);
            payload.Slice(offset, chunk).CopyTo(bytes[(meta.L3Offset + headerLength)..]);
            var header = Ipv4Packet.CreateUnchecked(bytes[meta.L3Offset..]);
            header.HeaderLength = headerLength;
            header.TotalLength = (ushort)(headerLength + chunk);
            header.FragmentOffset = baseOffset + offset;
            header.MoreFragments = ip.MoreFragments || offset + chunk < payload.Length;
            header.FillChecksum();
            pool.CopyMetadata(packet, fragment);
            Emit(0, fragment);
            offset += chunk;
        }
        return Fragmented;
    }

    private void SegmentOne(int packet)
    {
        Span<int> segments = stackalloc int[MaxSegments];
        var count = Segmentation.Segment(Pool, packet, segments);
        if (count < 0)
        {
            Drop(count == Segmentation.NoBuffer ? NoBuffer : NotSegmentable, packet);
            return;
        }
        // Segment has freed the super-frame; it is accounted for here, as a fragmented original is.
        CountDrop(Segmented);
        foreach (var segment in segments[..count]) Emit(0, segment);
    }

    /// <summary>The options with the copied flag (high bit of the type), padded to a 4-byte multiple; returns their length.</summary>
    private static int CopiedOptions(ReadOnlySpan<byte> options, Span<byte> copied)
    {
        var length = 0;
        var i = 0;
        while (i < options.Length)
        {
            var type = options[i];
            if (type == 0) break;
            if (type == 1)
            {
                i++;
                continue;
            }
            if (i + 1 >= options.Length) break;
            var optionLength = options[i + 1];
            if (optionLength < 2 || i + optionLength > options.Length) break;
            if ((type & 0x80) != 0)
            {
                options.Slice(i, optionLength).CopyTo(copied[length..]);
                length += optionLength;
            }
            i += optionLength;
        }
        var padded = (length + 3) & ~3;
        copied[length..padded].Clear();
        return padded;
    }
}
