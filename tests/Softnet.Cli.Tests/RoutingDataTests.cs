using Softnet.Cli.Bench.RoutingData;
using Softnet.DataPlane.Fib;
using Softnet.Wire;

namespace Softnet.Cli.Tests.Bench;

public sealed class RoutingDataTests
{
    private const string Ipv4Csv = """
        1.0.0.0,1.0.0.255,13335,"Cloudflare, Inc."
        1.0.4.0,1.0.7.255,38803,Gtelecom Pty Ltd

        10.0.0.1,10.0.0.6,64512,"Odd, aligned nowhere"
        192.0.2.7,192.0.2.7,64513,Single address
        0.0.0.0,255.255.255.255,64514,Everything
        """;

    private const string Ipv6Csv = """
        2001::,2001::ffff:ffff:ffff:ffff:ffff:ffff,6939,Hurricane Electric LLC
        2001:200::,2001:200:1b9:ffff:ffff:ffff:ffff:ffff,2500,WIDE Project
        2001:db8::1,2001:db8::1,64515,Single address
        ::,ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff,64516,Everything
        """;

    [Fact]
    public void RangesSplitIntoTheFewestCidrPrefixes()
    {
        var data = RoutingData.Parse(new StringReader(Ipv4Csv), new StringReader(Ipv6Csv));
        Assert.Equal(5, data.Ipv4RangeCount);
        Assert.Equal(
            ["1.0.0.0/24", "1.0.4.0/22", "10.0.0.1/32", "10.0.0.2/31", "10.0.0.4/31", "10.0.0.6/32", "192.0.2.7/32", "0.0.0.0/0"],
            data.Ipv4Prefixes.Select(p => p.ToString()));
        Assert.Equal(4, data.Ipv6RangeCount);
        Assert.Equal(
            ["2001::/32", "2001:200::/40", "2001:200:100::/41", "2001:200:180::/43", "2001:200:1a0::/44", "2001:200:1b0::/45", "2001:200:1b8::/47", "2001:db8::1/128", "::/0"],
            data.Ipv6Prefixes.Select(p => p.ToString()));
    }

    [Theory]
    [InlineData("1.0.0.0")]
    [InlineData("1.0.0.0;1.0.0.255")]
    [InlineData("1.0.0.9,1.0.0.1,1,backwards")]
    [InlineData("2001::,2001::ffff,6939,wrong family")]
    public void AMalformedLineIsRefusedWithItsNumber(string bad)
    {
        var error = Assert.Throws<FormatException>(() => RoutingData.Parse(new StringReader("1.0.0.0,1.0.0.255,1,ok\n" + bad), new StringReader("")));
        Assert.Contains("IPv4 line 2", error.Message);
        Assert.Contains(bad, error.Message);
    }

    [Fact]
    public void TheFullTableNestsKeepsTheRealPrefixesAndIsDeterministic()
    {
        var data = RoutingData.Parse(new StringReader(string.Join('\n', Enumerable.Range(1, 200).Select(i => $"{i}.{i}.0.0,{i}.{i}.{i % 16}.255,1,x").Append("201.0.0.0,201.0.255.255,1,x"))), new StringReader(""));
        var real = RoutingTables.Ipv4RealTable(data);
        var full = RoutingTables.Ipv4FullTable(data, seed: 7, size: 3000);
        Assert.Equal(3000, full.Length);
        Assert.Equal(full, RoutingTables.Ipv4FullTable(data, seed: 7, size: 3000));
        Assert.NotEqual(full, RoutingTables.Ipv4FullTable(data, seed: 8, size: 3000));
        Assert.Subset(full.Select(r => r.Prefix).ToHashSet(), real.Select(r => r.Prefix).ToHashSet());
        Assert.Subset(real.Select(r => r.Prefix.Length).ToHashSet(), full.Select(r => r.Prefix.Length).ToHashSet());
        Assert.Equal(3000, full.Select(r => r.Prefix).Distinct().Count());
        var nested = full.Count(r => full.Any(o => o.Prefix.Length < r.Prefix.Length && o.Prefix.Contains(r.Prefix)));
        Assert.True(nested > 2000, $"only {nested} nested prefixes");
        Assert.All(full, r => Assert.InRange(r.NextHop, 1, RoutingTables.DefaultNeighbours));
        Assert.Equal(RoutingTables.DefaultNeighbours, full.Select(r => r.NextHop).Distinct().Count());
        var realHops = real.ToDictionary(r => r.Prefix, r => r.NextHop);
        Assert.All(full.Where(r => realHops.ContainsKey(r.Prefix)), r => Assert.Equal(realHops[r.Prefix], r.NextHop));
    }

    [Fact]
    public void AFullTableTooBigToGrowFromTheRealOneIsRefused()
    {
        var data = RoutingData.Parse(new StringReader("10.0.0.0,10.0.0.255,1,x\n10.0.2.0,10.0.3.255,1,x"), new StringReader(""));
        var error = Assert.Throws<InvalidOperationException>(() => RoutingTables.Ipv4FullTable(data, size: 100));
        Assert.Contains("short of 100", error.Message);
    }

    [Fact]
    public void DestinationsFallInsideTheRoutesAndRepeatWithTheSeed()
    {
        Ipv4Route[] v4 = [new(Ipv4Prefix.Parse("10.0.0.0/8", null), 1), new(Ipv4Prefix.Parse("192.0.2.0/30", null), 2)];
        var a = new uint[1000];
        var b = new uint[1000];
        DestinationGenerator.Fill(v4, 5, a);
        DestinationGenerator.Fill(v4, 5, b);
        Assert.Equal(a, b);
        Assert.All(a, d => Assert.Contains(v4, r => r.Prefix.Contains(new Ipv4Address(d))));
        Assert.InRange(a.Count(d => d >> 24 == 10), 400, 600);

        Ipv6Route[] v6 = [new(Ipv6Prefix.Parse("2001:db8::/32", null), 1), new(Ipv6Prefix.Parse("2001:db8:1::/127", null), 2)];
        var c = new UInt128[1000];
        DestinationGenerator.Fill(v6, 5, c);
        Assert.All(c, d => Assert.True(v6[0].Prefix.Contains(new Ipv6Address(d))));
        Assert.InRange(c.Count(d => v6[1].Prefix.Contains(new Ipv6Address(d))), 400, 600);
    }

    [Fact]
    public void AMissingNpmIsReportedClearly()
    {
        var path = Environment.GetEnvironmentVariable("PATH");
        Environment.SetEnvironmentVariable("PATH", "/nonexistent");
        try
        {
            var cache = Directory.CreateTempSubdirectory().FullName;
            var error = Assert.Throws<InvalidOperationException>(() => AsnPackage.Fetch(cache));
            Assert.StartsWith("could not fetch the npm package @ip-location-db/asn: ", error.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable("PATH", path);
        }
    }
}
