using Softnet.DataPlane;
using Softnet.DataPlane.Offload;
using Softnet.Wire;
using Pd = PacketDotNet;
using Softnet.Tests.Shared;
using static Softnet.Tests.Shared.TcpFrames;

namespace Softnet.Devices.Tests.Offload;

/// <summary>Segments of TCP super-frames, decoded by an independent implementation (PacketDotNet).</summary>
public sealed class SegmentationOracleTests
{
    private const TcpFlags SenderFlags = TcpFlags.Ack | TcpFlags.Psh | TcpFlags.Fin | TcpFlags.Cwr | TcpFlags.Ece;
    private static readonly MacAddress Peer = MacAddress.Parse("02:00:00:00:00:0b");

    public static TheoryData<bool, Encapsulation, int, int> Cases()
    {
        var data = new TheoryData<bool, Encapsulation, int, int>();
        foreach (var ipv6 in new[] { false, true })
        {
            foreach (var encapsulation in Enum.GetValues<Encapsulation>())
            {
                data.Add(ipv6, encapsulation, 65535 - (ipv6 ? 0 : Ipv4Packet.MinHeaderLength) - TcpHeaderLength, 1448); // a full 64 KiB, short last
                data.Add(ipv6, encapsulation, 10_001, 1000);   // one byte in the last segment
                data.Add(ipv6, encapsulation, 3 * 1448, 1448); // every segment full
                data.Add(ipv6, encapsulation, 1_337, 536);     // odd sizes
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Segments_have_valid_checksums_contiguous_sequence_numbers_and_reassemble_to_the_payload(bool ipv6, Encapsulation encapsulation, int payloadLength, int mss)
    {
        var pool = new PacketPool(64, 66 * 1024 + PacketPool.Headroom);
        var payload = Payload(payloadLength);
        const uint firstSequence = 0xFFFF_FF00;
        const ushort firstId = 0xFFF0;
        var original = Tcp(ipv6, payload, Peer, firstSequence, SenderFlags, firstId, encapsulation);
        var superFrame = LoadSuperFrame(pool, original, ipv6, (ushort)mss, encapsulation);
        var segments = new int[64];

        var count = Segmentation.Segment(pool, superFrame, segments);

        var expectedCount = (payloadLength + mss - 1) / mss;
        Assert.Equal(expectedCount, count);
        Assert.Equal(count, pool.InUse);
        var l2 = L2Length(encapsulation);
        var originalTcp = Decode(original, l2, ipv6).Tcp;
        var reassembled = new List<byte>();
        var sequence = firstSequence;
        for (var i = 0; i < count; i++)
        {
            var bytes = pool.Data(segments[i]).ToArray();
            Assert.Equal(original[..l2], bytes[..l2]);
            var (ip, tcp) = Decode(bytes, l2, ipv6);
            if (ip is Pd.IPv4Packet ipv4)
            {
                Assert.True(ipv4.ValidIPChecksum);
                Assert.Equal(bytes.Length - l2, ipv4.TotalLength);
                Assert.Equal((ushort)(firstId + i), ipv4.Id);
                Assert.Equal(0b010, ipv4.FragmentFlags); // DF
            }
            else Assert.Equal(bytes.Length - l2 - Ipv6Packet.HeaderLength, ((Pd.IPv6Packet)ip).PayloadLength);
            Assert.True(tcp.ValidChecksum);
            Assert.Equal(sequence, tcp.SequenceNumber);
            Assert.Equal(originalTcp.Options, tcp.Options);
            Assert.Equal(originalTcp.AcknowledgmentNumber, tcp.AcknowledgmentNumber);
            var last = i == count - 1;
            Assert.Equal(last ? payloadLength - i * mss : mss, tcp.PayloadData.Length);
            Assert.Equal((last, last, i == 0, true, true), (tcp.Finished, tcp.Push, tcp.CongestionWindowReduced, tcp.Acknowledgment, tcp.ExplicitCongestionNotificationEcho));
            if (encapsulation is Encapsulation.Untagged or Encapsulation.Vlan)
            {
                Assert.True(Pd.Packet.ParsePacket(Pd.LinkLayers.Ethernet, bytes).Extract<Pd.TcpPacket>().ValidChecksum);
            }
            reassembled.AddRange(tcp.PayloadData);
            sequence += (uint)tcp.PayloadData.Length;
        }
        Assert.Equal(payload, reassembled.ToArray());
        pool.Free(segments.AsSpan(0, count));
    }

    /// <summary>The IP packet and its TCP segment, decoded from the IP header on (PacketDotNet knows no MPLS).</summary>
    private static (Pd.IPPacket Ip, Pd.TcpPacket Tcp) Decode(byte[] frame, int l2, bool ipv6)
    {
        var segment = new Pd.Utils.ByteArraySegment(frame, l2, frame.Length - l2);
        Pd.IPPacket ip = ipv6 ? new Pd.IPv6Packet(segment) : new Pd.IPv4Packet(segment);
        return (ip, Assert.IsType<Pd.TcpPacket>(ip.PayloadPacket));
    }
}
