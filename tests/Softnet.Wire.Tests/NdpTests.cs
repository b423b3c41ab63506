namespace Softnet.Wire.Tests;

public sealed class NdpTests
{
    [Fact]
    public void Reads_real_solicitation_with_source_link_layer_option()
    {
        var message = Ndp(Fixtures.NeighborSolicitation, out var ip);
        Assert.Equal(Icmpv6Type.NeighborSolicitation, message.Icmp.Type);
        Assert.Equal(0x1EBA, message.Icmp.Checksum);
        Assert.True(message.Icmp.VerifyChecksum(ip.Source, ip.Destination));
        Assert.Equal(Ipv6Address.Parse("2620:0:1005:0:26be:5ff:fe27:b17"), message.TargetAddress);
        Assert.True(message.TryGetLinkLayerOption(NdpOptionType.SourceLinkLayerAddress, out var mac));
        Assert.Equal(MacAddress.Parse("00:1f:ca:b3:75:c0"), mac);
        Assert.False(message.TryGetLinkLayerOption(NdpOptionType.TargetLinkLayerAddress, out _));
        Assert.True(NdpRepr.TryParse(message, ip.Source, ip.Destination, out var repr));
        Assert.Equal(NdpRepr.Solicitation(message.TargetAddress, mac), repr);
    }

    [Fact]
    public void Reads_real_duplicate_address_detection()
    {
        Assert.True(EthernetFrame.TryCreate(Fixtures.NeighborSolicitationDad, out var frame));
        var message = Ndp(Fixtures.NeighborSolicitationDad, out var ip);
        var target = Ipv6Address.Parse("fe80::c000:54ff:fef5:0");
        Assert.True(ip.Source.IsUnspecified);
        Assert.Equal(target.SolicitedNodeMulticast, ip.Destination);
        Assert.Equal(MacAddress.FromIpv6Multicast(ip.Destination), frame.Destination);
        Assert.True(NdpRepr.TryParse(message, ip.Source, ip.Destination, out var repr));
        Assert.Equal(NdpRepr.Solicitation(target, null), repr);
    }

    [Fact]
    public void Reads_real_advertisements()
    {
        var message = Ndp(Fixtures.NeighborAdvertisement, out var ip);
        Assert.True(message.Router);
        Assert.False(message.Solicited);
        Assert.True(message.Override);
        Assert.True(message.TryGetLinkLayerOption(NdpOptionType.TargetLinkLayerAddress, out var mac));
        Assert.Equal(MacAddress.Parse("c2:00:54:f5:00:00"), mac);
        Assert.Equal(Ipv6Address.LinkLocalFromMac(mac), message.TargetAddress);
        Assert.True(NdpRepr.TryParse(message, ip.Source, ip.Destination, out var repr));
        Assert.Equal(NdpRepr.Advertisement(message.TargetAddress, mac, router: true, solicited: false, @override: true), repr);

        message = Ndp(Fixtures.NeighborAdvertisementSolicited, out ip);
        Assert.False(message.Router);
        Assert.True(message.Solicited);
        Assert.False(message.Override);
        Assert.True(NdpRepr.TryParse(message, ip.Source, ip.Destination, out repr));
        Assert.Equal(NdpRepr.Advertisement(Ipv6Address.Parse("2620:0:1005:0:26be:5ff:fe27:b17"), null, false, true, false), repr);
    }

    [Fact]
    public void Round_trips_real_messages()
    {
        foreach (var bytes in new[] { Fixtures.NeighborSolicitation, Fixtures.NeighborSolicitationDad, Fixtures.NeighborAdvertisement, Fixtures.NeighborAdvertisementSolicited })
        {
            var message = Ndp(bytes, out var ip);
            Assert.True(NdpRepr.TryParse(message, ip.Source, ip.Destination, out var repr));
            var emitted = new byte[repr.BufferLength];
            repr.Emit(NdpNeighborMessage.CreateUnchecked(emitted), ip.Source, ip.Destination);
            Assert.Equal(Hex.Of(message.Buffer), Hex.Of(emitted));
        }
    }

    [Fact]
    public void Finds_link_layer_option_after_other_options()
    {
        var bytes = new byte[24 + 16 + 8];
        var message = NdpNeighborMessage.CreateUnchecked(bytes);
        NdpRepr.Advertisement(Ipv6Address.Parse("2001:db8::1"), null, false, false, false).Emit(message);
        Hex.Bytes("0501 0000 0000 05dc 0e01 0102 0304 0506 0201 0200 0000 0001").CopyTo(message.Options);
        Assert.True(message.HasWellFormedOptions());
        Assert.True(message.TryGetLinkLayerOption(NdpOptionType.TargetLinkLayerAddress, out var mac));
        Assert.Equal(MacAddress.Parse("02:00:00:00:00:01"), mac);
    }

    [Theory]
    [InlineData("0100 0000 0000 0000")] // zero-length option
    [InlineData("0102 0000 0000 0000")] // option claims 16 bytes, 8 remain
    [InlineData("0101 0000 0000 0000 01")] // trailing byte
    public void Refuses_malformed_options(string options)
    {
        var optionBytes = Hex.Bytes(options);
        var bytes = new byte[24 + optionBytes.Length];
        var message = NdpNeighborMessage.CreateUnchecked(bytes);
        NdpRepr.Solicitation(Ipv6Address.Parse("2001:db8::1"), null).Emit(message);
        optionBytes.CopyTo(message.Options);
        Assert.False(message.HasWellFormedOptions());
        Assert.False(NdpRepr.TryParse(message, out _));
    }

    [Fact]
    public void Refuses_rule_breaking_messages()
    {
        var source = Ipv6Address.Parse("fe80::1");
        var mac = MacAddress.Parse("02:00:00:00:00:01");

        // Multicast target.
        Assert.False(Parse(NdpRepr.Solicitation(Ipv6Address.AllNodes, mac), source, Ipv6Address.AllNodes));
        // DAD solicitation carrying a source link-layer option.
        var target = Ipv6Address.Parse("fe80::2");
        Assert.False(Parse(NdpRepr.Solicitation(target, mac), Ipv6Address.Unspecified, target.SolicitedNodeMulticast));
        Assert.True(Parse(NdpRepr.Solicitation(target, null), Ipv6Address.Unspecified, target.SolicitedNodeMulticast));
        // Solicited advertisement to a multicast group.
        Assert.False(Parse(NdpRepr.Advertisement(source, mac, false, true, true), source, Ipv6Address.AllNodes));
        Assert.True(Parse(NdpRepr.Advertisement(source, mac, false, false, true), source, Ipv6Address.AllNodes));

        // Non-zero code, wrong type, bad checksum.
        var bytes = new byte[32];
        var message = NdpNeighborMessage.CreateUnchecked(bytes);
        NdpRepr.Solicitation(target, mac).Emit(message, source, target);
        Assert.True(NdpRepr.TryParse(message, source, target, out _));
        Assert.False(NdpRepr.TryParse(message, source, target.SolicitedNodeMulticast, out _));
        var icmp = message.Icmp;
        icmp.Code = 1;
        Assert.False(NdpRepr.TryParse(message, out _));
        icmp.Code = 0;
        icmp.Type = Icmpv6Type.EchoRequest;
        Assert.False(NdpRepr.TryParse(message, out _));
        Assert.False(NdpNeighborMessage.TryCreate(new byte[23], out _));
    }

    private static bool Parse(NdpRepr repr, Ipv6Address source, Ipv6Address destination)
    {
        var bytes = new byte[repr.BufferLength];
        var message = NdpNeighborMessage.CreateUnchecked(bytes);
        repr.Emit(message, source, destination);
        return NdpRepr.TryParse(message, source, destination, out var parsed) && parsed == repr;
    }

    private static NdpNeighborMessage Ndp(byte[] frame, out Ipv6Packet ip)
    {
        Assert.True(Ipv6Packet.TryCreate(frame.AsSpan(EthernetFrame.HeaderLength), out ip));
        Assert.Equal(IpProtocol.Icmpv6, ip.NextHeader);
        Assert.Equal(255, ip.HopLimit);
        Assert.True(NdpNeighborMessage.TryCreate(ip.Payload, out var message));
        return message;
    }
}
