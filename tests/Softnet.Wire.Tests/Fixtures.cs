namespace Softnet.Wire.Tests;

/// <summary>
/// Frames from real captures, as hex. Sources: the PacketDotNet test captures (Test/CaptureFiles in dotpcap/packetnet),
/// the gopacket layer tests and pcap/test_ethernet.pcap (google/gopacket), and a tcpdump trace of ping6 on loopback.
/// </summary>
internal static class Fixtures
{
    /// <summary>ARP who-has 192.168.1.214 tell 192.168.1.202, padded to 60 bytes (packetnet arp_request_response.pcap #1).</summary>
    public static byte[] ArpRequest => Hex.Bytes("""
        ffffffffffff 000461990154 0806
        0001 0800 06 04 0001 000461990154 c0a801ca 000000000000 c0a801d6
        000000000000000000000000000000000000
        """);

    /// <summary>ARP 192.168.1.214 is-at 00:21:6a:02:08:54 (packetnet arp_request_response.pcap #2).</summary>
    public static byte[] ArpReply => Hex.Bytes("""
        000461990154 00216a020854 0806
        0001 0800 06 04 0002 00216a020854 c0a801d6 000461990154 c0a801ca
        """);

    /// <summary>Windows ping 192.168.1.150 > 74.125.67.106, echo request id 0x0200 seq 0x6b00 (packetnet ICMPv4.pcap #1).</summary>
    public static byte[] IcmpEchoRequest => Hex.Bytes("""
        0014a9981cc1 001e4fe536ef 0800
        4500003c 58080000 80019293 c0a80196 4a7d436a
        0800e05b 02006b00 6162636465666768696a6b6c6d6e6f7071727374757677616263646566676869
        """);

    /// <summary>The echo reply to <see cref="IcmpEchoRequest"/> (packetnet ICMPv4.pcap #2).</summary>
    public static byte[] IcmpEchoReply => Hex.Bytes("""
        001e4fe536ef 0014a9981cc1 0800
        4500003c ec750000 2f014f26 4a7d436a c0a80196
        0000e85b 02006b00 6162636465666768696a6b6c6d6e6f7071727374757677616263646566676869
        """);

    /// <summary>ICMP host 10.66.73.201 unreachable - admin prohibited filter, quoting a UDP packet (gopacket testICMP).</summary>
    public static byte[] IcmpAdminProhibited => Hex.Bytes("""
        24be05270b17 001fcab375c0 0800
        45000038 00000000 fc01d7a7 480edee2 ac1d140f
        030d946e 00000000 4520004d 00004000 3e112849 ac1d140f 0a4249c9 8ecc62e1 0039769d
        """);

    /// <summary>First 64 bytes of an 802.1Q (VLAN 102) HTTP GET frame of 1165 bytes (packetnet 802.1q_vlan_ipv4_tcp.pcap).</summary>
    public static byte[] VlanTcpHead => Hex.Bytes("""
        001b21c6426e 00e0b1c8ee51 8100 0066 0800
        4500047b 46b84000 7f0672ff c0a80318 4a7d2f88
        0ccd0050 9d944ca2 b3ed8ca1 5018fd9d 060d0000 474554202f67656e
        """);

    /// <summary>First 42 bytes of an 802.1ad QinQ frame: S-tag VLAN 30, C-tag VLAN 100 (packetnet 802.1ad_vlan_ipv4.pcap).</summary>
    public static byte[] QinQHead => Hex.Bytes("""
        00109400000c 001094000014 88a8 001e 8100 0064 0800
        450005c2 54b00000 fffdddbf c0550116 c055010e
        """);

    /// <summary>Neighbor solicitation for 2620:0:1005:0:26be:5ff:fe27:b17 with a source link-layer option (gopacket testICMP6).</summary>
    public static byte[] NeighborSolicitation => Hex.Bytes("""
        24be05270b17 001fcab375c0 86dd
        6e000000 0020 3a ff fe80000000000000021fcafffeb375c0 262000001005000026be05fffe270b17
        87001eba 00000000 262000001005000026be05fffe270b17 0101001fcab375c0
        """);

    /// <summary>Duplicate address detection: solicitation from :: for fe80::c000:54ff:fef5:0 (packetnet ipv6_ndp.pcap #1).</summary>
    public static byte[] NeighborSolicitationDad => Hex.Bytes("""
        3333fff50000 c20054f50000 86dd
        6e000000 0018 3a ff 00000000000000000000000000000000 ff0200000000000000000001fff50000
        8700673c 00000000 fe80000000000000c00054fffef50000
        """);

    /// <summary>Unsolicited neighbor advertisement (R, O) with a target link-layer option, to ff02::1 (packetnet ipv6_ndp.pcap #2).</summary>
    public static byte[] NeighborAdvertisement => Hex.Bytes("""
        333300000001 c20054f50000 86dd
        6e000000 0020 3a ff fe80000000000000c00054fffef50000 ff020000000000000000000000000001
        88009abb a0000000 fe80000000000000c00054fffef50000 0201c20054f50000
        """);

    /// <summary>Solicited neighbor advertisement (S) without options (gopacket testPacketICMPv6).</summary>
    public static byte[] NeighborAdvertisementSolicited => Hex.Bytes("""
        001fcab37640 24be05270b17 86dd
        60000000 0018 3a ff 262000001005000026be05fffe270b17 fe80000000000000021fcafffeb37640
        88001ed6 40000000 262000001005000026be05fffe270b17
        """);

    /// <summary>MLDv2 report behind a Hop-by-Hop header with Router Alert (packetnet ipv6_icmpv6_hopbyhop_packet.pcap).</summary>
    public static byte[] MldWithHopByHop => Hex.Bytes("""
        333300000016 f894c22efad1 86dd
        60000000 0024 00 01 fe80000000000000d802358915cf3128 ff020000000000000000000000000016
        3a00 0502 0000 0100
        8f001c84 00000001 03000000 ff020000000000000000000000010003
        """);

    /// <summary>ping6 ::1, echo request id 0x4d46 seq 0, as the raw IPv6 packet (tcpdump on loopback).</summary>
    public static byte[] Icmpv6EchoRequestRaw => Hex.Bytes("""
        6000a182 0010 3a 40 00000000000000000000000000000001 00000000000000000000000000000001
        800099b9 4d460000 53df7d050001c7cd
        """);

    /// <summary>curl's SYN 10.1.1.2:44644 > 10.1.1.1:80 with MSS, SACK permitted, timestamps, window scale (gopacket pcap/test_ethernet.pcap #1).</summary>
    public static byte[] TcpSyn => Hex.Bytes("""
        c4393a02a92a 586d8f99eca8 0800
        4500003c 5b9f4000 4006c918 0a010102 0a010101
        ae640050 9349c830 00000000 a0027210 e47d0000 020405b4 0402080a 3d8f93af 00000000 01030307
        """);

    /// <summary>The SYN-ACK to <see cref="TcpSyn"/> (gopacket pcap/test_ethernet.pcap #2).</summary>
    public static byte[] TcpSynAck => Hex.Bytes("""
        586d8f99eca8 c4393a02a92a 0800
        4500003c 00004000 400624b8 0a010101 0a010102
        0050ae64 f9a817da 9349c831 a01216a0 21e60000 020405b4 0402080a 03740903 3d8f93af 01030304
        """);

    /// <summary>DNS query A? mail.google.com, 192.168.1.4:39449 > 192.168.1.1:53 (packetnet udp_dns_request_response.pcap #1).</summary>
    public static byte[] DnsQuery => Hex.Bytes("""
        001b2f6c9880 00234d5bf88b 0800
        4500003d fd2d4000 4011ba2c c0a80104 c0a80101
        9a190035 0029dbf8 7b140100000100000000000004 6d61696c 06 676f6f676c65 03 636f6d 00 0001 0001
        """);

    /// <summary>Two-label MPLS stack (17, 19) carrying an ICMP echo request 12.0.0.1 > 2.2.2.2 (gopacket testPacketMPLS).</summary>
    public static byte[] MplsTwoLabels => Hex.Bytes("""
        cc1314640001 cc1514640000 8847
        000110fe 000131fe
        45000064 00390000 fe01ac5b 0c000001 02020202
        08003a6b 000b0002 0000000000 3e4394
        """ + string.Concat(Enumerable.Repeat("abcd", 32)));

    /// <summary>VXLAN (VNI 0) between 192.168.203.1 and 192.168.202.1 carrying a ping 192.168.203.3 > 192.168.203.5 (gopacket testPacketVXLAN, bytes as captured).</summary>
    public static byte[] Vxlan => Hex.Bytes("""
        00163e0871cf 36dc851eb340 0800
        45000086 d2c04000 40115152 c0a8cb01 c0a8ca01
        b05d12b5 00720000
        08000000 00000000
        003088010002 00163e37f604 0800
        45000054 00004000 4001234f c0a8cb03 c0a8cb05
        0800f6f2 050c0001 fce29751 00000000 a6f80200 00000000
        101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637
        """);

    public static IEnumerable<(string Name, byte[] Frame)> EthernetFrames =>
    [
        (nameof(ArpRequest), ArpRequest), (nameof(ArpReply), ArpReply), (nameof(IcmpEchoRequest), IcmpEchoRequest),
        (nameof(IcmpEchoReply), IcmpEchoReply), (nameof(IcmpAdminProhibited), IcmpAdminProhibited),
        (nameof(VlanTcpHead), VlanTcpHead), (nameof(QinQHead), QinQHead), (nameof(NeighborSolicitation), NeighborSolicitation),
        (nameof(NeighborSolicitationDad), NeighborSolicitationDad), (nameof(NeighborAdvertisement), NeighborAdvertisement),
        (nameof(NeighborAdvertisementSolicited), NeighborAdvertisementSolicited),
        (nameof(MldWithHopByHop), MldWithHopByHop), (nameof(TcpSyn), TcpSyn), (nameof(TcpSynAck), TcpSynAck),
        (nameof(DnsQuery), DnsQuery), (nameof(MplsTwoLabels), MplsTwoLabels), (nameof(Vxlan), Vxlan),
    ];
}
