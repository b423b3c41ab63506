namespace Softnet.Wire.Tests;

public sealed class MplsTests
{
    [Fact]
    public void Reads_real_two_label_stack()
    {
        Assert.True(EthernetFrame.TryCreate(Fixtures.MplsTwoLabels, out var frame));
        Assert.Equal(EtherType.Mpls, frame.EtherType);
        Assert.True(MplsStack.TryGetDepth(frame.Payload, out var depth));
        Assert.Equal(2, depth);

        Assert.True(MplsHeader.TryCreate(frame.Payload, out var top));
        Assert.Equal(new MplsLabel(17), top.Label);
        Assert.Equal(0, top.TrafficClass);
        Assert.False(top.BottomOfStack);
        Assert.Equal(254, top.TimeToLive);
        Assert.Equal(0x000110FEu, top.Entry);

        Assert.True(MplsHeader.TryCreate(top.Payload, out var bottom));
        Assert.Equal(new MplsLabel(19), bottom.Label);
        Assert.True(bottom.BottomOfStack);
        Assert.Equal(254, bottom.TimeToLive);

        Assert.True(Ipv4Packet.TryCreate(bottom.Payload, out var ip));
        Assert.True(ip.VerifyChecksum());
        Assert.True(bottom.Payload.Overlaps(frame.Payload[(depth * MplsHeader.Size)..]));
    }

    [Fact]
    public void Round_trips_real_entries()
    {
        var bytes = Fixtures.MplsTwoLabels;
        for (var offset = 14; offset < 22; offset += 4)
        {
            Assert.True(MplsHeader.TryCreate(bytes.AsSpan(offset), out var header));
            Assert.True(MplsRepr.TryParse(header, out var repr));
            var emitted = new byte[repr.HeaderLength];
            repr.Emit(MplsHeader.CreateUnchecked(emitted));
            Assert.Equal(Hex.Of(bytes.AsSpan(offset, 4)), Hex.Of(emitted));
        }
    }

    [Fact]
    public void Packs_fields_into_entry_bits()
    {
        var bytes = new byte[4];
        new MplsRepr(new MplsLabel(0xFEDCB), 5, true, 64).Emit(MplsHeader.CreateUnchecked(bytes));
        Assert.Equal("fedcbb40", Hex.Of(bytes));
        var header = MplsHeader.CreateUnchecked(bytes);
        header.Label = MplsLabel.ImplicitNull;
        header.TrafficClass = 0;
        header.BottomOfStack = false;
        header.TimeToLive = 1;
        Assert.Equal("00003001", Hex.Of(bytes));
        Assert.Throws<ArgumentOutOfRangeException>(() => MplsHeader.CreateUnchecked(new byte[4]).TrafficClass = 8);
    }

    [Fact]
    public void Stack_walk_is_bounded()
    {
        Assert.False(MplsStack.TryGetDepth(Hex.Bytes("000110fe 000130"), out _)); // ends inside the second entry
        Assert.False(MplsStack.TryGetDepth(new byte[4 * (MplsStack.MaxDepth + 1)], out _)); // no bottom of stack
        var deepest = new byte[4 * MplsStack.MaxDepth];
        deepest[^2] = 0x01;
        Assert.True(MplsStack.TryGetDepth(deepest, out var depth));
        Assert.Equal(MplsStack.MaxDepth, depth);
        var tooDeep = new byte[4 * (MplsStack.MaxDepth + 1)];
        tooDeep[^2] = 0x01;
        Assert.False(MplsStack.TryGetDepth(tooDeep, out _));
    }

    [Theory]
    [InlineData("0", 0u)]
    [InlineData("3", 3u)]
    [InlineData("16", 16u)]
    [InlineData("1048575", 1048575u)]
    public void Label_parses_and_formats(string text, uint value)
    {
        var label = MplsLabel.Parse(text, null);
        Assert.Equal(value, label.Value);
        Assert.Equal(text, label.ToString());
        Span<char> buffer = stackalloc char[7];
        Assert.True(label.TryFormat(buffer, out var written, default, null));
        Assert.Equal(text, buffer[..written].ToString());
        Assert.False(label.TryFormat(buffer[..(text.Length - 1)], out _, default, null));
    }

    [Theory]
    [InlineData("")]
    [InlineData("01")]
    [InlineData("1048576")]
    [InlineData("99999999")]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("0x10")]
    public void Label_rejects_bad_text(string text)
    {
        Assert.False(MplsLabel.TryParse(text, null, out _));
        Assert.Throws<FormatException>(() => MplsLabel.Parse(text, null));
    }

    [Fact]
    public void Reserved_labels_have_their_rfc_3032_values()
    {
        Assert.Equal(0u, MplsLabel.Ipv4ExplicitNull.Value);
        Assert.Equal(1u, MplsLabel.RouterAlert.Value);
        Assert.Equal(2u, MplsLabel.Ipv6ExplicitNull.Value);
        Assert.Equal(3u, MplsLabel.ImplicitNull.Value);
        Assert.True(new MplsLabel(15).IsReserved);
        Assert.False(new MplsLabel(16).IsReserved);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MplsLabel(MplsLabel.MaxValue + 1));
        Assert.True(new MplsLabel(16).CompareTo(new MplsLabel(17)) < 0);
    }

    [Fact]
    public void Random_entries_match_the_rfc_3032_bit_layout()
    {
        // No PacketDotNet decoder exists for MPLS, so the reference is the RFC 3032 layout written out bit by bit.
        var random = new Random(3032);
        for (var i = 0; i < 5000; i++)
        {
            var label = (uint)random.Next(0, 1 << 20);
            var trafficClass = (byte)random.Next(0, 8);
            var bottom = random.Next(2) == 0;
            var ttl = (byte)random.Next(0, 256);
            byte[] expected = [(byte)(label >> 12), (byte)(label >> 4), (byte)((label & 0xF) << 4 | (uint)trafficClass << 1 | (bottom ? 1u : 0u)), ttl];

            var bytes = new byte[4];
            var repr = new MplsRepr(new MplsLabel(label), trafficClass, bottom, ttl);
            repr.Emit(MplsHeader.CreateUnchecked(bytes));
            Assert.Equal(expected, bytes);
            Assert.True(MplsHeader.TryCreate(bytes, out var header));
            Assert.True(MplsRepr.TryParse(header, out var parsed));
            Assert.Equal(repr, parsed);
            Assert.Equal(label.ToString(System.Globalization.CultureInfo.InvariantCulture), parsed.Label.ToString());
        }
    }
}
