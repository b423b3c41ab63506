using Softnet.DataPlane.Fib;
using Softnet.Wire;

namespace Softnet.DataPlane.Tests.Fib;

public sealed class PrefixRangeTests
{
    private static string[] Summarize4(string first, string last) =>
        PrefixRange.Summarize(Ipv4Address.Parse(first, null), Ipv4Address.Parse(last, null)).Select(p => p.ToString()).ToArray();

    private static string[] Summarize6(string first, string last) =>
        PrefixRange.Summarize(Ipv6Address.Parse(first, null), Ipv6Address.Parse(last, null)).Select(p => p.ToString()).ToArray();

    [Theory]
    [InlineData("0.0.0.0", "255.255.255.255", "0.0.0.0/0")]
    [InlineData("0.0.0.0", "0.0.0.0", "0.0.0.0/32")]
    [InlineData("255.255.255.255", "255.255.255.255", "255.255.255.255/32")]
    [InlineData("1.0.0.0", "1.0.0.255", "1.0.0.0/24")]
    [InlineData("10.0.0.1", "10.0.0.6", "10.0.0.1/32 10.0.0.2/31 10.0.0.4/31 10.0.0.6/32")]
    [InlineData("1.0.4.0", "1.0.11.255", "1.0.4.0/22 1.0.8.0/22")]
    [InlineData("128.0.0.0", "255.255.255.255", "128.0.0.0/1")]
    [InlineData("0.0.0.0", "254.255.255.255", "0.0.0.0/1 128.0.0.0/2 192.0.0.0/3 224.0.0.0/4 240.0.0.0/5 248.0.0.0/6 252.0.0.0/7 254.0.0.0/8")]
    public void Ipv4RangesSplitIntoTheFewestPrefixes(string first, string last, string expected) =>
        Assert.Equal(expected.Split(' '), Summarize4(first, last));

    [Theory]
    [InlineData("::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "::/0")]
    [InlineData("::1", "::1", "::1/128")]
    [InlineData("::", "::1", "::/127")]
    [InlineData("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128")]
    [InlineData("2001::", "2001::ffff:ffff:ffff:ffff:ffff:ffff", "2001::/32")]
    [InlineData("2001:200::", "2001:200:1b9:ffff:ffff:ffff:ffff:ffff", "2001:200::/40 2001:200:100::/41 2001:200:180::/43 2001:200:1a0::/44 2001:200:1b0::/45 2001:200:1b8::/47")]
    [InlineData("2001:db8::1", "2001:db8::6", "2001:db8::1/128 2001:db8::2/127 2001:db8::4/127 2001:db8::6/128")]
    [InlineData("8000::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "8000::/1")]
    public void Ipv6RangesSplitIntoTheFewestPrefixes(string first, string last, string expected) =>
        Assert.Equal(expected.Split(' '), Summarize6(first, last));

    [Fact]
    public void EveryRangeButTheFirstAddressTakesOnePrefixPerBit()
    {
        Assert.Equal(32, Summarize4("0.0.0.1", "255.255.255.255").Length);
        Assert.Equal(128, Summarize6("::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff").Length);
    }

    [Fact]
    public void RandomRangesAreCoveredExactlyByPrefixesThatCannotMerge()
    {
        var random = new Random(21);
        for (var i = 0; i < 2000; i++)
        {
            var a = (uint)random.NextInt64();
            var b = random.Next(3) == 0 ? a + (uint)random.Next(1000) : (uint)random.NextInt64();
            var (first, last) = a <= b ? (a, b) : (b, a);
            var prefixes = PrefixRange.Summarize(new Ipv4Address(first), new Ipv4Address(last)).ToArray();

            var next = (ulong)first;
            foreach (var prefix in prefixes)
            {
                Assert.Equal(next, prefix.Network.Value);
                next = prefix.Network.Value + (1UL << (32 - prefix.Length));
            }
            Assert.Equal((ulong)last + 1, next);
            for (var k = 1; k < prefixes.Length; k++)
            {
                var (left, right) = (prefixes[k - 1], prefixes[k]);
                var siblings = left.Length == right.Length && left.Length > 0 && new Ipv4Prefix(left.Network, left.Length - 1).Contains(right);
                Assert.False(siblings, $"{left} and {right} should have been one prefix");
            }
        }
    }

    [Fact]
    public void ARangeThatEndsBeforeItStartsIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => PrefixRange.Summarize(new Ipv4Address(10, 0, 0, 2), new Ipv4Address(10, 0, 0, 1)));
        Assert.Contains("10.0.0.2-10.0.0.1", error.Message);
        Assert.Throws<ArgumentException>(() => PrefixRange.Summarize(new Ipv6Address(UInt128.One), new Ipv6Address(UInt128.Zero)));
    }
}
