using Pd = PacketDotNet;

namespace Softnet.Wire.Tests;

/// <summary>Property tests of IPv6, its extension-header walk, UDP/TCP over IPv6, ICMPv6 and NDP against PacketDotNet.</summary>
public sealed class PacketDotNetIpv6Tests
{
    private const int Count = 2000;

    [Fact]
    public void Our_udp_and_tcp_over_ipv6_with_extension_headers_decode_in_packetdotnet()
    {
        var random = new Random(8200);
        for (var i = 0; i < Count; i++)
        {
            var payload = random.Bytes(random.Next(0, 300));
            var useTcp = i % 2 == 0;
            var tcp = PacketDotNetIpv4Tests.RandomTcp(random, payload.Length);
            var udp = new UdpRepr(random.Port(), random.Port(), payload.Length);
            var chain = RandomExtensionChain(random, useTcp ? IpProtocol.Tcp : IpProtocol.Udp, out var firstHeader);
            var transportLength = useTcp ? tcp.BufferLength : udp.BufferLength;
            var frame = BuildIpv6(random, firstHeader, chain, transportLength, out var ip);
            var packet = Ipv6Packet.CreateUnchecked(frame.AsSpan(EthernetFrame.HeaderLength));
            Assert.True(packet.TryFindUpperLayer(out var protocol, out var offset));
            Assert.Equal(40 + chain.Length, offset);
            var transport = packet.Buffer[offset..];
            if (useTcp)
            {
                payload.CopyTo(transport[tcp.HeaderLength..]);
                tcp.Emit(TcpPacket.CreateUnchecked(transport), ip.Source, ip.Destination);
            }
            else
            {
                payload.CopyTo(transport[8..]);
                udp.Emit(UdpPacket.CreateUnchecked(transport), ip.Source, ip.Destination);
            }

            var decoded = Pd.Packet.ParsePacket(Pd.LinkLayers.Ethernet, frame);
            var pdIp = decoded.Extract<Pd.IPv6Packet>();
            AssertIpv6(ip, pdIp);
            Assert.Equal(chain.Length, pdIp.ExtensionHeadersLength);
            Assert.Equal(protocol, (byte)pdIp.Protocol);
            if (useTcp)
            {
                PacketDotNetIpv4Tests.AssertTcp(tcp, payload, decoded.Extract<Pd.TcpPacket>());
                continue;
            }
            var pdUdp = decoded.Extract<Pd.UdpPacket>();
            Assert.Equal(udp.SourcePort, pdUdp.SourcePort);
            Assert.Equal(udp.DestinationPort, pdUdp.DestinationPort);
            Assert.Equal(udp.BufferLength, pdUdp.Length);
            Assert.True(pdUdp.ValidUdpChecksum);
            Assert.Equal(payload, pdUdp.PayloadData ?? []);
        }
    }

    [Fact]
    public void Our_icmpv6_echo_decodes_in_packetdotnet()
    {
        var random = new Random(4443);
        for (var i = 0; i < Count; i++)
        {
            var data = random.Bytes(random.Next(0, 200));
            var icmp = i % 2 == 0
                ? Icmpv6Repr.EchoRequest(random.UInt16(), random.UInt16(), data.Length)
                : Icmpv6Repr.EchoReply(random.UInt16(), random.UInt16(), data.Length);
            var frame = BuildIpv6(random, IpProtocol.Icmpv6, [], icmp.BufferLength, out var ip);
            var transport = frame.AsSpan(EthernetFrame.HeaderLength + 40);
            data.CopyTo(transport[8..]);
            icmp.Emit(Icmpv6Packet.CreateUnchecked(transport), ip.Source, ip.Destination);

            var decoded = Pd.Packet.ParsePacket(Pd.LinkLayers.Ethernet, frame);
            AssertIpv6(ip, decoded.Extract<Pd.IPv6Packet>());
            var pdIcmp = decoded.Extract<Pd.IcmpV6Packet>();
            Assert.Equal(icmp.Type, (byte)pdIcmp.Type);
            Assert.Equal(icmp.Code, pdIcmp.Code);
            Assert.True(pdIcmp.ValidIcmpChecksum);
            Assert.Equal(transport[4..].ToArray(), pdIcmp.PayloadData);
        }
    }

    [Fact]
    public void Our_neighbor_discovery_decodes_in_packetdotnet()
    {
        var random = new Random(4861);
        for (var i = 0; i < Count; i++)
        {
            var target = random.Ipv6();
            MacAddress? mac = random.Next(3) == 0 ? null : random.Mac();
            var ndp = i % 2 == 0
                ? NdpRepr.Solicitation(target, mac)
                : NdpRepr.Advertisement(target, mac, random.Next(2) == 0, random.Next(2) == 0, random.Next(2) == 0);
            var frame = BuildIpv6(random, IpProtocol.Icmpv6, [], ndp.BufferLength, out var ip, hopLimit: 255);
            ndp.Emit(NdpNeighborMessage.CreateUnchecked(frame.AsSpan(EthernetFrame.HeaderLength + 40)), ip.Source, ip.Destination);

            var decoded = Pd.Packet.ParsePacket(Pd.LinkLayers.Ethernet, frame);
            AssertIpv6(ip, decoded.Extract<Pd.IPv6Packet>());
            var pdIcmp = decoded.Extract<Pd.IcmpV6Packet>();
            Assert.Equal(ndp.Type, (byte)pdIcmp.Type);
            Assert.True(pdIcmp.ValidIcmpChecksum);
            List<Pd.Ndp.NdpOption> options;
            if (i % 2 == 0)
            {
                var solicitation = decoded.Extract<Pd.NdpNeighborSolicitationPacket>();
                Assert.Equal(target, solicitation.TargetAddress.ToIpv6());
                options = solicitation.OptionsCollection;
            }
            else
            {
                var advertisement = decoded.Extract<Pd.NdpNeighborAdvertisementPacket>();
                Assert.Equal(target, advertisement.TargetAddress.ToIpv6());
                Assert.Equal(ndp.Router, advertisement.Router);
                Assert.Equal(ndp.Solicited, advertisement.Solicited);
                Assert.Equal(ndp.Override, advertisement.Override);
                options = advertisement.OptionsCollection;
            }
            var option = options.OfType<Pd.Ndp.NdpLinkLayerAddressOption>().SingleOrDefault();
            Assert.Equal(mac, option?.LinkLayerAddress.ToMac());
            Assert.Equal(ndp.LinkLayerOptionType, (byte?)option?.Type ?? ndp.LinkLayerOptionType);
        }
    }

    [Fact]
    public void Packetdotnet_udp_and_icmpv6_over_ipv6_parse_here()
    {
        var random = new Random(2460);
        for (var i = 0; i < Count; i++)
        {
            var source = random.Ipv6();
            var destination = random.Ipv6();
            var payload = random.Bytes(random.Next(0, 300));
            Pd.Packet transport;
            if (i % 2 == 0)
            {
                transport = new Pd.UdpPacket(random.Port(), random.Port()) { PayloadData = payload };
            }
            else
            {
                var message = new byte[8 + payload.Length];
                random.NextBytes(message.AsSpan(4, 4));
                payload.CopyTo(message, 8);
                transport = new Pd.IcmpV6Packet(new Pd.Utils.ByteArraySegment(message)) { Type = Pd.IcmpV6Type.EchoReply, Code = 0 };
            }
            var pdIp = new Pd.IPv6Packet(source.ToIPAddress(), destination.ToIPAddress())
            {
                HopLimit = random.Next(0, 256),
                TrafficClass = random.Next(0, 256),
                FlowLabel = random.Next(0, 1 << 20),
                PayloadPacket = transport,
            };
            var pdEth = new Pd.EthernetPacket(random.Mac().ToPhysicalAddress(), random.Mac().ToPhysicalAddress(), Pd.EthernetType.IPv6) { PayloadPacket = pdIp };
            if (transport is Pd.UdpPacket pdUdp)
            {
                pdUdp.UpdateCalculatedValues();
                pdUdp.UpdateUdpChecksum();
            }
            var frame = pdEth.Bytes;
            if (transport is Pd.IcmpV6Packet)
            {
                // PacketDotNet sums an ICMPv6 message only once it sits in one buffer with its IPv6 header: parse its own
                // output and let it fill the checksum in place.
                Pd.Packet.ParsePacket(Pd.LinkLayers.Ethernet, frame).Extract<Pd.IcmpV6Packet>().UpdateIcmpChecksum();
            }

            Assert.True(EthernetFrame.TryCreate(frame, out var eth));
            Assert.Equal(EtherType.Ipv6, eth.EtherType);
            Assert.True(Ipv6Packet.TryCreate(eth.Payload, out var ip));
            Assert.True(Ipv6Repr.TryParse(ip, out var repr));
            Assert.Equal(new Ipv6Repr(source, destination, i % 2 == 0 ? IpProtocol.Udp : IpProtocol.Icmpv6, transport.TotalPacketLength, (byte)pdIp.HopLimit)
            {
                TrafficClass = (byte)pdIp.TrafficClass,
                FlowLabel = (uint)pdIp.FlowLabel,
            }, repr);
            if (transport is Pd.UdpPacket u)
            {
                Assert.True(UdpPacket.TryCreate(ip.Payload, out var udp));
                Assert.True(UdpRepr.TryParse(udp, source, destination, out var udpRepr));
                Assert.Equal(new UdpRepr(u.SourcePort, u.DestinationPort, payload.Length), udpRepr);
                Assert.Equal(payload, udp.Payload.ToArray());
            }
            else
            {
                Assert.True(Icmpv6Packet.TryCreate(ip.Payload, out var icmp));
                Assert.True(Icmpv6Repr.TryParse(icmp, source, destination, out var icmpRepr));
                Assert.Equal(Icmpv6Type.EchoReply, icmpRepr.Type);
                Assert.Equal(payload, icmp.Data.ToArray());
            }
        }
    }

    /// <summary>
    /// A chain of Hop-by-Hop (first only), Routing, Destination Options and first-fragment headers of one common length,
    /// since PacketDotNet 1.4.8 measures every header of a chain by the first one's length byte.
    /// </summary>
    private static byte[] RandomExtensionChain(Random random, byte upperLayer, out byte firstHeader)
    {
        var units = random.Next(0, 4);
        var kinds = new List<byte>();
        if (random.Next(2) == 0) kinds.Add(IpProtocol.HopByHop);
        for (var n = random.Next(0, 4); n > 0; n--)
        {
            byte[] choices = units == 0 ? [IpProtocol.Ipv6Route, IpProtocol.Ipv6Options, IpProtocol.Ipv6Fragment] : [IpProtocol.Ipv6Route, IpProtocol.Ipv6Options];
            kinds.Add(choices[random.Next(choices.Length)]);
        }
        var size = (units + 1) * 8;
        var chain = new byte[kinds.Count * size];
        for (var k = 0; k < kinds.Count; k++)
        {
            var header = chain.AsSpan(k * size, size);
            random.NextBytes(header);
            header[0] = k + 1 < kinds.Count ? kinds[k + 1] : upperLayer;
            header[1] = kinds[k] == IpProtocol.Ipv6Fragment ? (byte)0 : (byte)units;
            // Fragment offset 0 with a random M flag; PacketDotNet reads these bytes from the first header whatever it is.
            header[2] = 0;
            header[3] = (byte)random.Next(0, 2);
        }
        firstHeader = kinds.Count > 0 ? kinds[0] : upperLayer;
        return chain;
    }

    private static byte[] BuildIpv6(Random random, byte nextHeader, byte[] chain, int transportLength, out Ipv6Repr repr, byte? hopLimit = null)
    {
        var frame = new byte[EthernetFrame.HeaderLength + 40 + chain.Length + transportLength];
        new EthernetRepr(random.Mac(), random.Mac(), EtherType.Ipv6).Emit(EthernetFrame.CreateUnchecked(frame));
        repr = new Ipv6Repr(random.Ipv6(), random.Ipv6(), nextHeader, chain.Length + transportLength, hopLimit ?? (byte)random.Next(0, 256))
        {
            TrafficClass = (byte)random.Next(0, 256),
            FlowLabel = (uint)random.Next(0, 1 << 20),
        };
        repr.Emit(Ipv6Packet.CreateUnchecked(frame.AsSpan(EthernetFrame.HeaderLength)));
        chain.CopyTo(frame, EthernetFrame.HeaderLength + 40);
        return frame;
    }

    private static void AssertIpv6(Ipv6Repr repr, Pd.IPv6Packet decoded)
    {
        Assert.Equal(Pd.IPVersion.IPv6, decoded.Version);
        Assert.Equal(repr.TrafficClass, decoded.TrafficClass);
        Assert.Equal(repr.FlowLabel, (uint)decoded.FlowLabel);
        Assert.Equal(repr.PayloadLength, decoded.PayloadLength);
        Assert.Equal(repr.NextHeader, (byte)decoded.NextHeader);
        Assert.Equal(repr.HopLimit, decoded.HopLimit);
        Assert.Equal(repr.Source, decoded.SourceAddress.ToIpv6());
        Assert.Equal(repr.Destination, decoded.DestinationAddress.ToIpv6());
    }
}
