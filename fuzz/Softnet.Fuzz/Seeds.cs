using System.Buffers.Binary;
using Softnet.Devices;
using Softnet.Wire;
using Softnet.Wire.Tests;

namespace Softnet.Fuzz;

/// <summary>
/// The seed corpus: for <c>wire</c>, the real-capture fixtures of the wire tests and frames built for the layers they
/// lack; for the devices, valid frames for every path through the configuration of <see cref="IpDeviceTarget"/> and
/// <see cref="SwitchTarget"/>. Checksums are right, so that the fuzzer starts from inputs that go deep.
/// </summary>
internal static class Seeds
{
    private static readonly MacAddress HostA = MacAddress.Parse("02:00:00:00:00:01");
    private static readonly MacAddress HostB = MacAddress.Parse("02:00:00:00:00:02");
    private static readonly Ipv4Address A4 = Ipv4Address.Parse("192.0.2.1");
    private static readonly Ipv4Address B4 = Ipv4Address.Parse("198.51.100.1");
    private static readonly Ipv6Address A6 = Ipv6Address.Parse("2001:db8::1");
    private static readonly Ipv6Address B6 = Ipv6Address.Parse("2001:db8::2");

    private static readonly MacAddress Eth0 = MacAddresses.For("r1", 0);
    private static readonly Ipv4Address R1 = Ipv4Address.Parse("10.0.1.1");
    private static readonly Ipv6Address R1v6 = Ipv6Address.Parse("2001:db8:1::1");
    private static readonly MacAddress H1Mac = IpDeviceTarget.H1Mac;
    private static readonly Ipv4Address H1 = IpDeviceTarget.H1;
    private static readonly Ipv6Address H1v6 = IpDeviceTarget.H1v6;

    public static void Write(string corpus)
    {
        var router = Router().ToList();
        WriteAll(Path.Combine(corpus, "wire"), Wire());
        WriteAll(Path.Combine(corpus, "router"), router);
        WriteAll(Path.Combine(corpus, "lsr"), router.Concat(Lsr()));
        WriteAll(Path.Combine(corpus, "switch"), Switch());
    }

    private static void WriteAll(string folder, IEnumerable<(string Name, byte[] Bytes)> seeds)
    {
        Directory.CreateDirectory(folder);
        var count = 0;
        foreach (var (name, bytes) in seeds)
        {
            File.WriteAllBytes(Path.Combine(folder, name), bytes);
            count++;
        }
        Console.WriteLine($"{folder}: {count} seeds");
    }

    private static IEnumerable<(string, byte[])> Wire()
    {
        foreach (var (name, frame) in Fixtures.EthernetFrames) yield return (name, frame);
        yield return (nameof(Fixtures.Icmpv6EchoRequestRaw), Fixtures.Icmpv6EchoRequestRaw);

        var dns = "dns?"u8.ToArray();
        yield return ("udp6", Eth6(Ip6(A6, B6, IpProtocol.Udp, Udp(A6, B6, 5353, 53, dns))));
        yield return ("udp4-zero-checksum", Eth4(Ip4(A4, B4, IpProtocol.Udp, UdpNoChecksum(40000, 9, "odd"u8.ToArray()))));
        yield return ("tcp6-syn-options", Eth6(Ip6(A6, B6, IpProtocol.Tcp, Tcp(A6, B6, Syn(), []))));
        yield return ("tcp4-ack-sack-blocks", Eth4(Ip4(A4, B4, IpProtocol.Tcp, TcpWithSackBlocks())));
        yield return ("tcp4-rst", Eth4(Ip4(A4, B4, IpProtocol.Tcp, Tcp(A4, B4, new TcpRepr(80, 40000, 7, 0, TcpFlags.Rst, 0, 0), []))));
        yield return ("icmpv6-echo", Eth6(Ip6(A6, B6, IpProtocol.Icmpv6, Icmp6(A6, B6, Icmpv6Repr.EchoRequest(7, 1, 8), "softnet!"u8.ToArray()))));
        var quoted6 = Ip6(B6, A6, IpProtocol.Udp, Udp(B6, A6, 33434, 33435, new byte[12]));
        yield return ("icmpv6-port-unreachable", Eth6(Ip6(A6, B6, IpProtocol.Icmpv6, Icmp6(A6, B6, new Icmpv6Repr(Icmpv6Type.DestinationUnreachable, 4, 0, quoted6.Length), quoted6))));
        yield return ("icmpv6-packet-too-big", Eth6(Ip6(A6, B6, IpProtocol.Icmpv6, Icmp6(A6, B6, new Icmpv6Repr(Icmpv6Type.PacketTooBig, 0, 1280, quoted6.Length), quoted6))));
        yield return ("ndp-na-solicited-tlla", Eth6(Ip6(A6, B6, IpProtocol.Icmpv6, Ndp(A6, B6, NdpRepr.Advertisement(A6, HostA, router: true, solicited: true, @override: false)), hopLimit: 255)));
        var udp = Udp(A6, B6, 1000, 2000, new byte[16]);
        yield return ("ipv6-first-fragment", Eth6(Ip6(A6, B6, IpProtocol.Ipv6Fragment, [.. Fragment6(IpProtocol.Udp, 0, more: true), .. udp])));
        yield return ("ipv6-later-fragment", Eth6(Ip6(A6, B6, IpProtocol.Ipv6Fragment, [.. Fragment6(IpProtocol.Udp, 1448, more: false), .. new byte[24]])));
        yield return ("ipv6-hop-by-hop-udp", Eth6(Ip6(A6, B6, IpProtocol.HopByHop, [.. Options6(IpProtocol.Udp), .. udp])));
        yield return ("ipv6-routing-destination-options-udp", Eth6(Ip6(A6, B6, IpProtocol.Ipv6Route, [.. Routing6(IpProtocol.Ipv6Options), .. Options6(IpProtocol.Udp), .. udp])));
        yield return ("ipv6-ah-tcp", Eth6(Ip6(A6, B6, IpProtocol.Ah, [.. Ah(IpProtocol.Tcp), .. Tcp(A6, B6, Syn(), [])])));
        yield return ("ipv4-options-udp", Eth4(Ip4(A4, B4, IpProtocol.Udp, Udp(A4, B4, 1000, 2000, new byte[8]), options: RecordRoute())));
        yield return ("ipv4-first-fragment", Eth4(Ip4(A4, B4, IpProtocol.Udp, Udp(A4, B4, 1000, 2000, new byte[32])[..24], moreFragments: true)));
        yield return ("ipv4-later-fragment", Eth4(Ip4(A4, B4, IpProtocol.Udp, new byte[16], fragmentOffset: 1480)));
        var quoted4 = Ip4(B4, A4, IpProtocol.Udp, Udp(B4, A4, 33434, 33435, new byte[12]))[..28];
        yield return ("icmpv4-time-exceeded", Eth4(Ip4(A4, B4, IpProtocol.Icmp, Icmp4(new Icmpv4Repr(Icmpv4Type.TimeExceeded, 0, 0, quoted4.Length), quoted4))));
        yield return ("icmpv4-fragmentation-needed", Eth4(Ip4(A4, B4, IpProtocol.Icmp, Icmp4(new Icmpv4Repr(Icmpv4Type.DestinationUnreachable, Icmpv4Code.FragmentationNeeded, 1400, quoted4.Length), quoted4))));
        var ping4 = Ip4(A4, B4, IpProtocol.Icmp, Icmp4(Icmpv4Repr.EchoRequest(1, 2, 5), "12345"u8.ToArray()));
        yield return ("mpls-ipv6", Eth(HostB, HostA, EtherType.Mpls, [.. Mpls((16, true, 64)), .. Ip6(A6, B6, IpProtocol.Udp, udp)]));
        yield return ("mpls-three-labels", Eth(HostB, HostA, EtherType.Mpls, [.. Mpls((1000, false, 64), (2000, false, 64), (3000, true, 64)), .. ping4]));
        yield return ("mpls-multicast", Eth(HostB, HostA, EtherType.MplsMulticast, [.. Mpls((5000, true, 1)), .. ping4]));
        var innerArp = Eth(MacAddress.Broadcast, HostA, EtherType.Arp, Arp(ArpOperation.Request, HostA, A4, MacAddress.Zero, B4));
        yield return ("vxlan-over-ipv6-arp", Eth6(Ip6(A6, B6, IpProtocol.Udp, Udp(A6, B6, 49152, VxlanHeader.UdpPort, [.. Vxlan(5001), .. innerArp]))));
        var innerTagged = Eth(HostB, HostA, EtherType.Vlan, [.. Tag(42, EtherType.Ipv6), .. Ip6(A6, B6, IpProtocol.Icmpv6, Ndp(A6, B6, NdpRepr.Solicitation(B6, HostA)), hopLimit: 255)]);
        yield return ("vxlan-inner-vlan-ndp", Eth4(Ip4(A4, B4, IpProtocol.Udp, Udp(A4, B4, 49152, VxlanHeader.UdpPort, [.. Vxlan(77), .. innerTagged]))));
        yield return ("qinq-udp", Eth(HostB, HostA, EtherType.QinQ, [.. Tag(30, EtherType.Vlan), .. Tag(100, EtherType.Ipv4), .. Ip4(A4, B4, IpProtocol.Udp, Udp(A4, B4, 1, 2, dns))]));
        yield return ("vlan-arp-reply", Eth(HostB, HostA, EtherType.Vlan, [.. Tag(5, EtherType.Arp), .. Arp(ArpOperation.Reply, HostA, A4, HostB, B4)]));
        yield return ("vlan-reserved-4095", Eth(HostB, HostA, EtherType.Vlan, [.. Tag(4095, EtherType.Ipv4), .. ping4]));
        yield return ("arp-gratuitous", Eth(MacAddress.Broadcast, HostA, EtherType.Arp, Arp(ArpOperation.Request, HostA, A4, MacAddress.Zero, A4)));
        yield return ("unknown-ethertype", Eth(MacAddress.Parse("01:80:c2:00:00:0e"), HostA, 0x88CC, new byte[32]));
        yield return ("ethernet-header-only", Eth(HostB, HostA, EtherType.Ipv4, []));
        yield return ("one-byte", [0x45]);
    }

    private static IEnumerable<(string, byte[])> Router()
    {
        var eth1 = Ipv4Address.Parse("10.0.2.1");
        var data = "fuzz"u8.ToArray();
        byte[] Udp4(Ipv4Address destination, byte ttl = 64) => ToR1(Ip4(H1, destination, IpProtocol.Udp, Udp(H1, destination, 40000, 33434, data), ttl: ttl));
        byte[] Udp6(Ipv6Address destination, byte hopLimit = 64) => ToR1v6(Ip6(H1v6, destination, IpProtocol.Udp, Udp(H1v6, destination, 40000, 33434, data), hopLimit));
        byte[] Echo4(Ipv4Address destination) => Ip4(H1, destination, IpProtocol.Icmp, Icmp4(Icmpv4Repr.EchoRequest(1, 1, 4), data));
        byte[] Echo6(Ipv6Address source, Ipv6Address destination) => Ip6(source, destination, IpProtocol.Icmpv6, Icmp6(source, destination, Icmpv6Repr.EchoRequest(1, 1, 4), data));

        yield return ("arp-request-for-r1", Eth(MacAddress.Broadcast, H1Mac, EtherType.Arp, Arp(ArpOperation.Request, H1Mac, H1, MacAddress.Zero, R1)));
        yield return ("arp-request-for-another", Eth(MacAddress.Broadcast, H1Mac, EtherType.Arp, Arp(ArpOperation.Request, H1Mac, H1, MacAddress.Zero, Ipv4Address.Parse("10.0.1.99"))));
        yield return ("arp-reply-unsolicited", Eth(Eth0, HostA, EtherType.Arp, Arp(ArpOperation.Reply, HostA, Ipv4Address.Parse("10.0.1.77"), Eth0, R1)));
        yield return ("echo-r1", ToR1(Echo4(R1)));
        yield return ("echo-r1-other-port", ToR1(Echo4(eth1)));
        yield return ("echo-subnet-broadcast", Eth(MacAddress.Broadcast, H1Mac, EtherType.Ipv4, Echo4(Ipv4Address.Parse("10.0.1.255"))));
        yield return ("udp-to-r1", Udp4(R1));
        yield return ("protocol-99-to-r1", ToR1(Ip4(H1, R1, 99, data)));
        yield return ("tcp-to-r1", ToR1(Ip4(H1, R1, IpProtocol.Tcp, Tcp(H1, R1, Syn(), []))));
        yield return ("fragment-to-r1", ToR1(Ip4(H1, R1, IpProtocol.Udp, new byte[16], moreFragments: true)));
        yield return ("icmp-error-to-r1", ToR1(Ip4(H1, R1, IpProtocol.Icmp, Icmp4(new Icmpv4Repr(Icmpv4Type.DestinationUnreachable, Icmpv4Code.Port, 0, 28), Echo4(eth1)[..28]))));
        yield return ("forward-to-r2", Udp4(IpDeviceTarget.R2));
        yield return ("forward-by-route", Udp4(Ipv4Address.Parse("198.51.100.7")));
        yield return ("forward-ecmp-tcp", ToR1(Ip4(H1, Ipv4Address.Parse("203.0.113.9"), IpProtocol.Tcp, Tcp(H1, Ipv4Address.Parse("203.0.113.9"), Syn(), data))));
        yield return ("reject-route", Udp4(Ipv4Address.Parse("192.0.2.5")));
        yield return ("blackhole-route", Udp4(Ipv4Address.Parse("192.0.2.200")));
        yield return ("no-route", Udp4(Ipv4Address.Parse("8.8.8.8")));
        yield return ("ttl-1", Udp4(Ipv4Address.Parse("198.51.100.7"), ttl: 1));
        yield return ("glean-unresolved", Udp4(Ipv4Address.Parse("10.0.2.77")));
        yield return ("multicast-destination", ToR1(Ip4(H1, Ipv4Address.Parse("224.0.0.5"), IpProtocol.Udp, Udp(H1, Ipv4Address.Parse("224.0.0.5"), 1, 2, data))));
        yield return ("martian-source", ToR1(Ip4(Ipv4Address.Parse("127.0.0.1"), R1, IpProtocol.Icmp, Icmp4(Icmpv4Repr.EchoRequest(1, 1, 0), []))));
        var bad = Udp4(IpDeviceTarget.R2);
        bad[24] ^= 0xFF;
        yield return ("bad-header-checksum", bad);
        var big = Udp(H1, Ipv4Address.Parse("198.51.100.7"), 1, 2, new byte[1392]);
        yield return ("too-big-dont-fragment", ToR1(Ip4(H1, Ipv4Address.Parse("198.51.100.7"), IpProtocol.Udp, big, dontFragment: true)));
        yield return ("too-big-fragmented-with-options", ToR1(Ip4(H1, Ipv4Address.Parse("198.51.100.7"), IpProtocol.Udp, big, options: [0x83, 7, 4, 10, 0, 1, 1, 0x07, 3, 4, 0, 0])));

        var group = R1v6.SolicitedNodeMulticast;
        yield return ("ns-for-r1", Eth(MacAddress.FromIpv6Multicast(group), H1Mac, EtherType.Ipv6, Ip6(H1v6, group, IpProtocol.Icmpv6, Ndp(H1v6, group, NdpRepr.Solicitation(R1v6, H1Mac)), hopLimit: 255)));
        yield return ("ns-dad", Eth(MacAddress.FromIpv6Multicast(group), H1Mac, EtherType.Ipv6, Ip6(Ipv6Address.Unspecified, group, IpProtocol.Icmpv6, Ndp(Ipv6Address.Unspecified, group, NdpRepr.Solicitation(R1v6, null)), hopLimit: 255)));
        var stranger = Ipv6Address.Parse("2001:db8:1::77");
        yield return ("na-unsolicited", Eth(MacAddress.FromIpv6Multicast(Ipv6Address.AllNodes), HostA, EtherType.Ipv6, Ip6(stranger, Ipv6Address.AllNodes, IpProtocol.Icmpv6, Ndp(stranger, Ipv6Address.AllNodes, NdpRepr.Advertisement(stranger, HostA, router: false, solicited: false, @override: true)), hopLimit: 255)));
        yield return ("echo6-r1", ToR1v6(Echo6(H1v6, R1v6)));
        var linkLocal = Ipv6Address.LinkLocalFromMac(Eth0);
        var h1LinkLocal = Ipv6Address.LinkLocalFromMac(H1Mac);
        yield return ("echo6-link-local", ToR1v6(Echo6(h1LinkLocal, linkLocal)));
        yield return ("echo6-all-nodes", Eth(MacAddress.FromIpv6Multicast(Ipv6Address.AllNodes), H1Mac, EtherType.Ipv6, Echo6(H1v6, Ipv6Address.AllNodes)));
        yield return ("forward6-to-r2", Udp6(IpDeviceTarget.R2v6));
        yield return ("forward6-by-route", Udp6(Ipv6Address.Parse("2001:db8:100::5")));
        yield return ("forward6-ecmp", Udp6(Ipv6Address.Parse("2001:db8:200::9")));
        yield return ("hop-limit-1", Udp6(Ipv6Address.Parse("2001:db8:100::5"), hopLimit: 1));
        yield return ("no-route6", Udp6(Ipv6Address.Parse("2001:db8:ffff::1")));
        yield return ("reject-route6", Udp6(Ipv6Address.Parse("2001:db8:dead::1")));
        yield return ("glean6-unresolved", Udp6(Ipv6Address.Parse("2001:db8:2::77")));
        yield return ("udp6-to-r1", Udp6(R1v6));
        yield return ("unknown-next-header-to-r1", ToR1v6(Ip6(H1v6, R1v6, 99, data)));
        yield return ("hop-by-hop-to-r1", ToR1v6(Ip6(H1v6, R1v6, IpProtocol.HopByHop, [.. Options6(IpProtocol.Udp), .. Udp(H1v6, R1v6, 1, 2, data)])));
        yield return ("fragment6-to-r1", ToR1v6(Ip6(H1v6, R1v6, IpProtocol.Ipv6Fragment, [.. Fragment6(IpProtocol.Udp, 0, more: true), .. Udp(H1v6, R1v6, 1, 2, data)])));
        yield return ("link-local-source-forward", ToR1v6(Ip6(h1LinkLocal, Ipv6Address.Parse("2001:db8:100::1"), IpProtocol.Udp, Udp(h1LinkLocal, Ipv6Address.Parse("2001:db8:100::1"), 1, 2, data))));
        var big6 = Ipv6Address.Parse("2001:db8:100::5");
        yield return ("too-big6", ToR1v6(Ip6(H1v6, big6, IpProtocol.Udp, Udp(H1v6, big6, 1, 2, new byte[1300]))));
        yield return ("vlan-tagged-echo", Eth(Eth0, H1Mac, EtherType.Vlan, [.. Tag(10, EtherType.Ipv4), .. Echo4(R1)]));
    }

    private static IEnumerable<(string, byte[])> Lsr()
    {
        var ping = Ip4(H1, Ipv4Address.Parse("198.51.100.7"), IpProtocol.Icmp, Icmp4(Icmpv4Repr.EchoRequest(9, 9, 0), []));
        var ping6 = Ip6(H1v6, IpDeviceTarget.R2v6, IpProtocol.Icmpv6, Icmp6(H1v6, IpDeviceTarget.R2v6, Icmpv6Repr.EchoRequest(9, 9, 0), []));
        byte[] Labelled(byte[] payload, params (uint Label, bool Bottom, byte Ttl)[] stack) => Eth(Eth0, H1Mac, EtherType.Mpls, [.. Mpls(stack), .. payload]);

        yield return ("mpls-swap", Labelled(ping, (100, true, 64)));
        yield return ("mpls-swap-top-of-two", Labelled(ping, (100, false, 64), (7000, true, 64)));
        yield return ("mpls-php", Labelled(ping, (101, true, 20)));
        yield return ("mpls-php-exposes-label", Labelled(ping, (101, false, 20), (100, true, 30)));
        yield return ("mpls-pop-and-route", Labelled(ping, (102, true, 64)));
        yield return ("mpls-pop-pop-swap", Labelled(ping, (102, false, 64), (102, false, 64), (100, true, 64)));
        yield return ("mpls-pop-non-ip", Labelled(new byte[24], (102, true, 64)));
        yield return ("mpls-explicit-null-ipv4", Labelled(ping, (0, true, 64)));
        yield return ("mpls-explicit-null-ipv6", Labelled(ping6, (2, true, 64)));
        yield return ("mpls-swap-ipv6", Labelled(ping6, (103, true, 64)));
        yield return ("mpls-ttl-1", Labelled(ping, (100, true, 1)));
        yield return ("mpls-no-binding", Labelled(ping, (999, true, 64)));
        yield return ("mpls-deep-stack", Labelled(ping, [.. Enumerable.Range(0, 17).Select(i => (102u, i == 16, (byte)64))]));
        var fec = Ipv4Address.Parse("198.18.1.1");
        yield return ("ingress-push", ToR1(Ip4(H1, fec, IpProtocol.Udp, Udp(H1, fec, 1, 2, new byte[8]))));
        var fec6 = Ipv6Address.Parse("2001:db8:300::1");
        yield return ("ingress-push6", ToR1v6(Ip6(H1v6, fec6, IpProtocol.Udp, Udp(H1v6, fec6, 1, 2, new byte[8]))));
    }

    private static IEnumerable<(string, byte[])> Switch()
    {
        var ping = Ip4(A4, B4, IpProtocol.Icmp, Icmp4(Icmpv4Repr.EchoRequest(3, 3, 0), []));
        foreach (var (name, frame) in Fixtures.EthernetFrames.Where(f => f.Name is nameof(Fixtures.ArpRequest) or nameof(Fixtures.VlanTcpHead) or nameof(Fixtures.QinQHead) or nameof(Fixtures.NeighborSolicitationDad)))
        {
            yield return (name, frame);
        }
        yield return ("unicast-to-static", Eth(SwitchTarget.StaticMac, HostA, EtherType.Ipv4, ping));
        yield return ("unicast-unknown", Eth(HostB, HostA, EtherType.Ipv4, ping));
        yield return ("broadcast", Eth(MacAddress.Broadcast, HostB, EtherType.Arp, Arp(ArpOperation.Request, HostB, B4, MacAddress.Zero, A4)));
        yield return ("multicast", Eth(MacAddress.Parse("01:00:5e:00:00:05"), HostA, EtherType.Ipv4, ping));
        yield return ("reserved-group", Eth(MacAddress.Parse("01:80:c2:00:00:00"), HostA, 0x0026, new byte[38]));
        yield return ("multicast-source", Eth(HostB, MacAddress.Parse("01:00:5e:00:00:01"), EtherType.Ipv4, ping));
        foreach (var vlan in new ushort[] { 10, 20, 30, 40 })
        {
            yield return ($"tagged-{vlan}", Eth(HostB, HostA, EtherType.Vlan, [.. Tag(vlan, EtherType.Ipv4), .. ping]));
        }
        yield return ("tagged-to-static", Eth(SwitchTarget.StaticMac, HostB, EtherType.Vlan, [.. Tag(10, EtherType.Ipv4), .. ping]));
        yield return ("priority-tagged", Eth(HostB, HostA, EtherType.Vlan, [.. Tag(0, EtherType.Ipv4), .. ping]));
        yield return ("tagged-4095", Eth(HostB, HostA, EtherType.Vlan, [.. Tag(4095, EtherType.Ipv4), .. ping]));
        yield return ("truncated-tag", Eth(HostB, HostA, EtherType.Vlan, [0x00]));
        yield return ("runt", [.. HostB.ToBytes(), .. HostA.ToBytes()]);
    }

    private static byte[] ToBytes(this MacAddress mac)
    {
        var bytes = new byte[MacAddress.Size];
        mac.WriteTo(bytes);
        return bytes;
    }

    private static byte[] ToR1(byte[] ip) => Eth(Eth0, H1Mac, EtherType.Ipv4, ip);

    private static byte[] ToR1v6(byte[] ip) => Eth(Eth0, H1Mac, EtherType.Ipv6, ip);

    private static byte[] Eth4(byte[] ip) => Eth(HostB, HostA, EtherType.Ipv4, ip);

    private static byte[] Eth6(byte[] ip) => Eth(HostB, HostA, EtherType.Ipv6, ip);

    private static byte[] Eth(MacAddress destination, MacAddress source, ushort etherType, ReadOnlySpan<byte> payload)
    {
        var frame = new byte[EthernetFrame.HeaderLength + payload.Length];
        new EthernetRepr(destination, source, etherType).Emit(EthernetFrame.CreateUnchecked(frame));
        payload.CopyTo(frame.AsSpan(EthernetFrame.HeaderLength));
        return frame;
    }

    private static byte[] Tag(ushort vlan, ushort etherType)
    {
        var tag = new byte[VlanHeader.Size];
        var header = VlanHeader.CreateUnchecked(tag);
        header.VlanId = vlan;
        header.EtherType = etherType;
        return tag;
    }

    private static byte[] Arp(ushort operation, MacAddress senderMac, Ipv4Address sender, MacAddress targetMac, Ipv4Address target)
    {
        var arp = new byte[ArpPacket.Size];
        new ArpRepr(operation, senderMac, sender, targetMac, target).Emit(ArpPacket.CreateUnchecked(arp));
        return arp;
    }

    private static byte[] Mpls(params (uint Label, bool Bottom, byte Ttl)[] stack)
    {
        var bytes = new byte[stack.Length * MplsHeader.Size];
        for (var i = 0; i < stack.Length; i++)
        {
            new MplsRepr(new MplsLabel(stack[i].Label), 0, stack[i].Bottom, stack[i].Ttl).Emit(MplsHeader.CreateUnchecked(bytes.AsSpan(i * MplsHeader.Size)));
        }
        return bytes;
    }

    private static byte[] Vxlan(uint vni)
    {
        var bytes = new byte[VxlanHeader.Size];
        new VxlanRepr(vni).Emit(VxlanHeader.CreateUnchecked(bytes));
        return bytes;
    }

    private static byte[] Ip4(Ipv4Address source, Ipv4Address destination, byte protocol, ReadOnlySpan<byte> payload, byte ttl = 64,
        bool dontFragment = false, bool moreFragments = false, int fragmentOffset = 0, byte[]? options = null)
    {
        options ??= [];
        var repr = new Ipv4Repr(source, destination, protocol, payload.Length, ttl)
        {
            Identification = 0x5157, DontFragment = dontFragment, MoreFragments = moreFragments, FragmentOffset = fragmentOffset,
        };
        var bytes = new byte[repr.BufferLength + options.Length];
        var ip = Ipv4Packet.CreateUnchecked(bytes);
        repr.Emit(ip);
        ip.HeaderLength = Ipv4Packet.MinHeaderLength + options.Length;
        ip.TotalLength = (ushort)bytes.Length;
        options.CopyTo(ip.Options);
        payload.CopyTo(ip.Payload);
        ip.FillChecksum();
        return bytes;
    }

    /// <summary>A record route option (RFC 791) with room for two addresses, then end of options.</summary>
    private static byte[] RecordRoute() => [0x07, 11, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    private static byte[] Ip6(Ipv6Address source, Ipv6Address destination, byte nextHeader, ReadOnlySpan<byte> payload, byte hopLimit = 64)
    {
        var repr = new Ipv6Repr(source, destination, nextHeader, payload.Length, hopLimit) { FlowLabel = 0x12345 };
        var bytes = new byte[repr.BufferLength];
        repr.Emit(Ipv6Packet.CreateUnchecked(bytes));
        payload.CopyTo(bytes.AsSpan(repr.HeaderLength));
        return bytes;
    }

    /// <summary>A Hop-by-Hop or Destination Options header of 8 bytes: a router alert option and PadN.</summary>
    private static byte[] Options6(byte next) => [next, 0, 0x05, 0x02, 0x00, 0x00, 0x01, 0x00];

    /// <summary>A type 4 (segment routing) header with no segments left, so that it is walked over.</summary>
    private static byte[] Routing6(byte next) => [next, 0, 4, 0, 0, 0, 0, 0];

    private static byte[] Fragment6(byte next, int offset, bool more)
    {
        var bytes = new byte[8];
        bytes[0] = next;
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2), (ushort)(offset | (more ? 1 : 0)));
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4), 0xC0FFEE);
        return bytes;
    }

    /// <summary>An authentication header with a 12-byte integrity check value (payload length 4).</summary>
    private static byte[] Ah(byte next) => [next, 4, 0, 0, 0, 0, 0x10, 0x01, 0, 0, 0, 1, .. new byte[12]];

    private static byte[] Udp(Ipv4Address source, Ipv4Address destination, ushort sourcePort, ushort destinationPort, ReadOnlySpan<byte> data)
    {
        var (bytes, repr) = UdpBuffer(sourcePort, destinationPort, data);
        repr.Emit(UdpPacket.CreateUnchecked(bytes), source, destination);
        return bytes;
    }

    private static byte[] Udp(Ipv6Address source, Ipv6Address destination, ushort sourcePort, ushort destinationPort, ReadOnlySpan<byte> data)
    {
        var (bytes, repr) = UdpBuffer(sourcePort, destinationPort, data);
        repr.Emit(UdpPacket.CreateUnchecked(bytes), source, destination);
        return bytes;
    }

    private static byte[] UdpNoChecksum(ushort sourcePort, ushort destinationPort, ReadOnlySpan<byte> data)
    {
        var (bytes, repr) = UdpBuffer(sourcePort, destinationPort, data);
        repr.Emit(UdpPacket.CreateUnchecked(bytes));
        return bytes;
    }

    private static (byte[] Bytes, UdpRepr Repr) UdpBuffer(ushort sourcePort, ushort destinationPort, ReadOnlySpan<byte> data)
    {
        var repr = new UdpRepr(sourcePort, destinationPort, data.Length);
        var bytes = new byte[repr.BufferLength];
        data.CopyTo(bytes.AsSpan(repr.HeaderLength));
        return (bytes, repr);
    }

    private static TcpRepr Syn() =>
        new(44644, 80, 0x9349C830, 0, TcpFlags.Syn, 29200, 0)
        {
            MaxSegmentSize = 1460, SackPermitted = true, Timestamps = new TcpTimestamps(1032819631, 0), WindowScale = 7,
        };

    private static byte[] Tcp(Ipv4Address source, Ipv4Address destination, TcpRepr repr, ReadOnlySpan<byte> data)
    {
        var bytes = TcpBuffer(repr, data);
        repr.Emit(TcpPacket.CreateUnchecked(bytes), source, destination);
        return bytes;
    }

    private static byte[] Tcp(Ipv6Address source, Ipv6Address destination, TcpRepr repr, ReadOnlySpan<byte> data)
    {
        var bytes = TcpBuffer(repr, data);
        repr.Emit(TcpPacket.CreateUnchecked(bytes), source, destination);
        return bytes;
    }

    private static byte[] TcpBuffer(TcpRepr repr, ReadOnlySpan<byte> data)
    {
        var bytes = new byte[repr.HeaderLength + data.Length];
        data.CopyTo(bytes.AsSpan(repr.HeaderLength));
        return bytes;
    }

    /// <summary>An ACK carrying two SACK blocks and timestamps, as a receiver that lost a segment sends it.</summary>
    private static byte[] TcpWithSackBlocks()
    {
        byte[] options = [1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 1, 1, 5, 18, 0, 0, 0x10, 0, 0, 0, 0x20, 0, 0, 0, 0x30, 0, 0, 0, 0x40, 0];
        var bytes = new byte[TcpPacket.MinHeaderLength + options.Length + 4];
        var tcp = TcpPacket.CreateUnchecked(bytes);
        new TcpRepr(80, 40000, 1000, 2000, TcpFlags.Ack | TcpFlags.Psh, 512, 4).Emit(tcp);
        tcp.HeaderLength = TcpPacket.MinHeaderLength + options.Length;
        options.CopyTo(tcp.Options);
        "data"u8.CopyTo(tcp.Payload);
        tcp.FillChecksum(A4, B4);
        return bytes;
    }

    private static byte[] Icmp4(Icmpv4Repr repr, ReadOnlySpan<byte> data)
    {
        var bytes = new byte[repr.BufferLength];
        data.CopyTo(bytes.AsSpan(repr.HeaderLength));
        repr.Emit(Icmpv4Packet.CreateUnchecked(bytes));
        return bytes;
    }

    private static byte[] Icmp6(Ipv6Address source, Ipv6Address destination, Icmpv6Repr repr, ReadOnlySpan<byte> data)
    {
        var bytes = new byte[repr.BufferLength];
        data.CopyTo(bytes.AsSpan(repr.HeaderLength));
        repr.Emit(Icmpv6Packet.CreateUnchecked(bytes), source, destination);
        return bytes;
    }

    private static byte[] Ndp(Ipv6Address source, Ipv6Address destination, NdpRepr repr)
    {
        var bytes = new byte[repr.BufferLength];
        repr.Emit(NdpNeighborMessage.CreateUnchecked(bytes), source, destination);
        return bytes;
    }
}
