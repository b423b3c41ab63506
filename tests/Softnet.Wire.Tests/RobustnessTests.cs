namespace Softnet.Wire.Tests;

/// <summary>
/// Every checked constructor and parser is fed random bytes and every slice of the real fixtures. Nothing may throw,
/// an accepted view must be self-consistent, and an accepted Repr must survive emit and re-parse unchanged.
/// </summary>
public sealed class RobustnessTests
{
    [Fact]
    public void Random_bytes_never_throw()
    {
        var random = new Random(4242);
        for (var i = 0; i < 20000; i++)
        {
            var bytes = new byte[random.Next(0, 160)];
            random.NextBytes(bytes);
            // Bias some inputs towards plausible headers so the deeper paths run too.
            if (bytes.Length > 0 && i % 4 == 0) bytes[0] = (byte)(0x40 | random.Next(5, 16));
            if (bytes.Length > 12 && i % 4 == 1) bytes[12] = (byte)(random.Next(5, 16) << 4);
            if (bytes.Length > 6 && i % 4 == 2) { bytes[0] = 0x60; bytes[6] = (byte)new[] { 0, 43, 44, 51, 60, 58 }[random.Next(6)]; }
            if (bytes.Length > 5 && i % 4 == 3) { bytes[4] = 0; bytes[5] = (byte)random.Next(0, bytes.Length + 4); }
            ExerciseAll(bytes);
        }
    }

    [Fact]
    public void Every_slice_of_real_frames_never_throws()
    {
        foreach (var (_, frame) in Fixtures.EthernetFrames.Append(("raw", Fixtures.Icmpv6EchoRequestRaw)))
        {
            for (var start = 0; start <= frame.Length; start++)
            {
                for (var end = start; end <= frame.Length; end++)
                {
                    ExerciseAll(frame.AsSpan(start, end - start).ToArray());
                }
            }
        }
    }

    private static void ExerciseAll(byte[] bytes)
    {
        Ethernet(bytes);
        Vlan(bytes);
        Arp(bytes);
        Ipv4(bytes);
        Ipv6(bytes);
        Icmpv4(bytes);
        Icmpv6(bytes);
        Ndp(bytes);
        Udp(bytes);
        Tcp(bytes);
        Mpls(bytes);
        Vxlan(bytes);
    }

    private static void Ethernet(byte[] bytes)
    {
        if (!EthernetFrame.TryCreate(bytes, out var frame)) return;
        Assert.Equal(bytes.Length - 14, frame.Payload.Length);
        Assert.True(EthernetRepr.TryParse(frame, out var repr));
        var copy = new byte[14];
        repr.Emit(EthernetFrame.CreateUnchecked(copy));
        Assert.True(copy.AsSpan().SequenceEqual(bytes.AsSpan(0, 14)));
    }

    private static void Vlan(byte[] bytes)
    {
        if (!VlanHeader.TryCreate(bytes, out var tag)) return;
        _ = (tag.Priority, tag.DropEligible, tag.EtherType, tag.Payload.Length);
        if (!VlanRepr.TryParse(tag, out var repr)) return;
        var copy = new byte[4];
        repr.Emit(VlanHeader.CreateUnchecked(copy));
        Assert.True(copy.AsSpan().SequenceEqual(bytes.AsSpan(0, 4)));
    }

    private static void Arp(byte[] bytes)
    {
        if (!ArpPacket.TryCreate(bytes, out var arp)) return;
        _ = (arp.HardwareType, arp.ProtocolType, arp.HardwareLength, arp.ProtocolLength, arp.Operation,
            arp.SenderHardwareAddress, arp.SenderProtocolAddress, arp.TargetHardwareAddress, arp.TargetProtocolAddress);
        if (!ArpRepr.TryParse(arp, out var repr)) return;
        var copy = new byte[repr.BufferLength];
        repr.Emit(ArpPacket.CreateUnchecked(copy));
        Assert.True(copy.AsSpan().SequenceEqual(bytes.AsSpan(0, 28)));
    }

    private static void Ipv4(byte[] bytes)
    {
        if (bytes.Length >= 20) Touch(Ipv4Packet.CreateUnchecked(bytes));
        if (!Ipv4Packet.TryCreate(bytes, out var ip)) return;
        Touch(ip);
        Assert.InRange(ip.HeaderLength, 20, 60);
        Assert.Equal(ip.HeaderLength - 20, ip.Options.Length);
        Assert.Equal(ip.TotalLength - ip.HeaderLength, ip.Payload.Length);
        if (!Ipv4Repr.TryParse(ip, out var repr)) return;
        var copy = new byte[repr.BufferLength];
        repr.Emit(Ipv4Packet.CreateUnchecked(copy));
        Assert.True(Ipv4Packet.TryCreate(copy, out var again));
        Assert.True(Ipv4Repr.TryParse(again, out var reparsed));
        Assert.Equal(repr, reparsed);
    }

    private static void Touch(Ipv4Packet ip)
    {
        _ = (ip.Version, ip.Dscp, ip.Ecn, ip.Identification, ip.DontFragment, ip.MoreFragments, ip.FragmentOffset, ip.IsFragment,
            ip.TimeToLive, ip.Protocol, ip.HeaderChecksum, ip.Source, ip.Destination, ip.Header.Length, ip.Options.Length, ip.Payload.Length,
            ip.VerifyChecksum());
    }

    private static void Ipv6(byte[] bytes)
    {
        if (bytes.Length >= 40) Touch(Ipv6Packet.CreateUnchecked(bytes));
        if (!Ipv6Packet.TryCreate(bytes, out var ip)) return;
        Touch(ip);
        Assert.Equal(ip.PayloadLength, ip.Payload.Length);
        if (ip.TryFindUpperLayer(out _, out var offset)) Assert.InRange(offset, 40, 40 + ip.PayloadLength);
        if (!Ipv6Repr.TryParse(ip, out var repr)) return;
        var copy = new byte[repr.BufferLength];
        repr.Emit(Ipv6Packet.CreateUnchecked(copy));
        Assert.True(copy.AsSpan(0, 40).SequenceEqual(bytes.AsSpan(0, 40)));
    }

    private static void Touch(Ipv6Packet ip)
    {
        _ = (ip.Version, ip.TrafficClass, ip.FlowLabel, ip.NextHeader, ip.HopLimit, ip.Source, ip.Destination, ip.Payload.Length,
            ip.TryFindUpperLayer(out _, out _));
    }

    private static void Icmpv4(byte[] bytes)
    {
        if (!Icmpv4Packet.TryCreate(bytes, out var icmp)) return;
        _ = (icmp.Type, icmp.Code, icmp.Checksum, icmp.RestOfHeader, icmp.Identifier, icmp.SequenceNumber, icmp.NextHopMtu, icmp.Data.Length);
        if (!Icmpv4Repr.TryParse(icmp, out var repr)) return;
        var copy = new byte[repr.BufferLength];
        icmp.Data.CopyTo(copy.AsSpan(8));
        repr.Emit(Icmpv4Packet.CreateUnchecked(copy));
        Assert.True(copy.AsSpan().SequenceEqual(bytes));
    }

    private static void Icmpv6(byte[] bytes)
    {
        if (!Icmpv6Packet.TryCreate(bytes, out var icmp)) return;
        _ = (icmp.Type, icmp.Code, icmp.Checksum, icmp.RestOfHeader, icmp.Identifier, icmp.SequenceNumber, icmp.Mtu, icmp.Data.Length,
            icmp.VerifyChecksum(Ipv6Address.Loopback, Ipv6Address.AllNodes));
        Assert.True(Icmpv6Repr.TryParse(icmp, out var repr));
        Assert.Equal(bytes.Length, repr.BufferLength);
    }

    private static void Ndp(byte[] bytes)
    {
        if (!NdpNeighborMessage.TryCreate(bytes, out var message)) return;
        _ = (message.Router, message.Solicited, message.Override, message.TargetAddress, message.Options.Length,
            message.HasWellFormedOptions(), message.TryGetLinkLayerOption(NdpOptionType.SourceLinkLayerAddress, out _),
            message.TryGetLinkLayerOption(NdpOptionType.TargetLinkLayerAddress, out _));
        if (!NdpRepr.TryParse(message, out var repr)) return;
        var copy = new byte[repr.BufferLength];
        repr.Emit(NdpNeighborMessage.CreateUnchecked(copy));
        Assert.True(NdpNeighborMessage.TryCreate(copy, out var again));
        Assert.True(NdpRepr.TryParse(again, out var reparsed));
        Assert.Equal(repr, reparsed);
    }

    private static void Udp(byte[] bytes)
    {
        if (bytes.Length >= 8)
        {
            var raw = UdpPacket.CreateUnchecked(bytes);
            _ = (raw.Datagram.Length, raw.Payload.Length);
        }
        if (!UdpPacket.TryCreate(bytes, out var udp)) return;
        _ = (udp.SourcePort, udp.DestinationPort, udp.Checksum, udp.VerifyChecksum(Ipv4Address.Any, Ipv4Address.Broadcast),
            udp.VerifyChecksum(Ipv6Address.Loopback, Ipv6Address.Loopback));
        Assert.Equal(udp.Length - 8, udp.Payload.Length);
        Assert.True(UdpRepr.TryParse(udp, out var repr));
        var copy = new byte[repr.BufferLength];
        repr.Emit(UdpPacket.CreateUnchecked(copy));
        Assert.True(copy.AsSpan(0, 6).SequenceEqual(bytes.AsSpan(0, 6)));
    }

    private static void Tcp(byte[] bytes)
    {
        if (bytes.Length >= 20)
        {
            var raw = TcpPacket.CreateUnchecked(bytes);
            _ = (raw.Options.Length, raw.Payload.Length, raw.TryGetOption(TcpOptionKind.Timestamps, out _));
        }
        if (!TcpPacket.TryCreate(bytes, out var tcp)) return;
        _ = (tcp.SourcePort, tcp.DestinationPort, tcp.SequenceNumber, tcp.AcknowledgmentNumber, tcp.Flags, tcp.WindowSize,
            tcp.Checksum, tcp.UrgentPointer, tcp.VerifyChecksum(Ipv4Address.Any, Ipv4Address.Any),
            tcp.TryGetOption(TcpOptionKind.MaxSegmentSize, out _), tcp.TryGetOption(TcpOptionKind.Sack, out _));
        Assert.Equal(bytes.Length, 20 + tcp.Options.Length + tcp.Payload.Length);
        if (!TcpRepr.TryParse(tcp, out var repr)) return;
        var copy = new byte[repr.BufferLength];
        repr.Emit(TcpPacket.CreateUnchecked(copy));
        Assert.True(TcpPacket.TryCreate(copy, out var again));
        Assert.True(TcpRepr.TryParse(again, out var reparsed));
        Assert.Equal(repr, reparsed);
    }

    private static void Mpls(byte[] bytes)
    {
        if (MplsStack.TryGetDepth(bytes, out var depth)) Assert.InRange(depth * 4, 4, bytes.Length);
        if (!MplsHeader.TryCreate(bytes, out var header)) return;
        Assert.True(MplsRepr.TryParse(header, out var repr));
        var copy = new byte[4];
        repr.Emit(MplsHeader.CreateUnchecked(copy));
        Assert.True(copy.AsSpan().SequenceEqual(bytes.AsSpan(0, 4)));
    }

    private static void Vxlan(byte[] bytes)
    {
        if (!VxlanHeader.TryCreate(bytes, out var vxlan)) return;
        _ = (vxlan.Flags, vxlan.Payload.Length);
        if (!VxlanRepr.TryParse(vxlan, out var repr)) return;
        var copy = new byte[8];
        repr.Emit(VxlanHeader.CreateUnchecked(copy));
        Assert.Equal(vxlan.Vni, VxlanHeader.CreateUnchecked(copy).Vni);
    }
}
