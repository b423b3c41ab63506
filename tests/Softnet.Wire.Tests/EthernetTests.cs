namespace Softnet.Wire.Tests;

public sealed class EthernetTests
{
    [Fact]
    public void Reads_real_arp_request_frame()
    {
        var bytes = Fixtures.ArpRequest;
        Assert.True(EthernetFrame.TryCreate(bytes, out var frame));
        Assert.Equal(MacAddress.Broadcast, frame.Destination);
        Assert.Equal(MacAddress.Parse("00:04:61:99:01:54"), frame.Source);
        Assert.Equal(EtherType.Arp, frame.EtherType);
        Assert.Equal(46, frame.Payload.Length);
    }

    [Fact]
    public void Round_trips_every_fixture_header()
    {
        foreach (var (name, bytes) in Fixtures.EthernetFrames)
        {
            Assert.True(EthernetFrame.TryCreate(bytes, out var frame), name);
            Assert.True(EthernetRepr.TryParse(frame, out var repr), name);
            var emitted = new byte[repr.HeaderLength];
            repr.Emit(EthernetFrame.CreateUnchecked(emitted));
            Assert.Equal(Hex.Of(bytes.AsSpan(0, EthernetFrame.HeaderLength)), Hex.Of(emitted));
        }
    }

    [Fact]
    public void Setters_write_big_endian_fields()
    {
        var bytes = new byte[EthernetFrame.HeaderLength + 2];
        var frame = EthernetFrame.CreateUnchecked(bytes);
        frame.Destination = MacAddress.Parse("01:02:03:04:05:06");
        frame.Source = MacAddress.Parse("0a:0b:0c:0d:0e:0f");
        frame.EtherType = EtherType.Ipv6;
        frame.Payload.Fill(0xEE);
        Assert.Equal("0102030405060a0b0c0d0e0f86ddeeee", Hex.Of(bytes));
    }

    [Fact]
    public void Refuses_short_buffers()
    {
        Assert.False(EthernetFrame.TryCreate(new byte[13], out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => EthernetFrame.CreateUnchecked(new byte[13]));
    }
}
