using Softnet.DataPlane;
using Softnet.DataPlane.Offload;
using Softnet.DataPlane.Ports;
using Softnet.Devices.Ip;
using Softnet.Wire;
using Pd = PacketDotNet;
using Softnet.Tests.Shared;
using static Softnet.Tests.Shared.TcpFrames;

namespace Softnet.Devices.Tests.Offload;

/// <summary>
/// A router between h1 (eth0) and h2 (eth1), both 1500-byte MTU, forwarding 64 KiB TCP super-frames as a kernel with
/// TSO hands them over: whole when their segments fit the port, as ICMP errors or segments when they do not.
/// </summary>
public sealed class RouterOffloadTests
{
    private static readonly MacAddress H2Mac = MacAddress.Parse("02:00:00:00:00:0b");
    private const int MaxPayload4 = 65535 - Ipv4Packet.MinHeaderLength - TcpHeaderLength;
    private const int MaxPayload6 = 65535 - TcpHeaderLength;

    private readonly PacketPool _pool = new(64, 66 * 1024 + PacketPool.Headroom);
    private readonly DeviceLoop _loop = new(new ManualClock());
    private readonly Router _router;
    private readonly InMemoryLink.End _h1;
    private readonly InMemoryLink.End _h2;
    private readonly int[] _received = new int[64];

    public RouterOffloadTests()
    {
        _router = _loop.Add(new Router("r1", _pool));
        _router.AddInterface("eth0");
        _router.AddInterface("eth1");
        _router.AddAddress("eth0", "10.0.1.1/24");
        _router.AddAddress("eth0", "2001:db8:1::1/64");
        _router.AddAddress("eth1", "10.0.2.1/24");
        _router.AddAddress("eth1", "2001:db8:2::1/64");
        _router.AddStaticNeighbor("eth0", Source4.ToString(), SourceMac);
        _router.AddStaticNeighbor("eth0", Source6.ToString(), SourceMac);
        _router.AddStaticNeighbor("eth1", Destination4.ToString(), H2Mac);
        _router.AddStaticNeighbor("eth1", Destination6.ToString(), H2Mac);
        _h1 = Attach(_router.Port("eth0"));
        _h2 = Attach(_router.Port("eth1"));
    }

    private MacAddress Eth0 => _router.Port("eth0").Mac;
    private MacAddress Eth1 => _router.Port("eth1").Mac;

    [Theory]
    [InlineData(false, MaxPayload4, 1448)] // 20 + 32 + 1448 = 1500
    [InlineData(true, MaxPayload6, 1428)]  // 40 + 32 + 1428 = 1500
    public void A_super_frame_whose_segments_fit_the_mtu_is_forwarded_whole_with_its_offload_state(bool ipv6, int payloadLength, int mss)
    {
        var sent = Send(Tcp(ipv6, Payload(payloadLength), Eth0), ipv6, mss);

        var forwarded = Assert.Single(Take(_h2));
        var expected = Tcp(ipv6, Payload(payloadLength), H2Mac);
        EthernetFrame.CreateUnchecked(expected).Source = Eth1;
        var tcpOffset = TcpOffset(ipv6, Encapsulation.Untagged);
        sent.AsSpan(tcpOffset).CopyTo(expected.AsSpan(tcpOffset)); // the partial checksum is left as it was
        if (ipv6) Ipv6Packet.CreateUnchecked(expected.AsSpan(EthernetFrame.HeaderLength)).HopLimit = 63;
        else
        {
            var ip = Ipv4Packet.CreateUnchecked(expected.AsSpan(EthernetFrame.HeaderLength));
            ip.TimeToLive = 63;
            ip.FillChecksum();
        }
        Assert.Equal(expected, _pool.Data(forwarded).ToArray());
        var meta = _pool.Meta(forwarded);
        Assert.Equal((ipv6 ? GsoKind.TcpIpv6 : GsoKind.TcpIpv4, (ushort)mss, PacketFlags.ChecksumPartial, (ushort)tcpOffset, (ushort)16),
            (meta.GsoType, meta.GsoSize, meta.Flags & PacketFlags.ChecksumPartial, meta.ChecksumStart, meta.ChecksumOffset));

        // What the next hop makes of it: segments of at most 1500 bytes whose checksums PacketDotNet accepts.
        var segments = new int[64];
        var count = Segmentation.Segment(_pool, forwarded, segments);
        Assert.Equal((payloadLength + mss - 1) / mss, count);
        foreach (var segment in segments.AsSpan(0, count))
        {
            var bytes = _pool.Data(segment).ToArray();
            Assert.InRange(bytes.Length - EthernetFrame.HeaderLength, 1, 1500);
            Assert.True(Pd.Packet.ParsePacket(Pd.LinkLayers.Ethernet, bytes).Extract<Pd.TcpPacket>().ValidChecksum);
        }
        _pool.Free(segments.AsSpan(0, count));
        Assert.Equal(0, _pool.InUse);
    }

    [Fact]
    public void A_super_frame_whose_segments_exceed_the_mtu_with_df_gets_fragmentation_needed_with_the_mtu()
    {
        var sent = Send(Tcp(ipv6: false, Payload(MaxPayload4), Eth0), ipv6: false, 9000);

        Assert.Empty(Take(_h2));
        var error = Assert.Single(Take(_h1));
        var bytes = _pool.Data(error).ToArray();
        var meta = _pool.Meta(error);
        Assert.Equal((GsoKind.None, PacketFlags.None), (meta.GsoType, meta.Flags & PacketFlags.ChecksumPartial));
        var ip = Ipv4Packet.CreateUnchecked(bytes.AsSpan(EthernetFrame.HeaderLength));
        Assert.Equal((Ipv4Address.Parse("10.0.1.1"), Source4), (ip.Source, ip.Destination));
        var icmp = Icmpv4Packet.CreateUnchecked(ip.Payload);
        Assert.Equal((Icmpv4Type.DestinationUnreachable, Icmpv4Code.FragmentationNeeded, (ushort)1500), (icmp.Type, icmp.Code, icmp.NextHopMtu));
        Assert.Equal(sent.AsSpan(EthernetFrame.HeaderLength, 576 - 28).ToArray(), icmp.Data.ToArray());
        Assert.True(Pd.Packet.ParsePacket(Pd.LinkLayers.Ethernet, bytes).Extract<Pd.IcmpV4Packet>().ValidIcmpChecksum);
        _pool.Free(error);
        Assert.Equal(0, _pool.InUse);
    }

    [Fact]
    public void An_ipv6_super_frame_whose_segments_exceed_the_mtu_gets_packet_too_big_with_the_mtu()
    {
        var sent = Send(Tcp(ipv6: true, Payload(MaxPayload6), Eth0), ipv6: true, 9000);

        Assert.Empty(Take(_h2));
        var error = Assert.Single(Take(_h1));
        var bytes = _pool.Data(error).ToArray();
        Assert.Equal(GsoKind.None, _pool.Meta(error).GsoType);
        var ip = Ipv6Packet.CreateUnchecked(bytes.AsSpan(EthernetFrame.HeaderLength));
        var icmp = Icmpv6Packet.CreateUnchecked(ip.Payload);
        Assert.Equal((Icmpv6Type.PacketTooBig, 1500u), (icmp.Type, icmp.Mtu));
        Assert.Equal(sent.AsSpan(EthernetFrame.HeaderLength, 1280 - 48).ToArray(), icmp.Data.ToArray());
        Assert.True(icmp.VerifyChecksum(ip.Source, ip.Destination));
        _pool.Free(error);
    }

    [Fact]
    public void A_super_frame_whose_segments_exceed_the_mtu_without_df_is_segmented_then_each_segment_fragmented()
    {
        var payload = Payload(20_000);
        const ushort id = 0x4000;
        Send(Tcp(ipv6: false, payload, Eth0, sequence: 1, identification: id, dontFragment: false), ipv6: false, 9000);

        // Segments of 9000, 9000 and 2000 bytes: 20 + 32 + 9000 bytes in seven fragments, 20 + 32 + 2000 in two.
        var fragments = Take(_h2);
        Assert.Equal(7 + 7 + 2, fragments.Count);
        var datagrams = new SortedDictionary<ushort, byte[]>();
        foreach (var fragment in fragments)
        {
            var bytes = _pool.Data(fragment).ToArray();
            Assert.Equal(GsoKind.None, _pool.Meta(fragment).GsoType);
            Assert.InRange(bytes.Length - EthernetFrame.HeaderLength, 1, 1500);
            var ip = Ipv4Packet.CreateUnchecked(bytes.AsSpan(EthernetFrame.HeaderLength));
            Assert.True(ip.VerifyChecksum());
            Assert.Equal(63, ip.TimeToLive);
            if (!datagrams.TryGetValue(ip.Identification, out var datagram)) datagrams[ip.Identification] = datagram = new byte[9052];
            bytes.AsSpan(EthernetFrame.HeaderLength, Ipv4Packet.MinHeaderLength).CopyTo(datagram);
            ip.Payload.CopyTo(datagram.AsSpan(Ipv4Packet.MinHeaderLength + ip.FragmentOffset));
            _pool.Free(fragment);
        }
        Assert.Equal([id, id + 1, id + 2], datagrams.Keys.Select(k => (int)k));

        var reassembled = new List<byte>();
        foreach (var (identification, datagram) in datagrams)
        {
            var length = identification == id + 2 ? 20 + 32 + 2000 : datagram.Length;
            var ip = Ipv4Packet.CreateUnchecked(datagram);
            (ip.TotalLength, ip.MoreFragments, ip.FragmentOffset) = ((ushort)length, false, 0);
            ip.FillChecksum();
            var tcp = Assert.IsType<Pd.TcpPacket>(new Pd.IPv4Packet(new Pd.Utils.ByteArraySegment(datagram, 0, length)).PayloadPacket);
            Assert.True(tcp.ValidChecksum);
            Assert.Equal(1 + (uint)reassembled.Count, tcp.SequenceNumber);
            reassembled.AddRange(tcp.PayloadData);
        }
        Assert.Equal(payload, reassembled.ToArray());
        Assert.Equal((1, 3), (Counter("ip4-fragment", "segmented"), Counter("ip4-fragment", "fragmented")));
        Assert.Equal(0, _pool.InUse);
    }

    [Fact]
    public void A_partial_checksum_is_completed_before_the_datagram_is_fragmented()
    {
        var payload = Payload(3000);
        var original = Tcp(ipv6: false, payload, Eth0, dontFragment: false);
        var frame = LoadSuperFrame(_pool, original, ipv6: false, 1448);
        _pool.Meta(frame).GsoType = GsoKind.None;
        Assert.Equal(1, _h1.Transmit([frame]));
        _loop.RunUntilIdle();

        var fragments = Take(_h2);
        Assert.Equal(3, fragments.Count);
        var datagram = new byte[20 + 32 + 3000];
        foreach (var fragment in fragments)
        {
            Assert.Equal(PacketFlags.None, _pool.Meta(fragment).Flags & PacketFlags.ChecksumPartial);
            var ip = Ipv4Packet.CreateUnchecked(_pool.Data(fragment)[EthernetFrame.HeaderLength..]);
            ip.Payload.CopyTo(datagram.AsSpan(20 + ip.FragmentOffset));
            _pool.Free(fragment);
        }
        original.AsSpan(EthernetFrame.HeaderLength, 20).CopyTo(datagram);
        var tcp = Assert.IsType<Pd.TcpPacket>(new Pd.IPv4Packet(new Pd.Utils.ByteArraySegment(datagram)).PayloadPacket);
        Assert.True(tcp.ValidChecksum);
        Assert.Equal(payload, tcp.PayloadData);
    }

    private static InMemoryLink.End Attach(DevicePort port)
    {
        var link = new InMemoryLink();
        port.Attach(link.A);
        return link.B;
    }

    /// <summary>Sends the frame from h1 as a super-frame with a partial checksum; returns its bytes as sent.</summary>
    private byte[] Send(byte[] frame, bool ipv6, int mss)
    {
        var handle = LoadSuperFrame(_pool, frame, ipv6, (ushort)mss);
        var sent = _pool.Data(handle).ToArray();
        Assert.Equal(1, _h1.Transmit([handle]));
        _loop.RunUntilIdle();
        return sent;
    }

    /// <summary>The frames the router sent to a host, which the caller now owns.</summary>
    private List<int> Take(InMemoryLink.End host) => [.. _received.AsSpan(0, host.Receive(_received))];

    private long Counter(string element, string reason)
    {
        var e = _router.Graph.Elements.Single(x => x.Name == element);
        return e.Counters.Dropped(e.DropReasons.ToList().IndexOf(reason));
    }
}
