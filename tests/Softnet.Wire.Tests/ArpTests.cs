namespace Softnet.Wire.Tests;

public sealed class ArpTests
{
    [Fact]
    public void Reads_real_request()
    {
        Assert.True(EthernetFrame.TryCreate(Fixtures.ArpRequest, out var frame));
        Assert.True(ArpPacket.TryCreate(frame.Payload, out var arp));
        Assert.Equal(ArpPacket.HardwareTypeEthernet, arp.HardwareType);
        Assert.Equal(EtherType.Ipv4, arp.ProtocolType);
        Assert.Equal(6, arp.HardwareLength);
        Assert.Equal(4, arp.ProtocolLength);
        Assert.Equal(ArpOperation.Request, arp.Operation);
        Assert.Equal(MacAddress.Parse("00:04:61:99:01:54"), arp.SenderHardwareAddress);
        Assert.Equal(Ipv4Address.Parse("192.168.1.202"), arp.SenderProtocolAddress);
        Assert.Equal(MacAddress.Zero, arp.TargetHardwareAddress);
        Assert.Equal(Ipv4Address.Parse("192.168.1.214"), arp.TargetProtocolAddress);
    }

    [Fact]
    public void Reads_real_reply()
    {
        Assert.True(EthernetFrame.TryCreate(Fixtures.ArpReply, out var frame));
        Assert.True(ArpPacket.TryCreate(frame.Payload, out var arp));
        Assert.True(ArpRepr.TryParse(arp, out var repr));
        Assert.Equal(new ArpRepr(ArpOperation.Reply,
            MacAddress.Parse("00:21:6a:02:08:54"), Ipv4Address.Parse("192.168.1.214"),
            MacAddress.Parse("00:04:61:99:01:54"), Ipv4Address.Parse("192.168.1.202")), repr);
    }

    [Fact]
    public void Round_trips_real_packets()
    {
        foreach (var bytes in new[] { Fixtures.ArpRequest, Fixtures.ArpReply })
        {
            Assert.True(ArpPacket.TryCreate(bytes.AsSpan(EthernetFrame.HeaderLength), out var arp));
            Assert.True(ArpRepr.TryParse(arp, out var repr));
            var emitted = new byte[repr.BufferLength];
            repr.Emit(ArpPacket.CreateUnchecked(emitted));
            Assert.Equal(Hex.Of(bytes.AsSpan(EthernetFrame.HeaderLength, ArpPacket.Size)), Hex.Of(emitted));
        }
    }

    [Theory]
    [InlineData(0, 0x00, 0x06)] // hardware type 6 (IEEE 802)
    [InlineData(2, 0x86, 0xDD)] // protocol IPv6
    [InlineData(4, 0x08, 0x04)] // hardware length 8
    [InlineData(6, 0x00, 0x03)] // RARP request
    public void Repr_refuses_non_ethernet_ipv4_packets(int offset, byte high, byte low)
    {
        var bytes = Fixtures.ArpReply.AsSpan(EthernetFrame.HeaderLength).ToArray();
        bytes[offset] = high;
        bytes[offset + 1] = low;
        Assert.True(ArpPacket.TryCreate(bytes, out var arp));
        Assert.False(ArpRepr.TryParse(arp, out _));
    }

    [Fact]
    public void Refuses_short_buffers() => Assert.False(ArpPacket.TryCreate(new byte[27], out _));
}
