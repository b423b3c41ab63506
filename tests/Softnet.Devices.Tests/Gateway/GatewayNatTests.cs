using Softnet.DataPlane;
using Softnet.DataPlane.Offload;
using Softnet.DataPlane.Ports;
using Softnet.Devices.Gateway;
using Softnet.Tests.Shared;
using Softnet.Wire;
using static Softnet.Devices.Tests.Gateway.GatewayFrames;

namespace Softnet.Devices.Tests.Gateway;

/// <summary>
/// Blue and red both number their hosts in 10.0.0.0/24. Each sees the other through static 1:1 NAT: blue appears in
/// red as 10.1.0.0/24 and red in blue as 10.2.0.0/24 (or, in the one-sided case, blue keeps its own addresses). The
/// expected frames are built from scratch, so every incrementally updated checksum must equal a full computation;
/// PacketDotNet checks them again.
/// </summary>
public sealed class GatewayNatTests
{
    private readonly GatewayRig _rig = new();

    private void MapBoth()
    {
        _rig.Gateway.AddNat(new GatewayNat("blue", Ipv4Prefix.Parse("10.0.0.0/24"), Ipv4Prefix.Parse("10.1.0.0/24")));
        _rig.Gateway.AddNat(new GatewayNat("red", Ipv4Prefix.Parse("10.0.0.0/24"), Ipv4Prefix.Parse("10.2.0.0/24")));
        _rig.Route("10.1.0.0/24", "blue");
        _rig.Route("10.2.0.0/24", "red");
        // Rules speak of real addresses: blue's 10.0.0.0/24 may reach the web server 10.0.0.7 of red.
        _rig.Gateway.AddRule(new GatewayRule("blue", "red", Ipv4Prefix.Parse("10.0.0.0/24"), Ipv4Prefix.Parse("10.0.0.7/32"), GatewayProtocol.Tcp, PortRange.Single(80)));
    }

    [Fact]
    public void Tcp_crosses_with_both_addresses_translated_and_its_reply_is_translated_back()
    {
        MapBoth();
        var payload = "GET / HTTP/1.1\r\n\r\n"u8.ToArray();

        var red = Assert.Single(_rig.Exchange(_rig.Blue, _rig.FromBlue(Tcp4("10.0.0.5", "10.2.0.7", 40000, 80, TcpFlags.Psh | TcpFlags.Ack, payload: payload))).Red);
        Assert.Equal(_rig.ToRed(Tcp4("10.1.0.5", "10.0.0.7", 40000, 80, TcpFlags.Psh | TcpFlags.Ack, ttl: 63, payload: payload)), red);
        AssertChecksumsValid(red);

        var blue = Assert.Single(_rig.Exchange(_rig.Red, _rig.FromRed(Tcp4("10.0.0.7", "10.1.0.5", 80, 40000, TcpFlags.Ack, payload: [1, 2, 3]))).Blue);
        Assert.Equal(_rig.ToBlue(Tcp4("10.2.0.7", "10.0.0.5", 80, 40000, TcpFlags.Ack, ttl: 63, payload: [1, 2, 3])), blue);
        AssertChecksumsValid(blue);

        Assert.Equal(2, _rig.Counter("gateway-ip4-nat", "translated"));
        Assert.Equal(1, _rig.Counter("gateway-ip4", "allowed"));
        Assert.Equal(1, _rig.Counter("gateway-ip4", "allowed-established"));
    }

    [Fact]
    public void Translated_checksums_equal_full_recomputation_over_many_random_segments()
    {
        MapBoth();
        _rig.Gateway.AddRule(new GatewayRule("blue", "red", GatewayPrefix.Any, GatewayPrefix.Any, GatewayProtocol.Udp));
        var random = new Random(1624);
        for (var i = 0; i < 500; i++)
        {
            var (host, server) = ($"10.0.0.{random.Next(1, 255)}", i % 2 == 0 ? "7" : $"{random.Next(1, 255)}");
            var data = new byte[random.Next(0, 200)];
            random.NextBytes(data);
            var port = (ushort)random.Next(1024, 65536);
            var (sent, expected) = i % 2 == 0
                ? (Tcp4(host, $"10.2.0.{server}", port, 80, TcpFlags.Ack, payload: data), Tcp4(host.Replace("10.0.", "10.1."), $"10.0.0.{server}", port, 80, TcpFlags.Ack, ttl: 63, payload: data))
                : (Udp4(host, $"10.2.0.{server}", port, 53, data), Udp4(host.Replace("10.0.", "10.1."), $"10.0.0.{server}", port, 53, data, ttl: 63));

            var red = Assert.Single(_rig.Exchange(_rig.Blue, _rig.FromBlue(sent)).Red);

            Assert.Equal(_rig.ToRed(expected), red);
        }
        Assert.Equal(500, _rig.Counter("gateway-ip4-nat", "translated"));
    }

    [Fact]
    public void A_udp_datagram_without_checksum_keeps_none()
    {
        MapBoth();
        _rig.Gateway.AddRule(new GatewayRule("blue", "red", GatewayPrefix.Any, GatewayPrefix.Any, GatewayProtocol.Udp));
        var sent = _rig.FromBlue(Udp4("10.0.0.5", "10.2.0.9", 5000, 53, [9, 9, 9]));
        UdpPacket.CreateUnchecked(sent.AsSpan(EthernetFrame.HeaderLength + Ipv4Packet.MinHeaderLength)).Checksum = 0;

        var red = Assert.Single(_rig.Exchange(_rig.Blue, sent).Red);

        var expected = _rig.ToRed(Udp4("10.1.0.5", "10.0.0.9", 5000, 53, [9, 9, 9], ttl: 63));
        UdpPacket.CreateUnchecked(expected.AsSpan(EthernetFrame.HeaderLength + Ipv4Packet.MinHeaderLength)).Checksum = 0;
        Assert.Equal(expected, red);
    }

    [Fact]
    public void Overlapping_spaces_with_nat_on_one_side_are_told_apart_by_network()
    {
        // Blue is not translated: red sees blue's own 10.0.0.0/24. Red is 10.2.0.0/24 to blue.
        _rig.Gateway.AddNat(new GatewayNat("red", Ipv4Prefix.Parse("10.0.0.0/24"), Ipv4Prefix.Parse("10.2.0.0/24")));
        _rig.Route("10.0.0.0/24", "blue");
        _rig.Route("10.2.0.0/24", "red");
        _rig.Gateway.AddRule(new GatewayRule("blue", "red", Ipv4Prefix.Parse("10.0.0.0/24"), Ipv4Prefix.Parse("10.0.0.0/24"), GatewayProtocol.Tcp, PortRange.Single(22)));

        var red = Assert.Single(_rig.Exchange(_rig.Blue, _rig.FromBlue(Tcp4("10.0.0.5", "10.2.0.7", 40000, 22))).Red);
        Assert.Equal(_rig.ToRed(Tcp4("10.0.0.5", "10.0.0.7", 40000, 22, ttl: 63)), red);
        AssertChecksumsValid(red);

        var blue = Assert.Single(_rig.Exchange(_rig.Red, _rig.FromRed(Tcp4("10.0.0.7", "10.0.0.5", 22, 40000, TcpFlags.Syn | TcpFlags.Ack))).Blue);
        Assert.Equal(_rig.ToBlue(Tcp4("10.2.0.7", "10.0.0.5", 22, 40000, TcpFlags.Syn | TcpFlags.Ack, ttl: 63)), blue);
        AssertChecksumsValid(blue);

        // Red's own 10.0.0.5 sending blue's flow tuple is another host in another network: no flow, no rule.
        Assert.Empty(_rig.Exchange(_rig.Red, _rig.FromRed(Tcp4("10.0.0.5", "10.0.0.7", 40000, 22))).Blue);
        Assert.Equal(1, _rig.Counter("gateway-ip4", "denied-no-rule"));
        Assert.Equal(1, _rig.Gateway.FlowCount);
    }

    [Fact]
    public void An_expiring_ttl_is_answered_quoting_the_packet_as_its_sender_sent_it()
    {
        // The error goes back to the sender's real address, so that must be routable here: blue is not translated.
        _rig.Gateway.AddNat(new GatewayNat("red", Ipv4Prefix.Parse("10.0.0.0/24"), Ipv4Prefix.Parse("10.2.0.0/24")));
        _rig.Route("10.0.0.0/24", "blue");
        _rig.Route("10.2.0.0/24", "red");
        _rig.Gateway.AddRule(new GatewayRule("blue", "red", GatewayPrefix.Any, GatewayPrefix.Any, GatewayProtocol.Tcp));
        var sent = _rig.FromBlue(Tcp4("10.0.0.5", "10.2.0.7", 40000, 80, ttl: 1));

        var blue = Assert.Single(_rig.Exchange(_rig.Blue, sent).Blue);

        Assert.True(EthernetFrame.TryCreate(blue, out var ethernet));
        Assert.True(Ipv4Packet.TryCreate(ethernet.Payload, out var ip));
        Assert.Equal(Ipv4Address.Parse("192.168.1.1"), ip.Source);
        Assert.Equal(Ipv4Address.Parse("10.0.0.5"), ip.Destination);
        var icmp = Icmpv4Packet.CreateUnchecked(ip.Payload);
        Assert.Equal(Icmpv4Type.TimeExceeded, icmp.Type);
        Assert.Equal(sent.AsSpan(EthernetFrame.HeaderLength).ToArray(), icmp.Data.ToArray());
        Assert.Equal(1, _rig.Counter("gateway-ip4-nat", "unchanged"));
        AssertChecksumsValid(blue);
    }

    [Fact]
    public void An_offloaded_super_frame_keeps_a_partial_checksum_that_completes_to_the_right_one()
    {
        // TcpFrames' hosts 10.0.1.10 -> 10.0.2.10: blue's 10.0.1.0/24 appears in red as 10.1.1.0/24.
        _rig.Gateway.AddNat(new GatewayNat("blue", Ipv4Prefix.Parse("10.0.1.0/24"), Ipv4Prefix.Parse("10.1.1.0/24")));
        _rig.Route("10.0.2.0/24", "red");
        _rig.Gateway.AddRule(new GatewayRule("blue", "red", GatewayPrefix.Any, GatewayPrefix.Any, GatewayProtocol.Tcp));
        var link = new InMemoryLink();
        _rig.Gateway.Port("eth1").Attach(link.A);
        var pool = _rig.Net.Pool;
        var frame = TcpFrames.Tcp(ipv6: false, TcpFrames.Payload(1800), destinationMac: _rig.Eth0);

        _rig.Gateway.Receive(0, [TcpFrames.LoadSuperFrame(pool, frame, ipv6: false, mss: 600)]);
        _rig.Net.Run();

        var received = new int[2];
        Assert.Equal(1, link.B.Receive(received));
        var handle = received[0];
        Assert.Equal(GsoKind.TcpIpv4, pool.Meta(handle).GsoType);
        Assert.True((pool.Meta(handle).Flags & PacketFlags.ChecksumPartial) != 0);
        Segmentation.CompleteChecksum(pool, handle);
        var sent = pool.Data(handle).ToArray();
        pool.Free(handle);

        var expected = (byte[])frame.Clone();
        var (source, l4) = (Ipv4Address.Parse("10.1.1.10"), EthernetFrame.HeaderLength + Ipv4Packet.MinHeaderLength);
        var ip = Ipv4Packet.CreateUnchecked(expected.AsSpan(EthernetFrame.HeaderLength));
        ip.Source = source;
        ip.TimeToLive = 63;
        ip.FillChecksum();
        TcpPacket.CreateUnchecked(expected.AsSpan(l4)).FillChecksum(source, TcpFrames.Destination4);
        var ethernet = EthernetFrame.CreateUnchecked(expected);
        (ethernet.Destination, ethernet.Source) = (GatewayRig.RedRouterMac, _rig.Eth1);
        Assert.Equal(expected, sent);
        AssertChecksumsValid(sent);
    }

    [Fact]
    public void Ipv6_prefixes_are_mapped_with_tcp_udp_and_icmpv6_checksums_updated()
    {
        _rig.Gateway.AddNat(new GatewayNat("red", Ipv6Prefix.Parse("fd00:0:0:7::/64"), Ipv6Prefix.Parse("2001:db8:e:7::/64")));
        _rig.Gateway.AddNat(new GatewayNat("blue", Ipv6Prefix.Parse("fd00:0:0:7::/64"), Ipv6Prefix.Parse("2001:db8:b:7::/64")));
        _rig.Route("2001:db8:e::/48", "red");
        _rig.Route("2001:db8:b::/48", "blue");
        _rig.Gateway.AddRule(new GatewayRule("blue", "red", GatewayPrefix.Any, Ipv6Prefix.Parse("fd00:0:0:7::/64")));

        foreach (var (sent, expected, reply, expectedReply) in new[]
        {
            (Udp6("fd00:0:0:7::5", "2001:db8:e:7::9", 5353, 53, [1, 2, 3]), Udp6("2001:db8:b:7::5", "fd00:0:0:7::9", 5353, 53, [1, 2, 3], hopLimit: 63),
             Udp6("fd00:0:0:7::9", "2001:db8:b:7::5", 53, 5353, [4]), Udp6("2001:db8:e:7::9", "fd00:0:0:7::5", 53, 5353, [4], hopLimit: 63)),
            (Tcp6("fd00:0:0:7::5", "2001:db8:e:7::9", 40000, 443), Tcp6("2001:db8:b:7::5", "fd00:0:0:7::9", 40000, 443),
             Tcp6("fd00:0:0:7::9", "2001:db8:b:7::5", 443, 40000, TcpFlags.Syn | TcpFlags.Ack), Tcp6("2001:db8:e:7::9", "fd00:0:0:7::5", 443, 40000, TcpFlags.Syn | TcpFlags.Ack)),
            (Echo6("fd00:0:0:7::5", "2001:db8:e:7::9", id: 5), Echo6("2001:db8:b:7::5", "fd00:0:0:7::9", id: 5),
             Echo6("fd00:0:0:7::9", "2001:db8:b:7::5", id: 5, reply: true), Echo6("2001:db8:e:7::9", "fd00:0:0:7::5", id: 5, reply: true)),
        })
        {
            var red = Assert.Single(_rig.Exchange(_rig.Blue, _rig.FromBlue(sent)).Red);
            Assert.Equal(WithHopLimit(_rig.ToRed(expected), 63), red);
            AssertChecksumsValid(red);
            var blue = Assert.Single(_rig.Exchange(_rig.Red, _rig.FromRed(reply)).Blue);
            Assert.Equal(WithHopLimit(_rig.ToBlue(expectedReply), 63), blue);
            AssertChecksumsValid(blue);
        }
        Assert.Equal(6, _rig.Counter("gateway-ip6-nat", "translated"));
        Assert.Equal(3, _rig.Counter("gateway-ip6", "allowed"));
        Assert.Equal(3, _rig.Counter("gateway-ip6", "allowed-established"));
    }

    private static byte[] WithHopLimit(byte[] frame, byte hopLimit)
    {
        Ipv6Packet.CreateUnchecked(frame.AsSpan(EthernetFrame.HeaderLength)).HopLimit = hopLimit;
        return frame;
    }
}
