using System.Buffers.Binary;
using Softnet.DataPlane.Offload;
using Softnet.Wire;
using Softnet.Tests.Shared;
using static Softnet.Tests.Shared.TcpFrames;

namespace Softnet.DataPlane.Tests.Offload;

public sealed class ChecksumCompletionTests
{
    [Theory]
    [InlineData(false, 0)]
    [InlineData(false, 1001)]
    [InlineData(true, 1448)]
    [InlineData(true, 3)]
    public void A_partial_tcp_checksum_is_completed_to_the_full_one_and_the_flag_cleared(bool ipv6, int payloadLength)
    {
        var pool = new PacketPool(2, 8192);
        var complete = Tcp(ipv6, Payload(payloadLength));
        var frame = LoadSuperFrame(pool, complete, ipv6, 1448);
        pool.Meta(frame).GsoType = GsoKind.None;
        Assert.NotEqual(complete, pool.Data(frame).ToArray());

        Segmentation.CompleteChecksum(pool, frame);

        Assert.Equal(complete, pool.Data(frame).ToArray());
        var meta = pool.Meta(frame);
        Assert.Equal((PacketFlags.None, (ushort)0, (ushort)0), (meta.Flags, meta.ChecksumStart, meta.ChecksumOffset));
    }

    [Fact]
    public void The_checksum_start_moves_with_a_header_pushed_in_front()
    {
        var pool = new PacketPool(2, 8192);
        var complete = Tcp(ipv6: false, Payload(777));
        var frame = LoadSuperFrame(pool, complete, ipv6: false, 1448);
        pool.Meta(frame).GsoType = GsoKind.None;

        var tagged = pool.Prepend(frame, VlanHeader.Size);
        complete.AsSpan(0, 12).CopyTo(tagged);
        BinaryPrimitives.WriteUInt16BigEndian(tagged[12..], EtherType.Vlan);
        new VlanRepr(42, EtherType.Ipv4).Emit(VlanHeader.CreateUnchecked(tagged[EthernetFrame.HeaderLength..]));
        Segmentation.CompleteChecksum(pool, frame);

        Assert.Equal(complete.AsSpan(EthernetFrame.HeaderLength).ToArray(), pool.Data(frame)[(EthernetFrame.HeaderLength + VlanHeader.Size)..].ToArray());
    }

    [Fact]
    public void A_sum_of_zero_is_stored_as_0xffff_as_udp_needs()
    {
        var pool = new PacketPool(2);
        var (source, destination) = (Source4, Destination4);
        var udp = new byte[UdpPacket.HeaderLength + 2];
        new UdpRepr(53, 53, 2).Emit(UdpPacket.CreateUnchecked(udp), source, destination);
        // With the checksum C of a zero payload word as the payload word, the data sums to 0xFFFF: the checksum is 0.
        udp.AsSpan(6, 2).CopyTo(udp.AsSpan(8));
        var pseudoHeader = Checksum.PseudoHeader(source, destination, IpProtocol.Udp, udp.Length);
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(6), (ushort)~Checksum.Fold(pseudoHeader));
        Assert.True(pool.TryAllocate(udp, out var frame));
        pool.Meta(frame).Flags = PacketFlags.ChecksumPartial;
        (pool.Meta(frame).ChecksumStart, pool.Meta(frame).ChecksumOffset) = (0, 6);

        Segmentation.CompleteChecksum(pool, frame);

        Assert.Equal(0xFFFF, UdpPacket.CreateUnchecked(pool.Data(frame)).Checksum);
        Assert.True(UdpPacket.CreateUnchecked(pool.Data(frame)).VerifyChecksum(source, destination));
    }

    [Fact]
    public void A_frame_without_a_partial_checksum_is_left_alone()
    {
        var pool = new PacketPool(2, 8192);
        var complete = Tcp(ipv6: false, Payload(100));
        Assert.True(pool.TryAllocate(complete, out var frame));
        (pool.Meta(frame).ChecksumStart, pool.Meta(frame).ChecksumOffset) = (34, 16);

        Segmentation.CompleteChecksum(pool, frame);

        Assert.Equal(complete, pool.Data(frame).ToArray());
    }

    [Fact]
    public void A_checksum_field_outside_the_frame_is_refused()
    {
        var pool = new PacketPool(2);
        Assert.True(pool.TryAllocate(new byte[60], out var frame));
        pool.Meta(frame).Flags = PacketFlags.ChecksumPartial;
        (pool.Meta(frame).ChecksumStart, pool.Meta(frame).ChecksumOffset) = (50, 9);

        Assert.Throws<ArgumentException>(() => Segmentation.CompleteChecksum(pool, frame));
    }
}
