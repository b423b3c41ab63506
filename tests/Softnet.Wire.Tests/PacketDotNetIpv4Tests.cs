using Pd = PacketDotNet;

namespace Softnet.Wire.Tests;

/// <summary>
/// Property tests against PacketDotNet as an independent codec: random IPv4 packets emitted by our Reprs must decode in
/// PacketDotNet field for field with valid checksums, and packets PacketDotNet builds must parse here to the same values.
/// </summary>
public sealed class PacketDotNetIpv4Tests
{
    private const int Count = 2000;

    [Fact]
    public void Our_udp_over_ipv4_decodes_in_packetdotnet()
    {
        var random = new Random(768);
        for (var i = 0; i < Count; i++)
        {
            var payload = random.Bytes(random.Next(0, 300));
            var udp = new UdpRepr(random.Port(), random.Port(), payload.Length);
            var frame = BuildIpv4(random, IpProtocol.Udp, udp.BufferLength, out var ip, out var l4);
            payload.CopyTo(l4[8..]);
            udp.Emit(UdpPacket.CreateUnchecked(l4), ip.Source, ip.Destination);

            var decoded = Pd.Packet.ParsePacket(Pd.LinkLayers.Ethernet, frame);
            if (!AssertIpv4(ip, frame, decoded.Extract<Pd.IPv4Packet>())) continue;
            var pdUdp = decoded.Extract<Pd.UdpPacket>();
            Assert.Equal(udp.SourcePort, pdUdp.SourcePort);
            Assert.Equal(udp.DestinationPort, pdUdp.DestinationPort);
            Assert.Equal(udp.BufferLength, pdUdp.Length);
            Assert.True(pdUdp.ValidUdpChecksum);
            Assert.Equal(payload, pdUdp.PayloadData ?? []);
        }
    }

    [Fact]
    public void Our_tcp_over_ipv4_decodes_in_packetdotnet()
    {
        var random = new Random(793);
        for (var i = 0; i < Count; i++)
        {
            var payload = random.Bytes(random.Next(0, 300));
            var tcp = RandomTcp(random, payload.Length);
            var frame = BuildIpv4(random, IpProtocol.Tcp, tcp.BufferLength, out var ip, out var l4);
            payload.CopyTo(l4[tcp.HeaderLength..]);
            tcp.Emit(TcpPacket.CreateUnchecked(l4), ip.Source, ip.Destination);

            var decoded = Pd.Packet.ParsePacket(Pd.LinkLayers.Ethernet, frame);
            if (!AssertIpv4(ip, frame, decoded.Extract<Pd.IPv4Packet>())) continue;
            AssertTcp(tcp, payload, decoded.Extract<Pd.TcpPacket>());
        }
    }

    [Fact]
    public void Our_icmpv4_decodes_in_packetdotnet()
    {
        var random = new Random(792);
        byte[] types = [Icmpv4Type.EchoRequest, Icmpv4Type.EchoReply, Icmpv4Type.DestinationUnreachable, Icmpv4Type.TimeExceeded, Icmpv4Type.ParameterProblem];
        for (var i = 0; i < Count; i++)
        {
            var data = random.Bytes(random.Next(0, 200));
            var type = types[random.Next(types.Length)];
            var icmp = new Icmpv4Repr(type, (byte)random.Next(0, type == Icmpv4Type.DestinationUnreachable ? 16 : 2), random.UInt32(), data.Length);
            var frame = BuildIpv4(random, IpProtocol.Icmp, icmp.BufferLength, out var ip, out var l4);
            data.CopyTo(l4[8..]);
            icmp.Emit(Icmpv4Packet.CreateUnchecked(l4));

            var decoded = Pd.Packet.ParsePacket(Pd.LinkLayers.Ethernet, frame);
            if (!AssertIpv4(ip, frame, decoded.Extract<Pd.IPv4Packet>())) continue;
            var pdIcmp = decoded.Extract<Pd.IcmpV4Packet>();
            Assert.Equal((ushort)(icmp.Type << 8 | icmp.Code), (ushort)pdIcmp.TypeCode);
            Assert.Equal(icmp.Identifier, pdIcmp.Id);
            Assert.Equal(icmp.SequenceNumber, pdIcmp.Sequence);
            Assert.True(pdIcmp.ValidIcmpChecksum);
            Assert.Equal(data, pdIcmp.Data);
        }
    }

    [Fact]
    public void Packetdotnet_udp_and_tcp_over_ipv4_parse_here()
    {
        var random = new Random(1122);
        for (var i = 0; i < Count; i++)
        {
            var source = random.Ipv4();
            var destination = random.Ipv4();
            var payload = random.Bytes(random.Next(0, 300));
            var useTcp = i % 2 == 0;
            Pd.Packet transport = useTcp
                ? new Pd.TcpPacket(random.UInt16(), random.UInt16())
                {
                    SequenceNumber = random.UInt32(),
                    AcknowledgmentNumber = random.UInt32(),
                    Flags = (ushort)random.Next(0, 256),
                    WindowSize = random.UInt16(),
                    UrgentPointer = random.UInt16(),
                    PayloadData = payload,
                }
                : new Pd.UdpPacket(random.Port(), random.Port()) { PayloadData = payload };
            var pdIp = new Pd.IPv4Packet(source.ToIPAddress(), destination.ToIPAddress())
            {
                TimeToLive = random.Next(0, 256),
                Id = random.UInt16(),
                TypeOfService = random.Next(0, 256),
                FragmentFlags = random.Next(0, 4),
                PayloadPacket = transport,
            };
            var pdEth = new Pd.EthernetPacket(random.Mac().ToPhysicalAddress(), random.Mac().ToPhysicalAddress(), Pd.EthernetType.IPv4) { PayloadPacket = pdIp };
            pdIp.UpdateCalculatedValues();
            transport.UpdateCalculatedValues();
            if (transport is Pd.TcpPacket pdTcp) pdTcp.UpdateTcpChecksum();
            if (transport is Pd.UdpPacket pdUdp) pdUdp.UpdateUdpChecksum();
            pdIp.UpdateIPChecksum();
            var frame = pdEth.Bytes;

            Assert.True(EthernetFrame.TryCreate(frame, out var eth));
            Assert.Equal(pdEth.SourceHardwareAddress.ToMac(), eth.Source);
            Assert.Equal(pdEth.DestinationHardwareAddress.ToMac(), eth.Destination);
            Assert.Equal(EtherType.Ipv4, eth.EtherType);
            Assert.True(Ipv4Packet.TryCreate(eth.Payload, out var ip));
            Assert.True(Ipv4Repr.TryParse(ip, out var ipRepr));
            Assert.Equal(new Ipv4Repr(source, destination, useTcp ? IpProtocol.Tcp : IpProtocol.Udp, transport.TotalPacketLength, (byte)pdIp.TimeToLive)
            {
                Dscp = (byte)(pdIp.TypeOfService >> 2),
                Ecn = (byte)(pdIp.TypeOfService & 3),
                Identification = pdIp.Id,
                DontFragment = (pdIp.FragmentFlags & 2) != 0,
                MoreFragments = (pdIp.FragmentFlags & 1) != 0,
            }, ipRepr);

            if (transport is Pd.TcpPacket t)
            {
                Assert.True(TcpPacket.TryCreate(ip.Payload, out var tcp));
                Assert.True(TcpRepr.TryParse(tcp, source, destination, out var repr));
                Assert.Equal(new TcpRepr(t.SourcePort, t.DestinationPort, t.SequenceNumber, t.AcknowledgmentNumber, (TcpFlags)t.Flags, t.WindowSize, payload.Length)
                {
                    UrgentPointer = (ushort)t.UrgentPointer,
                }, repr);
                Assert.Equal(payload, tcp.Payload.ToArray());
            }
            else
            {
                var u = (Pd.UdpPacket)transport;
                Assert.True(UdpPacket.TryCreate(ip.Payload, out var udp));
                Assert.True(UdpRepr.TryParse(udp, source, destination, out var repr));
                Assert.Equal(new UdpRepr(u.SourcePort, u.DestinationPort, payload.Length), repr);
                Assert.Equal(payload, udp.Payload.ToArray());
            }
        }
    }

    [Fact]
    public void Packetdotnet_echo_requests_parse_here()
    {
        var random = new Random(777);
        for (var i = 0; i < Count; i++)
        {
            var data = random.Bytes(random.Next(0, 120));
            var pdIcmp = new Pd.IcmpV4Packet(new Pd.Utils.ByteArraySegment(new byte[8]))
            {
                TypeCode = i % 2 == 0 ? Pd.IcmpV4TypeCode.EchoRequest : Pd.IcmpV4TypeCode.EchoReply,
                Id = random.UInt16(),
                Sequence = random.UInt16(),
                Data = data,
            };
            var source = random.Ipv4();
            var destination = random.Ipv4();
            var pdIp = new Pd.IPv4Packet(source.ToIPAddress(), destination.ToIPAddress()) { PayloadPacket = pdIcmp };
            var pdEth = new Pd.EthernetPacket(random.Mac().ToPhysicalAddress(), random.Mac().ToPhysicalAddress(), Pd.EthernetType.IPv4) { PayloadPacket = pdIp };
            pdIp.UpdateCalculatedValues();
            pdIcmp.UpdateIcmpChecksum();
            pdIp.UpdateIPChecksum();
            var frame = pdEth.Bytes;

            Assert.True(Ipv4Packet.TryCreate(frame.AsSpan(14), out var ip));
            Assert.True(Ipv4Repr.TryParse(ip, out var ipRepr));
            Assert.Equal(IpProtocol.Icmp, ipRepr.Protocol);
            Assert.True(Icmpv4Packet.TryCreate(ip.Payload, out var icmp));
            Assert.True(Icmpv4Repr.TryParse(icmp, out var repr));
            var expected = i % 2 == 0 ? Icmpv4Repr.EchoRequest(pdIcmp.Id, pdIcmp.Sequence, data.Length) : Icmpv4Repr.EchoReply(pdIcmp.Id, pdIcmp.Sequence, data.Length);
            Assert.Equal(expected, repr);
            Assert.Equal(data, icmp.Data.ToArray());
        }
    }

    internal static TcpRepr RandomTcp(Random random, int payloadLength) =>
        new(random.Port(), random.Port(), random.UInt32(), random.UInt32(), (TcpFlags)random.Next(0, 256), random.UInt16(), payloadLength)
        {
            UrgentPointer = random.UInt16(),
            MaxSegmentSize = random.Next(2) == 0 ? random.UInt16() : null,
            WindowScale = random.Next(2) == 0 ? (byte)random.Next(0, 15) : null,
            SackPermitted = random.Next(2) == 0,
            Timestamps = random.Next(2) == 0 ? new TcpTimestamps(random.UInt32(), random.UInt32()) : null,
        };

    internal static void AssertTcp(TcpRepr tcp, byte[] payload, Pd.TcpPacket decoded)
    {
        Assert.Equal(tcp.SourcePort, decoded.SourcePort);
        Assert.Equal(tcp.DestinationPort, decoded.DestinationPort);
        Assert.Equal(tcp.SequenceNumber, decoded.SequenceNumber);
        Assert.Equal(tcp.AcknowledgmentNumber, decoded.AcknowledgmentNumber);
        Assert.Equal(tcp.HeaderLength, decoded.DataOffset * 4);
        Assert.Equal((ushort)tcp.Flags, decoded.Flags);
        Assert.Equal(tcp.WindowSize, decoded.WindowSize);
        Assert.Equal(tcp.UrgentPointer, (ushort)decoded.UrgentPointer); // PacketDotNet reads it as a signed 16-bit value
        Assert.True(decoded.ValidTcpChecksum);
        Assert.Equal(payload, decoded.PayloadData ?? []);
        // PacketDotNet refuses to read options while URG is set.
        if (decoded.Urgent || tcp.OptionsLength == 0) return;
        var options = decoded.OptionsCollection;
        Assert.Equal(tcp.MaxSegmentSize, options.OfType<Pd.Tcp.MaximumSegmentSizeOption>().SingleOrDefault()?.Value);
        Assert.Equal(tcp.WindowScale, options.OfType<Pd.Tcp.WindowScaleFactorOption>().SingleOrDefault()?.ScaleFactor);
        Assert.Equal(tcp.SackPermitted, options.OfType<Pd.Tcp.SelectiveAcknowledgmentPermittedOption>().Any());
        var timestamp = options.OfType<Pd.Tcp.TimeStampOption>().SingleOrDefault();
        Assert.Equal(tcp.Timestamps, timestamp is null ? null : new TcpTimestamps(timestamp.Value, timestamp.EchoReply));
    }

    /// <summary>Emits Ethernet and an IPv4 header, sometimes with NOP options, and returns the frame and the transport span.</summary>
    private static byte[] BuildIpv4(Random random, byte protocol, int transportLength, out Ipv4Repr repr, out Span<byte> transport)
    {
        var optionsLength = random.Next(4) == 0 ? 4 * random.Next(1, 11) : 0;
        var frame = new byte[EthernetFrame.HeaderLength + 20 + optionsLength + transportLength];
        new EthernetRepr(random.Mac(), random.Mac(), EtherType.Ipv4).Emit(EthernetFrame.CreateUnchecked(frame));
        repr = new Ipv4Repr(random.Ipv4(), random.Ipv4(), protocol, transportLength, (byte)random.Next(0, 256))
        {
            Dscp = (byte)random.Next(0, 64),
            Ecn = (byte)random.Next(0, 4),
            Identification = random.UInt16(),
            DontFragment = random.Next(2) == 0,
            MoreFragments = random.Next(8) == 0,
            FragmentOffset = random.Next(8) == 0 ? 8 * random.Next(0, 8192) : 0,
        };
        var ip = Ipv4Packet.CreateUnchecked(frame.AsSpan(EthernetFrame.HeaderLength));
        repr.Emit(ip);
        if (optionsLength > 0)
        {
            ip.HeaderLength += optionsLength;
            ip.TotalLength += (ushort)optionsLength;
            ip.Options.Fill(1);
            ip.FillChecksum();
        }
        transport = ip.Payload;
        return frame;
    }

    /// <summary>Checks the Ethernet and IPv4 headers; returns false for a non-first fragment, whose payload PacketDotNet leaves undecoded.</summary>
    private static bool AssertIpv4(Ipv4Repr repr, byte[] frame, Pd.IPv4Packet decoded)
    {
        var eth = Pd.Packet.ParsePacket(Pd.LinkLayers.Ethernet, frame) as Pd.EthernetPacket;
        Assert.NotNull(eth);
        Assert.Equal(MacAddress.Read(frame), eth.DestinationHardwareAddress.ToMac());
        Assert.Equal(MacAddress.Read(frame.AsSpan(6)), eth.SourceHardwareAddress.ToMac());
        Assert.Equal(Pd.EthernetType.IPv4, eth.Type);
        Assert.Equal(Pd.IPVersion.IPv4, decoded.Version);
        Assert.Equal(repr.Dscp << 2 | repr.Ecn, decoded.TypeOfService);
        Assert.Equal(frame.Length - EthernetFrame.HeaderLength, decoded.TotalLength);
        Assert.Equal(repr.Identification, decoded.Id);
        Assert.Equal((repr.DontFragment ? 2 : 0) | (repr.MoreFragments ? 1 : 0), decoded.FragmentFlags);
        Assert.Equal(repr.FragmentOffset / 8, decoded.FragmentOffset);
        Assert.Equal(repr.TimeToLive, decoded.TimeToLive);
        Assert.Equal(repr.Protocol, (byte)decoded.Protocol);
        Assert.Equal(repr.Source, decoded.SourceAddress.ToIpv4());
        Assert.Equal(repr.Destination, decoded.DestinationAddress.ToIpv4());
        Assert.True(decoded.ValidIPChecksum);
        var ip = Ipv4Packet.CreateUnchecked(frame.AsSpan(EthernetFrame.HeaderLength));
        Assert.Equal(ip.HeaderLength, decoded.HeaderLength * 4);
        if (repr.FragmentOffset == 0) return true;
        Assert.Equal(ip.Payload.ToArray(), decoded.PayloadData);
        return false;
    }
}
