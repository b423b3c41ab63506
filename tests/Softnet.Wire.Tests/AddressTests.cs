namespace Softnet.Wire.Tests;

public sealed class AddressTests
{
    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("10.0.0.1")]
    [InlineData("192.168.1.254")]
    [InlineData("255.255.255.255")]
    public void Ipv4_round_trips(string text)
    {
        var address = Ipv4Address.Parse(text, null);
        Assert.Equal(text, address.ToString());
        Span<byte> bytes = stackalloc byte[4];
        address.WriteTo(bytes);
        Assert.Equal(address, Ipv4Address.Read(bytes));
        Assert.Equal(text, string.Join('.', bytes.ToArray()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("1.2.3")]
    [InlineData("1.2.3.4.5")]
    [InlineData("01.2.3.4")]
    [InlineData("1.2.3.04")]
    [InlineData("256.1.1.1")]
    [InlineData("1.2.3.4 ")]
    [InlineData("1..3.4")]
    [InlineData("1.2.3.-4")]
    [InlineData("0x1.2.3.4")]
    [InlineData("::1")]
    public void Ipv4_rejects_bad_text(string text)
    {
        Assert.False(Ipv4Address.TryParse(text, out _));
        Assert.Throws<FormatException>(() => Ipv4Address.Parse(text, null));
    }

    [Theory]
    [InlineData("::", "::")]
    [InlineData("::1", "::1")]
    [InlineData("2001:DB8:0:0:0:0:0:1", "2001:db8::1")]
    [InlineData("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1")]
    [InlineData("fe80::21f:caff:feb3:75c0", "fe80::21f:caff:feb3:75c0")]
    [InlineData("::ffff:10.0.0.1", "::ffff:10.0.0.1")]
    [InlineData("ff02::1:ff0e:8c6c", "ff02::1:ff0e:8c6c")]
    public void Ipv6_round_trips_to_canonical_text(string text, string canonical)
    {
        var address = Ipv6Address.Parse(text, null);
        Assert.Equal(canonical, address.ToString());
        Assert.Equal(address, Ipv6Address.Parse(canonical, null));
        Span<byte> bytes = stackalloc byte[16];
        address.WriteTo(bytes);
        Assert.Equal(address, Ipv6Address.Read(bytes));
        Assert.Equal(new System.Net.IPAddress(bytes).ToString(), canonical);
    }

    [Theory]
    [InlineData("")]
    [InlineData("fe80::1%eth0")]
    [InlineData("fe80::1%1")]
    [InlineData("2001:db8::/32")]
    [InlineData("1.2.3.4")]
    [InlineData("2001:db8:::1")]
    [InlineData("2001:db8::1::2")]
    [InlineData("12345::1")]
    [InlineData("1:2:3:4:5:6:7:8:9")]
    [InlineData("[::1]")]
    [InlineData("[::1]:80")]
    [InlineData(" ::1")]
    [InlineData("::1 ")]
    [InlineData("::1\n")]
    [InlineData("1::2:3:4:5:6:7:8")]
    [InlineData("::ffff:1.2.3.04")]
    [InlineData("::ffff:1.2.3")]
    [InlineData("::ffff:256.2.3.4")]
    [InlineData("0::0::0")]
    [InlineData("00000::1")]
    public void Ipv6_rejects_bad_text_and_zone_ids(string text)
    {
        Assert.False(Ipv6Address.TryParse(text, out _));
        Assert.Throws<FormatException>(() => Ipv6Address.Parse(text, null));
    }

    [Theory]
    [InlineData("02:00:00:00:00:01", "02:00:00:00:00:01")]
    [InlineData("AA-BB-CC-DD-EE-FF", "aa:bb:cc:dd:ee:ff")]
    public void Mac_round_trips(string text, string canonical)
    {
        var mac = MacAddress.Parse(text, null);
        Assert.Equal(canonical, mac.ToString());
        Span<byte> bytes = stackalloc byte[6];
        mac.WriteTo(bytes);
        Assert.Equal(mac, MacAddress.Read(bytes));
    }

    [Theory]
    [InlineData("02:00:00:00:00")]
    [InlineData("02:00:00:00:00:001")]
    [InlineData("02:00-00:00:00:01")]
    [InlineData("0g:00:00:00:00:01")]
    [InlineData("0200.0000.0001")]
    public void Mac_rejects_bad_text(string text) => Assert.False(MacAddress.TryParse(text, out _));

    [Theory]
    [InlineData("0.0.0.0/0")]
    [InlineData("10.0.0.0/8")]
    [InlineData("192.168.1.0/24")]
    [InlineData("192.168.1.77/32")]
    public void Ipv4_prefix_round_trips(string text)
    {
        var prefix = Ipv4Prefix.Parse(text, null);
        Assert.Equal(text, prefix.ToString());
        Span<char> buffer = stackalloc char[18];
        Assert.True(prefix.TryFormat(buffer, out var written, default, null));
        Assert.Equal(text, buffer[..written].ToString());
    }

    [Theory]
    [InlineData("10.0.0.1/8")] // host bits set
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0.0/08")]
    [InlineData("10.0.0.0/-1")]
    [InlineData("10.0.0.0/")]
    [InlineData("10.0.0.0")]
    [InlineData("010.0.0.0/8")]
    [InlineData("10.0.0.0/8/8")]
    public void Ipv4_prefix_rejects_bad_text(string text)
    {
        Assert.False(Ipv4Prefix.TryParse(text, out _));
        Assert.Throws<FormatException>(() => Ipv4Prefix.Parse(text, null));
    }

    [Theory]
    [InlineData("::/0")]
    [InlineData("2001:db8::/32")]
    [InlineData("fe80::/10")]
    [InlineData("2001:db8::1/128")]
    public void Ipv6_prefix_round_trips(string text) => Assert.Equal(text, Ipv6Prefix.Parse(text, null).ToString());

    [Theory]
    [InlineData("2001:db8::1/64")] // host bits set
    [InlineData("2001:db8::/129")]
    [InlineData("2001:db8::/032")]
    [InlineData("fe80::%eth0/64")]
    [InlineData("2001:db8::")]
    [InlineData("10.0.0.0/8")]
    public void Ipv6_prefix_rejects_bad_text(string text)
    {
        Assert.False(Ipv6Prefix.TryParse(text, out _));
        Assert.Throws<FormatException>(() => Ipv6Prefix.Parse(text, null));
    }

    [Fact]
    public void Prefixes_contain_addresses_and_subprefixes()
    {
        var v4 = Ipv4Prefix.Parse("10.1.0.0/16", null);
        Assert.True(v4.Contains(Ipv4Address.Parse("10.1.255.255")));
        Assert.False(v4.Contains(Ipv4Address.Parse("10.2.0.0")));
        Assert.True(v4.Contains(Ipv4Prefix.Parse("10.1.2.0/24", null)));
        Assert.False(v4.Contains(Ipv4Prefix.Parse("10.0.0.0/8", null)));
        Assert.Equal(Ipv4Prefix.Parse("10.1.0.0/16", null), new Ipv4Prefix(Ipv4Address.Parse("10.1.2.3"), 16));

        var v6 = Ipv6Prefix.Parse("2001:db8::/32", null);
        Assert.True(v6.Contains(Ipv6Address.Parse("2001:db8:ffff::1")));
        Assert.False(v6.Contains(Ipv6Address.Parse("2001:db9::")));
        Assert.Equal(v6, new Ipv6Prefix(Ipv6Address.Parse("2001:db8:1::1"), 32));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Ipv6Prefix(Ipv6Address.Unspecified, 129));
    }

    [Fact]
    public void Builds_eui64_link_local_as_in_rfc_4291_appendix_a()
    {
        // RFC 4291 appendix A: MAC 34-56-78-9A-BC-DE gives interface id 3656:78ff:fe9a:bcde.
        var address = Ipv6Address.LinkLocalFromMac(MacAddress.Parse("34-56-78-9A-BC-DE", null));
        Assert.Equal(Ipv6Address.Parse("fe80::3656:78ff:fe9a:bcde"), address);
        Assert.True(address.IsLinkLocal);
        // The universal/local bit is inverted, not set: a locally administered MAC loses it.
        Assert.Equal(Ipv6Address.Parse("fe80::c000:54ff:fef5:0"), Ipv6Address.LinkLocalFromMac(MacAddress.Parse("c2:00:54:f5:00:00")));
    }

    [Fact]
    public void Builds_solicited_node_groups_as_in_rfc_4291_section_2_7_1()
    {
        // RFC 4291 section 2.7.1: 4037::01:800:200E:8C6C belongs to FF02::1:FF0E:8C6C.
        var address = Ipv6Address.Parse("4037::01:800:200E:8C6C", null);
        Assert.Equal(Ipv6Address.Parse("ff02::1:ff0e:8c6c"), address.SolicitedNodeMulticast);
        Assert.True(address.SolicitedNodeMulticast.IsMulticast);
        Assert.Equal(MacAddress.Parse("33:33:ff:0e:8c:6c"), MacAddress.FromIpv6Multicast(address.SolicitedNodeMulticast));
    }

    [Fact]
    public void Classifies_addresses()
    {
        Assert.True(Ipv4Address.Parse("224.0.0.5").IsMulticast);
        Assert.True(Ipv4Address.Parse("127.0.0.1").IsLoopback);
        Assert.True(Ipv4Address.Broadcast.IsBroadcast);
        Assert.True(MacAddress.Parse("01:00:5e:00:00:05").IsMulticast);
        Assert.True(MacAddress.Parse("02:00:00:00:00:01").IsUnicast);
        Assert.Equal(Ipv6Address.Parse("ff02::1"), Ipv6Address.AllNodes);
        Assert.Equal(Ipv6Address.Parse("ff02::2"), Ipv6Address.AllRouters);
        Assert.False(Ipv6Address.Parse("fec0::1").IsLinkLocal);
    }

    [Theory]
    [InlineData("10.0.1.10")]
    [InlineData("255.255.255.255")]
    [InlineData("0.0.0.0")]
    public void Ipv4_addresses_convert_to_the_same_IPAddress(string text) =>
        Assert.Equal(System.Net.IPAddress.Parse(text), Ipv4Address.Parse(text).ToIPAddress());

    [Theory]
    [InlineData("2001:db8::10")]
    [InlineData("fe80::ff:fe00:a")]
    [InlineData("::")]
    public void Ipv6_addresses_convert_to_the_same_IPAddress(string text) =>
        Assert.Equal(System.Net.IPAddress.Parse(text), Ipv6Address.Parse(text).ToIPAddress());
}
