namespace Softnet.Wire.Tests;

public sealed class VlanTests
{
    [Fact]
    public void Reads_real_8021q_frame()
    {
        var bytes = Fixtures.VlanTcpHead;
        Assert.True(EthernetFrame.TryCreate(bytes, out var frame));
        Assert.Equal(EtherType.Vlan, frame.EtherType);
        Assert.True(VlanHeader.TryCreate(frame.Payload, out var tag));
        Assert.Equal(0x0066, tag.Tci);
        Assert.Equal(0, tag.Priority);
        Assert.False(tag.DropEligible);
        Assert.Equal(102, tag.VlanId);
        Assert.Equal(EtherType.Ipv4, tag.EtherType);
        // The IPv4 header behind the tag is intact.
        Assert.Equal(0, Checksum.Compute(tag.Payload[..20]));
        Assert.Equal(Ipv4Address.Parse("192.168.3.24"), Ipv4Address.Read(tag.Payload[12..]));
    }

    [Fact]
    public void Reads_real_qinq_frame()
    {
        var bytes = Fixtures.QinQHead;
        Assert.True(EthernetFrame.TryCreate(bytes, out var frame));
        Assert.Equal(EtherType.QinQ, frame.EtherType);
        Assert.True(VlanHeader.TryCreate(frame.Payload, out var outer));
        Assert.Equal(30, outer.VlanId);
        Assert.Equal(EtherType.Vlan, outer.EtherType);
        Assert.True(VlanHeader.TryCreate(outer.Payload, out var inner));
        Assert.Equal(100, inner.VlanId);
        Assert.Equal(EtherType.Ipv4, inner.EtherType);
        Assert.Equal(0, Checksum.Compute(inner.Payload[..20]));
    }

    [Fact]
    public void Round_trips_real_tags()
    {
        foreach (var (bytes, offset) in new[] { (Fixtures.VlanTcpHead, 14), (Fixtures.QinQHead, 14), (Fixtures.QinQHead, 18) })
        {
            Assert.True(VlanHeader.TryCreate(bytes.AsSpan(offset), out var tag));
            Assert.True(VlanRepr.TryParse(tag, out var repr));
            var emitted = new byte[VlanHeader.Size];
            repr.Emit(VlanHeader.CreateUnchecked(emitted));
            Assert.Equal(Hex.Of(bytes.AsSpan(offset, VlanHeader.Size)), Hex.Of(emitted));
        }
    }

    [Fact]
    public void Writes_pcp_dei_and_vid_into_their_bits()
    {
        var bytes = new byte[VlanHeader.Size];
        new VlanRepr(VlanId: 0xABC, EtherType: EtherType.Ipv6, Priority: 5, DropEligible: true).Emit(VlanHeader.CreateUnchecked(bytes));
        Assert.Equal("babc86dd", Hex.Of(bytes));
        var tag = VlanHeader.CreateUnchecked(bytes);
        tag.DropEligible = false;
        tag.Priority = 7;
        Assert.Equal("eabc86dd", Hex.Of(bytes));
    }

    [Fact]
    public void Refuses_out_of_range_values_and_reserved_vid()
    {
        var tag = VlanHeader.CreateUnchecked(new byte[VlanHeader.Size]);
        Assert.Throws<ArgumentOutOfRangeException>(() => { var t = VlanHeader.CreateUnchecked(new byte[4]); t.VlanId = 4096; });
        Assert.Throws<ArgumentOutOfRangeException>(() => { var t = VlanHeader.CreateUnchecked(new byte[4]); t.Priority = 8; });
        tag.VlanId = VlanHeader.MaxVlanId;
        Assert.False(VlanRepr.TryParse(tag, out _));
        Assert.False(VlanHeader.TryCreate(new byte[3], out _));
    }
}
