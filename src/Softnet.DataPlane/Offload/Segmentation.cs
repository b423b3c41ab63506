using System.Buffers.Binary;
using Softnet.Wire;

namespace Softnet.DataPlane.Offload;

/// <summary>
/// Segmentation and checksum offload done in software, for frames that carry the offload state a kernel hands over
/// with a virtio-net header (<see cref="PacketMeta.GsoType"/>, <see cref="PacketFlags.ChecksumPartial"/>) when
/// whatever comes next cannot take it: a TCP super-frame is cut into MSS-sized frames as a NIC with TSO would
/// (Linux's tcp_gso_segment), a partial checksum is finished as Linux's skb_checksum_help does. Nothing here allocates.
/// </summary>
public static class Segmentation
{
    /// <summary><see cref="Segment"/> failed: the pool ran dry, or its buffers are smaller than a segment. Every segment made was freed; the caller still owns the super-frame.</summary>
    public const int NoBuffer = -1;

    /// <summary>
    /// <see cref="Segment"/> failed: the frame is not the TCP/IPv4 or TCP/IPv6 super-frame its GsoType says (a UDP
    /// fragmentation offload frame included, which is fragmented rather than segmented), or its GsoSize is 0. The caller still owns it.
    /// </summary>
    public const int Malformed = -2;

    /// <summary><see cref="Segment"/> failed: the span for the segments is shorter than their count. The caller still owns the super-frame.</summary>
    public const int TooManySegments = -3;

    /// <summary>
    /// Cuts a TCP super-frame into frames of at most GsoSize payload bytes each, in new buffers of the pool, and frees
    /// it. Each segment copies the super-frame's Ethernet header, its 802.1Q tags or MPLS labels, its IP header and
    /// TCP header, then gets its own IPv4 total length, identification (+1 per segment) and header checksum or IPv6
    /// payload length, its sequence number, FIN and PSH only if it is the last, CWR only if it is the first, and a
    /// full TCP checksum; its metadata is the super-frame's without the offload state. A frame that is not a
    /// super-frame (<see cref="GsoKind.None"/>) is left as it is, as the only segment.
    /// </summary>
    /// <returns>The number of segments written to <paramref name="segments"/>, or <see cref="NoBuffer"/>, <see cref="Malformed"/> or <see cref="TooManySegments"/>.</returns>
    public static int Segment(PacketPool pool, int superFrame, Span<int> segments)
    {
        ref var meta = ref pool.Meta(superFrame);
        if (meta.GsoType == GsoKind.None)
        {
            if (segments.IsEmpty) return TooManySegments;
            segments[0] = superFrame;
            return 1;
        }
        var frame = pool.Data(superFrame);
        if (meta.GsoSize == 0 || !TryFindNetwork(frame, meta.GsoType, out var l3) || !TryParseTcp(frame[l3..], meta.GsoType, out var tcpOffset, out var headers, out var end))
        {
            return Malformed;
        }
        tcpOffset += l3;
        headers += l3;
        var payload = l3 + end - headers;
        var mss = (int)meta.GsoSize;
        var count = Math.Max(1, (payload + mss - 1) / mss);
        if (count > segments.Length) return TooManySegments;
        if (headers + Math.Min(mss, payload) > pool.MaxFrameLength) return NoBuffer;

        var ipv4 = meta.GsoType == GsoKind.TcpIpv4;
        var identification = ipv4 ? Ipv4Packet.CreateUnchecked(frame[l3..]).Identification : (ushort)0;
        var original = TcpPacket.CreateUnchecked(frame[tcpOffset..]);
        var sequence = original.SequenceNumber;
        var flags = original.Flags;
        for (var i = 0; i < count; i++)
        {
            if (!pool.TryAllocate(out var segment))
            {
                pool.Free(segments[..i]);
                return NoBuffer;
            }
            segments[i] = segment;
            var start = i * mss;
            var length = Math.Min(mss, payload - start);
            var bytes = pool.SetLength(segment, headers + length);
            frame[..headers].CopyTo(bytes);
            frame.Slice(headers + start, length).CopyTo(bytes[headers..]);
            pool.CopyMetadata(superFrame, segment);
            ClearOffload(pool, segment);

            var tcp = TcpPacket.CreateUnchecked(bytes[tcpOffset..]);
            tcp.SequenceNumber = sequence + (uint)start;
            var segmentFlags = flags;
            if (i < count - 1) segmentFlags &= ~(TcpFlags.Fin | TcpFlags.Psh);
            if (i > 0) segmentFlags &= ~TcpFlags.Cwr;
            tcp.Flags = segmentFlags;
            if (ipv4)
            {
                var ip = Ipv4Packet.CreateUnchecked(bytes[l3..]);
                ip.TotalLength = (ushort)(bytes.Length - l3);
                ip.Identification = (ushort)(identification + i);
                ip.FillChecksum();
                tcp.FillChecksum(ip.Source, ip.Destination);
            }
            else
            {
                var ip = Ipv6Packet.CreateUnchecked(bytes[l3..]);
                ip.PayloadLength = (ushort)(bytes.Length - l3 - Ipv6Packet.HeaderLength);
                tcp.FillChecksum(ip.Source, ip.Destination);
            }
        }
        pool.Free(superFrame);
        return count;
    }

    /// <summary>
    /// Whether a TCP super-frame may leave by a link of <paramref name="mtu"/> as it is because each of its segments
    /// will fit (Linux's skb_gso_validate_network_len): its IP header (IPv6 extension headers included), its TCP header
    /// and GsoSize payload bytes come to at most the MTU. False for a frame that is not a super-frame and for one
    /// whose headers are not the TCP over IP its GsoType says.
    /// </summary>
    /// <param name="network">The frame from its IP header on.</param>
    public static bool SegmentsFit(in PacketMeta meta, Span<byte> network, int mtu) =>
        meta.GsoSize != 0 && TryParseTcp(network, meta.GsoType, out _, out var headers, out _) && headers + meta.GsoSize <= mtu;

    /// <summary>
    /// Finishes a partial checksum: sums the frame from <see cref="PacketMeta.ChecksumStart"/> to its end, the checksum
    /// field included (it holds the folded pseudo-header sum), stores the complement at
    /// <see cref="PacketMeta.ChecksumOffset"/> (0xFFFF for 0, which UDP needs and TCP accepts), and clears the offload
    /// checksum state. Does nothing to a frame without <see cref="PacketFlags.ChecksumPartial"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The checksum field lies outside the frame; the port that accepts offload state from outside checks it first, as Linux's virtio_net_hdr_to_skb does.</exception>
    public static void CompleteChecksum(PacketPool pool, int frame)
    {
        ref var meta = ref pool.Meta(frame);
        if ((meta.Flags & PacketFlags.ChecksumPartial) == 0) return;
        var data = pool.Data(frame);
        var start = (int)meta.ChecksumStart;
        var field = start + meta.ChecksumOffset;
        if (field + 2 > data.Length) throw new ArgumentException($"The partial checksum field of packet {frame} at {field} lies outside its {data.Length} bytes.", nameof(frame));
        var checksum = Checksum.Fold(Checksum.Sum(data[start..], 0));
        BinaryPrimitives.WriteUInt16BigEndian(data[field..], checksum == 0 ? (ushort)0xFFFF : checksum);
        meta.Flags &= ~PacketFlags.ChecksumPartial;
        meta.ChecksumStart = 0;
        meta.ChecksumOffset = 0;
    }

    /// <summary>
    /// Forgets a frame's offload state (segmentation and partial checksum), for an element that turns the frame into
    /// another packet whose checksums it writes itself (an ICMP error quoting it) or that has just completed them.
    /// </summary>
    public static void ClearOffload(PacketPool pool, int frame)
    {
        ref var meta = ref pool.Meta(frame);
        meta.GsoType = GsoKind.None;
        meta.GsoSize = 0;
        meta.Flags &= ~PacketFlags.ChecksumPartial;
        meta.ChecksumStart = 0;
        meta.ChecksumOffset = 0;
    }

    /// <summary>Finds the IP header behind the Ethernet header, any 802.1Q/802.1ad tags and any MPLS labels, and checks that it is the IP version <paramref name="kind"/> names.</summary>
    private static bool TryFindNetwork(Span<byte> frame, GsoKind kind, out int offset)
    {
        offset = 0;
        if (!EthernetFrame.TryCreate(frame, out var ethernet)) return false;
        var type = ethernet.EtherType;
        var at = EthernetFrame.HeaderLength;
        while (type is EtherType.Vlan or EtherType.QinQ)
        {
            if (!VlanHeader.TryCreate(frame[at..], out var tag)) return false;
            type = tag.EtherType;
            at += VlanHeader.Size;
        }
        if (type is EtherType.Mpls or EtherType.MplsMulticast)
        {
            bool bottom;
            do
            {
                if (!MplsHeader.TryCreate(frame[at..], out var label)) return false;
                bottom = label.BottomOfStack;
                at += MplsHeader.Size;
            }
            while (!bottom);
            // MPLS does not say what it carries; as a label edge router does, read the IP version nibble.
            if (at >= frame.Length) return false;
            type = (frame[at] >> 4) switch
            {
                4 => EtherType.Ipv4,
                6 => EtherType.Ipv6,
                _ => (ushort)0,
            };
        }
        offset = at;
        return (type, kind) is (EtherType.Ipv4, GsoKind.TcpIpv4) or (EtherType.Ipv6, GsoKind.TcpIpv6);
    }

    /// <summary>
    /// Parses TCP over the IP version <paramref name="kind"/> names, in <paramref name="network"/> (which starts at the
    /// IP header); offsets are from that start: the TCP header, the end of the headers, the end of the IP packet.
    /// </summary>
    private static bool TryParseTcp(Span<byte> network, GsoKind kind, out int tcpOffset, out int headers, out int end)
    {
        (tcpOffset, headers, end) = (0, 0, 0);
        switch (kind)
        {
            case GsoKind.TcpIpv4:
                if (!Ipv4Packet.TryCreate(network, out var ipv4) || ipv4.Version != 4 || ipv4.Protocol != IpProtocol.Tcp || ipv4.IsFragment) return false;
                tcpOffset = ipv4.HeaderLength;
                end = ipv4.TotalLength;
                break;
            case GsoKind.TcpIpv6:
                if (!Ipv6Packet.TryCreate(network, out var ipv6) || ipv6.Version != 6) return false;
                if (!ipv6.TryFindUpperLayer(out var protocol, out tcpOffset) || protocol != IpProtocol.Tcp) return false;
                end = Ipv6Packet.HeaderLength + ipv6.PayloadLength;
                break;
            default:
                return false;
        }
        if (!TcpPacket.TryCreate(network[tcpOffset..end], out var tcp)) return false;
        headers = tcpOffset + tcp.HeaderLength;
        return true;
    }
}
