using Pd = PacketDotNet;

namespace Softnet.Wire.Tests;

/// <summary>Property tests of ARP, 802.1Q tags and VXLAN against PacketDotNet.</summary>
public sealed class PacketDotNetLinkTests
{
    private const int Count = 2000;

    [Fact]
    public void Our_arp_decodes_in_packetdotnet()
    {
        var random = new Random(826);
        for (var i = 0; i < Count; i++)
        {
            var arp = new ArpRepr(i % 2 == 0 ? ArpOperation.Request : ArpOperation.Reply, random.Mac(), random.Ipv4(), random.Mac(), random.Ipv4());
            var frame = new byte[EthernetFrame.HeaderLength + arp.BufferLength];
            var eth = new EthernetRepr(random.Mac(), arp.SenderHardwareAddress, EtherType.Arp);
            eth.Emit(EthernetFrame.CreateUnchecked(frame));
            arp.Emit(ArpPacket.CreateUnchecked(frame.AsSpan(EthernetFrame.HeaderLength)));

            var decoded = (Pd.EthernetPacket)Pd.Packet.ParsePacket(Pd.LinkLayers.Ethernet, frame);
            Assert.Equal(eth.Destination, decoded.DestinationHardwareAddress.ToMac());
            Assert.Equal(Pd.EthernetType.Arp, decoded.Type);
            var pdArp = decoded.Extract<Pd.ArpPacket>();
            Assert.Equal(Pd.LinkLayers.Ethernet, pdArp.HardwareAddressType);
            Assert.Equal(Pd.EthernetType.IPv4, pdArp.ProtocolAddressType);
            Assert.Equal(6, pdArp.HardwareAddressLength);
            Assert.Equal(4, pdArp.ProtocolAddressLength);
            Assert.Equal(arp.Operation, (ushort)pdArp.Operation);
            Assert.Equal(arp.SenderHardwareAddress, pdArp.SenderHardwareAddress.ToMac());
            Assert.Equal(arp.SenderProtocolAddress, pdArp.SenderProtocolAddress.ToIpv4());
            Assert.Equal(arp.TargetHardwareAddress, pdArp.TargetHardwareAddress.ToMac());
            Assert.Equal(arp.TargetProtocolAddress, pdArp.TargetProtocolAddress.ToIpv4());
        }
    }

    [Fact]
    public void Packetdotnet_arp_parses_here()
    {
        var random = new Random(903);
        for (var i = 0; i < Count; i++)
        {
            var expected = new ArpRepr(i % 2 == 0 ? ArpOperation.Request : ArpOperation.Reply, random.Mac(), random.Ipv4(), random.Mac(), random.Ipv4());
            var pdArp = new Pd.ArpPacket((Pd.ArpOperation)expected.Operation,
                expected.TargetHardwareAddress.ToPhysicalAddress(), expected.TargetProtocolAddress.ToIPAddress(),
                expected.SenderHardwareAddress.ToPhysicalAddress(), expected.SenderProtocolAddress.ToIPAddress());
            var pdEth = new Pd.EthernetPacket(expected.SenderHardwareAddress.ToPhysicalAddress(), MacAddress.Broadcast.ToPhysicalAddress(), Pd.EthernetType.Arp)
            {
                PayloadPacket = pdArp,
            };

            Assert.True(EthernetFrame.TryCreate(pdEth.Bytes, out var frame));
            Assert.Equal(EtherType.Arp, frame.EtherType);
            Assert.Equal(MacAddress.Broadcast, frame.Destination);
            Assert.True(ArpPacket.TryCreate(frame.Payload, out var arp));
            Assert.True(ArpRepr.TryParse(arp, out var repr));
            Assert.Equal(expected, repr);
        }
    }

    [Fact]
    public void Our_vlan_tags_decode_in_packetdotnet()
    {
        var random = new Random(8021);
        for (var i = 0; i < Count; i++)
        {
            var tag = new VlanRepr((ushort)random.Next(0, 4095), EtherType.Ipv4, (byte)random.Next(0, 8), random.Next(2) == 0);
            var ip = new Ipv4Repr(random.Ipv4(), random.Ipv4(), IpProtocol.Udp, 8);
            var frame = new byte[EthernetFrame.HeaderLength + VlanHeader.Size + ip.BufferLength];
            new EthernetRepr(random.Mac(), random.Mac(), EtherType.Vlan).Emit(EthernetFrame.CreateUnchecked(frame));
            tag.Emit(VlanHeader.CreateUnchecked(frame.AsSpan(EthernetFrame.HeaderLength)));
            var ipView = Ipv4Packet.CreateUnchecked(frame.AsSpan(EthernetFrame.HeaderLength + VlanHeader.Size));
            ip.Emit(ipView);
            new UdpRepr(random.Port(), random.Port(), 0).Emit(UdpPacket.CreateUnchecked(ipView.Payload), ip.Source, ip.Destination);

            var decoded = Pd.Packet.ParsePacket(Pd.LinkLayers.Ethernet, frame);
            var pdTag = decoded.Extract<Pd.Ieee8021QPacket>();
            Assert.Equal(tag.Priority, (byte)pdTag.PriorityControlPoint);
            Assert.Equal(tag.DropEligible, pdTag.CanonicalFormatIndicator);
            Assert.Equal(tag.VlanId, pdTag.VlanIdentifier);
            Assert.Equal(Pd.EthernetType.IPv4, pdTag.Type);
            var pdIp = decoded.Extract<Pd.IPv4Packet>();
            Assert.Equal(ip.Source, pdIp.SourceAddress.ToIpv4());
            Assert.True(pdIp.ValidIPChecksum);
            Assert.True(decoded.Extract<Pd.UdpPacket>().ValidUdpChecksum);
        }
    }

    [Fact]
    public void Packetdotnet_vlan_tags_parse_here()
    {
        var random = new Random(1210);
        for (var i = 0; i < Count; i++)
        {
            var payload = random.Bytes(random.Next(0, 100));
            var pdTag = new Pd.Ieee8021QPacket(new Pd.Utils.ByteArraySegment(new byte[VlanHeader.Size + payload.Length]))
            {
                PriorityControlPoint = (Pd.IeeeP8021PPriority)random.Next(0, 8),
                CanonicalFormatIndicator = random.Next(2) == 0,
                VlanIdentifier = (ushort)random.Next(0, 4095),
                Type = (Pd.EthernetType)random.Next(0x0600, 0x10000),
            };
            payload.CopyTo(pdTag.Bytes, VlanHeader.Size);
            var pdEth = new Pd.EthernetPacket(random.Mac().ToPhysicalAddress(), random.Mac().ToPhysicalAddress(), Pd.EthernetType.VLanTaggedFrame)
            {
                PayloadData = pdTag.Bytes,
            };

            Assert.True(EthernetFrame.TryCreate(pdEth.Bytes, out var frame));
            Assert.Equal(EtherType.Vlan, frame.EtherType);
            Assert.True(VlanHeader.TryCreate(frame.Payload, out var tag));
            Assert.True(VlanRepr.TryParse(tag, out var repr));
            Assert.Equal(new VlanRepr(pdTag.VlanIdentifier, (ushort)pdTag.Type, (byte)pdTag.PriorityControlPoint, pdTag.CanonicalFormatIndicator), repr);
            Assert.Equal(payload, tag.Payload.ToArray());
        }
    }

    [Fact]
    public void Our_vxlan_decodes_in_packetdotnet()
    {
        var random = new Random(7348);
        for (var i = 0; i < Count; i++)
        {
            var innerFrame = random.Bytes(random.Next(EthernetFrame.HeaderLength, 200));
            // EtherTypes PacketDotNet leaves undecoded, so it exposes the inner payload as bytes.
            ushort[] innerTypes = [EtherType.Mpls, EtherType.MplsMulticast, 0x88B5, 0x9000];
            var inner = new EthernetRepr(random.Mac(), random.Mac(), innerTypes[random.Next(innerTypes.Length)]);
            inner.Emit(EthernetFrame.CreateUnchecked(innerFrame));
            var vxlan = new VxlanRepr((uint)random.Next(0, 1 << 24));
            var udp = new UdpRepr(random.Port(), VxlanHeader.UdpPort, VxlanHeader.Size + innerFrame.Length);
            var ip = new Ipv4Repr(random.Ipv4(), random.Ipv4(), IpProtocol.Udp, udp.BufferLength) { DontFragment = true };
            var frame = new byte[EthernetFrame.HeaderLength + ip.BufferLength];
            new EthernetRepr(random.Mac(), random.Mac(), EtherType.Ipv4).Emit(EthernetFrame.CreateUnchecked(frame));
            var ipView = Ipv4Packet.CreateUnchecked(frame.AsSpan(EthernetFrame.HeaderLength));
            ip.Emit(ipView);
            var udpView = UdpPacket.CreateUnchecked(ipView.Payload);
            var vxlanView = VxlanHeader.CreateUnchecked(ipView.Payload[UdpPacket.HeaderLength..]);
            vxlan.Emit(vxlanView);
            innerFrame.CopyTo(vxlanView.Payload);
            udp.Emit(udpView, ip.Source, ip.Destination);

            var decoded = Pd.Packet.ParsePacket(Pd.LinkLayers.Ethernet, frame);
            Assert.True(decoded.Extract<Pd.UdpPacket>().ValidUdpChecksum);
            var pdVxlan = decoded.Extract<Pd.VxlanPacket>();
            Assert.Equal(0x08, pdVxlan.Flags);
            Assert.Equal(vxlan.Vni, pdVxlan.Vni);
            var pdInner = (Pd.EthernetPacket)pdVxlan.PayloadPacket;
            Assert.Equal(inner.Destination, pdInner.DestinationHardwareAddress.ToMac());
            Assert.Equal(inner.Source, pdInner.SourceHardwareAddress.ToMac());
            Assert.Equal(inner.EtherType, (ushort)pdInner.Type);
            Assert.Equal(innerFrame[EthernetFrame.HeaderLength..], pdInner.PayloadData ?? []);
        }
    }
}
