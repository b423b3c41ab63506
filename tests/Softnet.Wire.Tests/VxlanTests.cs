namespace Softnet.Wire.Tests;

public sealed class VxlanTests
{
    [Fact]
    public void Reads_real_encapsulated_frame()
    {
        Assert.True(EthernetFrame.TryCreate(Fixtures.Vxlan, out var outer));
        Assert.True(Ipv4Packet.TryCreate(outer.Payload, out var ip));
        Assert.True(ip.VerifyChecksum());
        Assert.True(UdpPacket.TryCreate(ip.Payload, out var udp));
        Assert.Equal(VxlanHeader.UdpPort, udp.DestinationPort);
        Assert.True(VxlanHeader.TryCreate(udp.Payload, out var vxlan));
        Assert.Equal(0x08, vxlan.Flags);
        Assert.True(vxlan.HasValidVni);
        Assert.Equal(0u, vxlan.Vni);
        Assert.True(VxlanRepr.TryParse(vxlan, out var repr));
        Assert.Equal(new VxlanRepr(0), repr);

        Assert.True(EthernetFrame.TryCreate(vxlan.Payload, out var inner));
        Assert.Equal(MacAddress.Parse("00:30:88:01:00:02"), inner.Destination);
        Assert.Equal(MacAddress.Parse("00:16:3e:37:f6:04"), inner.Source);
        Assert.Equal(EtherType.Ipv4, inner.EtherType);
        Assert.True(Ipv4Packet.TryCreate(inner.Payload, out var innerIp));
        Assert.Equal(Ipv4Address.Parse("192.168.203.3"), innerIp.Source);
        Assert.True(innerIp.VerifyChecksum());
    }

    [Fact]
    public void Round_trips_real_header()
    {
        var bytes = Fixtures.Vxlan;
        Assert.True(VxlanHeader.TryCreate(bytes.AsSpan(42), out var vxlan));
        Assert.True(VxlanRepr.TryParse(vxlan, out var repr));
        var emitted = new byte[repr.HeaderLength];
        repr.Emit(VxlanHeader.CreateUnchecked(emitted));
        Assert.Equal(Hex.Of(bytes.AsSpan(42, VxlanHeader.Size)), Hex.Of(emitted));
    }

    [Fact]
    public void Writes_vni_between_reserved_bytes()
    {
        var bytes = Enumerable.Repeat((byte)0xFF, 8).ToArray();
        new VxlanRepr(0x123456).Emit(VxlanHeader.CreateUnchecked(bytes));
        Assert.Equal("0800000012345600", Hex.Of(bytes));
        Assert.Throws<ArgumentOutOfRangeException>(() => VxlanHeader.CreateUnchecked(new byte[8]).Vni = VxlanHeader.MaxVni + 1);
    }

    [Fact]
    public void Refuses_header_without_i_flag()
    {
        var bytes = Hex.Bytes("00000000 00000100");
        Assert.True(VxlanHeader.TryCreate(bytes, out var vxlan));
        Assert.False(vxlan.HasValidVni);
        Assert.Equal(1u, vxlan.Vni);
        Assert.False(VxlanRepr.TryParse(vxlan, out _));
        Assert.False(VxlanHeader.TryCreate(new byte[7], out _));
    }
}
