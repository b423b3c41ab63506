using Softnet.DataPlane.Offload;
using Softnet.Wire;
using Softnet.Tests.Shared;
using static Softnet.Tests.Shared.TcpFrames;

namespace Softnet.DataPlane.Tests.Offload;

public sealed class SegmentationTests
{
    private const TcpFlags AllEdgeFlags = TcpFlags.Ack | TcpFlags.Psh | TcpFlags.Fin | TcpFlags.Cwr | TcpFlags.Ece;

    public static TheoryData<bool, Encapsulation> Kinds()
    {
        var data = new TheoryData<bool, Encapsulation>();
        foreach (var ipv6 in new[] { false, true })
        {
            foreach (var encapsulation in Enum.GetValues<Encapsulation>()) data.Add(ipv6, encapsulation);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Each_segment_is_byte_for_byte_the_frame_a_sender_would_have_built(bool ipv6, Encapsulation encapsulation)
    {
        var pool = new PacketPool(16, 8192);
        var payload = Payload(4001);
        const uint sequence = 0xFFFF_F000; // wraps inside the super-frame
        const ushort id = 0xFFFE;          // and so does the IPv4 identification
        var superFrame = LoadSuperFrame(pool, Tcp(ipv6, payload, sequence: sequence, flags: AllEdgeFlags, identification: id, encapsulation: encapsulation), ipv6, 1448, encapsulation);
        ref var meta = ref pool.Meta(superFrame);
        (meta.InputPort, meta.OutputPort, meta.L3Offset, meta.NextHop) = (1, 2, L2Length(encapsulation), 7);
        var segments = new int[8];

        var count = Segmentation.Segment(pool, superFrame, segments);

        Assert.Equal(3, count);
        Assert.Equal(3, pool.InUse);
        int[] lengths = [1448, 1448, 1105];
        for (var i = 0; i < count; i++)
        {
            var flags = AllEdgeFlags & ~(i < 2 ? TcpFlags.Fin | TcpFlags.Psh : 0) & ~(i > 0 ? TcpFlags.Cwr : 0);
            var expected = Tcp(ipv6, payload.AsSpan(1448 * i, lengths[i]), sequence: sequence + (uint)(1448 * i), flags: flags, identification: (ushort)(id + i), encapsulation: encapsulation);
            Assert.Equal(expected, pool.Data(segments[i]).ToArray());
            var segmentMeta = pool.Meta(segments[i]);
            Assert.Equal((1, 2, L2Length(encapsulation), 7), (segmentMeta.InputPort, segmentMeta.OutputPort, segmentMeta.L3Offset, segmentMeta.NextHop));
            Assert.Equal((GsoKind.None, (ushort)0, PacketFlags.None, (ushort)0, (ushort)0),
                (segmentMeta.GsoType, segmentMeta.GsoSize, segmentMeta.Flags, segmentMeta.ChecksumStart, segmentMeta.ChecksumOffset));
        }
        pool.Free(segments.AsSpan(0, count));
        Assert.Equal(0, pool.InUse);
    }

    [Theory]
    [InlineData(false, 0)]
    [InlineData(false, 1448)]
    [InlineData(true, 1)]
    public void A_super_frame_of_at_most_one_mss_becomes_one_complete_frame(bool ipv6, int payloadLength)
    {
        var pool = new PacketPool(4, 8192);
        var original = Tcp(ipv6, Payload(payloadLength), flags: AllEdgeFlags);
        var superFrame = LoadSuperFrame(pool, original, ipv6, 1448);
        var segments = new int[1];

        Assert.Equal(1, Segmentation.Segment(pool, superFrame, segments));

        Assert.Equal(original, pool.Data(segments[0]).ToArray());
        Assert.Equal(1, pool.InUse);
    }

    [Fact]
    public void A_frame_that_is_no_super_frame_passes_through_untouched()
    {
        var pool = new PacketPool(4, 8192);
        var original = Tcp(ipv6: false, Payload(3000));
        Assert.True(pool.TryAllocate(original, out var frame));
        pool.Meta(frame).Flags = PacketFlags.ChecksumPartial;
        var segments = new int[4];

        Assert.Equal(1, Segmentation.Segment(pool, frame, segments));

        Assert.Equal(frame, segments[0]);
        Assert.Equal(original, pool.Data(frame).ToArray());
        Assert.Equal(PacketFlags.ChecksumPartial, pool.Meta(frame).Flags);
        Assert.Equal(1, pool.InUse);
    }

    [Fact]
    public void When_the_pool_runs_dry_the_segments_made_are_freed_and_the_super_frame_is_kept_unchanged()
    {
        var pool = new PacketPool(3, 8192);
        var superFrame = LoadSuperFrame(pool, Tcp(ipv6: false, Payload(4000)), ipv6: false, 1000);
        var before = pool.Data(superFrame).ToArray();
        var metaBefore = pool.Meta(superFrame);

        Assert.Equal(Segmentation.NoBuffer, Segmentation.Segment(pool, superFrame, new int[8]));

        Assert.Equal(1, pool.InUse);
        Assert.Equal(before, pool.Data(superFrame).ToArray());
        Assert.Equal(metaBefore, pool.Meta(superFrame));
        pool.Free(superFrame);
        Assert.Equal(0, pool.InUse);
    }

    [Fact]
    public void Frames_that_cannot_be_segmented_are_refused_with_the_reason_and_nothing_allocated()
    {
        var pool = new PacketPool(8, 8192);
        var frame = Tcp(ipv6: false, Payload(3000));

        Assert.Equal(Segmentation.TooManySegments, Segment(pool, frame, 1000, segmentSlots: 2));
        Assert.Equal(Segmentation.Malformed, Segment(pool, frame, 0));
        Assert.Equal(Segmentation.Malformed, Segment(pool, frame, 1000, GsoKind.UdpIpv4));
        Assert.Equal(Segmentation.Malformed, Segment(pool, frame, 1000, GsoKind.TcpIpv6));
        Assert.Equal(Segmentation.Malformed, Segment(pool, frame[..100], 1000));
        var udp = (byte[])frame.Clone();
        Ipv4Packet.CreateUnchecked(udp.AsSpan(EthernetFrame.HeaderLength)).Protocol = IpProtocol.Udp;
        Assert.Equal(Segmentation.Malformed, Segment(pool, udp, 1000));
        var arp = (byte[])frame.Clone();
        EthernetFrame.CreateUnchecked(arp).EtherType = EtherType.Arp;
        Assert.Equal(Segmentation.Malformed, Segment(pool, arp, 1000));
    }

    [Fact]
    public void Segments_fit_when_headers_and_one_mss_fit_the_mtu()
    {
        var pool = new PacketPool(2, 8192);
        var superFrame = LoadSuperFrame(pool, Tcp(ipv6: true, Payload(5000)), ipv6: true, 1428);
        var network = pool.Data(superFrame)[EthernetFrame.HeaderLength..];

        Assert.True(Segmentation.SegmentsFit(pool.Meta(superFrame), network, 1500));   // 40 + 32 + 1428 = 1500
        Assert.False(Segmentation.SegmentsFit(pool.Meta(superFrame), network, 1499));
        pool.Meta(superFrame).GsoType = GsoKind.None;
        Assert.False(Segmentation.SegmentsFit(pool.Meta(superFrame), network, 9000));
    }

    [Fact]
    public void Segmenting_in_steady_state_allocates_nothing()
    {
        var pool = new PacketPool(64, 66 * 1024 + PacketPool.Headroom);
        var frame4 = Tcp(ipv6: false, Payload(65535 - 20 - TcpHeaderLength));
        var frame6 = Tcp(ipv6: true, Payload(65535 - TcpHeaderLength), encapsulation: Encapsulation.Vlan);
        var segments = new int[64];
        var total = 0L;
        void Round()
        {
            var four = LoadSuperFrame(pool, frame4, ipv6: false, 1448);
            var count = Segmentation.Segment(pool, four, segments);
            pool.Free(segments.AsSpan(0, count));
            var six = LoadSuperFrame(pool, frame6, ipv6: true, 1428, Encapsulation.Vlan);
            var count6 = Segmentation.Segment(pool, six, segments);
            pool.Free(segments.AsSpan(0, count6));
            total += count + count6;
        }
        for (var i = 0; i < 10; i++) Round();

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 300; i++) Round();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(310 * (46 + 46), total);
        Assert.Equal(0, pool.InUse);
    }

    private static int Segment(PacketPool pool, byte[] frame, ushort mss, GsoKind kind = GsoKind.TcpIpv4, int segmentSlots = 8)
    {
        Assert.True(pool.TryAllocate(frame, out var handle));
        pool.Meta(handle).GsoType = kind;
        pool.Meta(handle).GsoSize = mss;
        var result = Segmentation.Segment(pool, handle, new int[segmentSlots]);
        Assert.Equal(1, pool.InUse);
        pool.Free(handle);
        return result;
    }
}
