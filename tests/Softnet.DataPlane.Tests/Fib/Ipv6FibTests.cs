using Softnet.DataPlane.Fib;
using Softnet.Wire;

namespace Softnet.DataPlane.Tests.Fib;

public sealed class Ipv6FibTests
{
    private static Ipv6Prefix P(string text) => Ipv6Prefix.Parse(text, null);
    private static UInt128 A(string text) => Ipv6Address.Parse(text, null).Value;

    [Fact]
    public void MillionRandomLookupsOnANestedTableAgreeWithTheReference()
    {
        var routes = TestTables.NestedIpv6(150_000, seed: 11);
        var fib = new Ipv6Fib(routes);
        var reference = ReferenceLpm.Of(routes);
        Assert.Equal(routes.Length, fib.Count);

        var random = new Random(12);
        var addresses = new UInt128[1_000_000];
        for (var i = 0; i < addresses.Length; i++)
        {
            var prefix = routes[random.Next(routes.Length)].Prefix;
            addresses[i] = random.Next(4) switch
            {
                0 => TestTables.RandomBits(random),
                1 => TestTables.Inside(random, 128, prefix.Network.Value, Math.Min(prefix.Length, 16)),
                _ => TestTables.Inside(random, 128, prefix.Network.Value, prefix.Length),
            };
        }
        var batch = new ushort[addresses.Length];
        fib.Lookup(addresses, batch);
        var routed = 0;
        for (var i = 0; i < addresses.Length; i++)
        {
            var expected = reference.Lookup(addresses[i]);
            if (expected != fib.Lookup(addresses[i]) || expected != batch[i])
                Assert.Fail($"{new Ipv6Address(addresses[i])}: reference {expected}, single {fib.Lookup(addresses[i])}, batch {batch[i]}");
            if (expected != NextHopId.NoRoute) routed++;
        }
        Assert.InRange(routed, 500_000, 1_000_000);
    }

    [Fact]
    public void AddingOneByOneInRandomOrderBuildsTheSameTrieAsTheBulkConstructor()
    {
        var routes = TestTables.NestedIpv6(30_000, seed: 13);
        var bulk = new Ipv6Fib(routes);
        var incremental = new Ipv6Fib();
        var shuffle = new Random(14);
        foreach (var route in routes.OrderBy(_ => shuffle.Next()).ToArray()) incremental.Add(route.Prefix, route.NextHop);

        Assert.Equal(bulk.Count, incremental.Count);
        Assert.Equal(bulk.NodeCount, incremental.NodeCount);
        var random = new Random(15);
        for (var i = 0; i < 200_000; i++)
        {
            var prefix = routes[random.Next(routes.Length)].Prefix;
            var address = TestTables.Inside(random, 128, prefix.Network.Value, prefix.Length);
            Assert.Equal(bulk.Lookup(address), incremental.Lookup(address));
        }
    }

    [Fact]
    public void RandomInterleavingsOfAddReplaceAndRemoveMatchTheReference()
    {
        // Candidates crowd 2001:db8::/32 at every depth, with a few /16-or-shorter prefixes above them.
        var random = new Random(16);
        var region = A("2001:db8::");
        var candidates = Enumerable.Range(0, 3000)
            .Select(_ => random.Next(20) switch
            {
                0 => new Ipv6Prefix(new Ipv6Address(region), random.Next(0, 17)),
                1 => new Ipv6Prefix(new Ipv6Address(region | TestTables.RandomBits(random) >> 16), random.Next(17, 33)),
                _ => new Ipv6Prefix(new Ipv6Address(region | TestTables.RandomBits(random) >> 32 >> random.Next(0, 40)), random.Next(33, 129)),
            })
            .Distinct()
            .ToArray();
        var fib = new Ipv6Fib();
        var reference = new ReferenceLpm(128);
        var present = new List<Ipv6Prefix>();

        for (var step = 1; step <= 10_000; step++)
        {
            if (present.Count > 0 && random.Next(5) < 2)
            {
                var index = random.Next(present.Count);
                var prefix = present[index];
                present[index] = present[^1];
                present.RemoveAt(present.Count - 1);
                Assert.True(fib.Remove(prefix));
                Assert.True(reference.Remove(prefix));
                Assert.False(fib.Remove(prefix));
            }
            else
            {
                var prefix = candidates[random.Next(candidates.Length)];
                var nextHop = TestTables.RandomNextHop(random);
                if (!fib.TryGet(prefix, out _)) present.Add(prefix);
                fib.Add(prefix, nextHop);
                reference.Set(prefix, nextHop);
            }
            if (step % 2000 == 0) AssertAgrees(fib, reference, candidates, random);
        }

        Assert.Equal(reference.Count, fib.Count);
        Assert.Equal(
            reference.Entries().Select(e => (e.Network, e.Length, e.NextHop)).Order(),
            fib.Routes.Select(r => (r.Prefix.Network.Value, r.Prefix.Length, r.NextHop)).Order());
        Assert.Equal(new Ipv6Fib(fib.Routes.ToArray()).NodeCount, fib.NodeCount);

        foreach (var prefix in present.OrderBy(_ => random.Next())) Assert.True(fib.Remove(prefix));
        Assert.Equal(0, fib.Count);
        Assert.Equal(0, fib.NodeCount);
        AssertAgrees(fib, new ReferenceLpm(128), candidates, random);
    }

    private static void AssertAgrees(Ipv6Fib fib, ReferenceLpm reference, Ipv6Prefix[] candidates, Random random)
    {
        for (var i = 0; i < 10_000; i++)
        {
            var prefix = candidates[random.Next(candidates.Length)];
            var address = TestTables.Inside(random, 128, prefix.Network.Value, Math.Max(prefix.Length - 3, 0));
            Assert.Equal(reference.Lookup(address), fib.Lookup(address));
        }
    }

    [Fact]
    public void AnEmptyFibRoutesNothingAndHoldsOnlyTheDirectTable()
    {
        var fib = new Ipv6Fib();
        Assert.Equal(0, fib.Count);
        Assert.Equal(0, fib.NodeCount);
        Assert.Equal(256L << 10, fib.MemoryBytes);
        Assert.Equal(NextHopId.NoRoute, fib.Lookup(UInt128.Zero));
        Assert.Equal(NextHopId.NoRoute, fib.Lookup(UInt128.MaxValue));
        Assert.Empty(fib.Routes);
    }

    [Fact]
    public void TheDefaultRouteCoversEverythingLongerPrefixesDoNot()
    {
        var fib = new Ipv6Fib();
        fib.Add(P("2001:db8::/32"), 8);
        fib.Add(P("2001:db8:0:1::/64"), 9);
        fib.Add(P("::/0"), 7);
        Assert.Equal(7, fib.Lookup(UInt128.Zero));
        Assert.Equal(7, fib.Lookup(UInt128.MaxValue));
        Assert.Equal(8, fib.Lookup(A("2001:db8::1")));
        Assert.Equal(9, fib.Lookup(A("2001:db8:0:1:ffff:ffff:ffff:ffff")));
        Assert.Equal(7, fib.Lookup(A("2001:db9::")));

        Assert.True(fib.Remove(P("::/0")));
        Assert.Equal(NextHopId.NoRoute, fib.Lookup(A("2001:db9::")));
        Assert.Equal(8, fib.Lookup(A("2001:db8:ffff::")));
        Assert.Equal(9, fib.Lookup(A("2001:db8:0:1::1")));
    }

    [Fact]
    public void HostRoutesAtBothEndsOfTheSpaceAndInTheLastStride()
    {
        var fib = new Ipv6Fib();
        fib.Add(P("::/128"), 1);
        fib.Add(P("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128"), 2);
        fib.Add(P("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127"), 3);
        fib.Add(P("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fff0/124"), 4);
        Assert.Equal(1, fib.Lookup(UInt128.Zero));
        Assert.Equal(NextHopId.NoRoute, fib.Lookup(UInt128.One));
        Assert.Equal(2, fib.Lookup(UInt128.MaxValue));
        Assert.Equal(3, fib.Lookup(UInt128.MaxValue - 1));
        Assert.Equal(4, fib.Lookup(UInt128.MaxValue - 2));
        Assert.Equal(4, fib.Lookup(UInt128.MaxValue - 15));
        Assert.Equal(NextHopId.NoRoute, fib.Lookup(UInt128.MaxValue - 16));

        Assert.True(fib.Remove(P("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128")));
        Assert.Equal(3, fib.Lookup(UInt128.MaxValue));
    }

    [Theory]
    [InlineData("2001:c00::/22")] // ends on the first stride boundary below the direct table
    [InlineData("2001:db0::/28")]
    [InlineData("2001:db8::/64")] // ends where the high half of the address does
    [InlineData("2001:db8::/65")]
    [InlineData("2001:db8::/124")] // the last full stride
    public void PrefixesEndingOnStrideBoundariesMatchExactlyTheirOwnAddresses(string text)
    {
        var prefix = P(text);
        var fib = new Ipv6Fib();
        fib.Add(P("2001::/16"), 1);
        fib.Add(prefix, 2);
        var first = prefix.Network.Value;
        var last = first | ~prefix.Mask;
        Assert.Equal(2, fib.Lookup(first));
        Assert.Equal(2, fib.Lookup(last));
        Assert.Equal(1, fib.Lookup(first - 1));
        Assert.Equal(1, fib.Lookup(last + 1));
    }

    [Fact]
    public void RemovingAPrefixHandsItsAddressesBackToTheCoveringOneAndFreesItsNodes()
    {
        var fib = new Ipv6Fib();
        fib.Add(P("2000::/3"), 1);
        fib.Add(P("2001:db8::/32"), 2);
        fib.Add(P("2001:db8:1::/48"), 3);
        fib.Add(P("2001:db8:1:2::/64"), 4);
        Assert.Equal(4, fib.Lookup(A("2001:db8:1:2::5")));
        Assert.True(fib.NodeCount > 0);

        Assert.True(fib.Remove(P("2001:db8:1::/48")));
        Assert.Equal(2, fib.Lookup(A("2001:db8:1:3::")));
        Assert.Equal(4, fib.Lookup(A("2001:db8:1:2::5")));

        Assert.True(fib.Remove(P("2001:db8:1:2::/64")));
        Assert.Equal(2, fib.Lookup(A("2001:db8:1:2::5")));

        Assert.True(fib.Remove(P("2001:db8::/32")));
        Assert.Equal(1, fib.Lookup(A("2001:db8:1:2::5")));
        Assert.Equal(0, fib.NodeCount);
        Assert.False(fib.Remove(P("2001:db8::/32")));
        Assert.Equal(1, fib.Count);
    }

    [Fact]
    public void AddingAPresentPrefixReplacesItsNextHop()
    {
        var fib = new Ipv6Fib();
        fib.Add(P("2001:db8::/32"), 5);
        fib.Add(P("2001:db8:8000::/33"), 6);
        fib.Add(P("2001:db8::/32"), 50);
        Assert.Equal(2, fib.Count);
        Assert.True(fib.TryGet(P("2001:db8::/32"), out var nextHop));
        Assert.Equal(50, nextHop);
        Assert.Equal(50, fib.Lookup(Ipv6Address.Parse("2001:db8::1", null)));
        Assert.Equal(6, fib.Lookup(Ipv6Address.Parse("2001:db8:8000::1", null)));
        Assert.False(fib.TryGet(P("2001:db8::/33"), out nextHop));
        Assert.Equal(NextHopId.NoRoute, nextHop);
    }

    [Fact]
    public void TheBulkConstructorKeepsTheLastNextHopOfADuplicatedPrefix()
    {
        var fib = new Ipv6Fib([new(P("2001:db8::/48"), 1), new(P("2001:db8::/48"), 2), new(P("::/0"), 3)]);
        Assert.Equal(2, fib.Count);
        Assert.Equal(2, fib.Lookup(A("2001:db8::9")));
        Assert.Equal(3, fib.Lookup(A("2001:db8:1::")));
    }

    [Fact]
    public void NextHopIdsOutsideTheValidRangeAreRefused()
    {
        var fib = new Ipv6Fib();
        var zero = Assert.Throws<ArgumentOutOfRangeException>(() => fib.Add(P("2001:db8::/32"), 0));
        Assert.Contains("2001:db8::/32", zero.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => fib.Add(P("2001:db8::/32"), (ushort)(NextHopId.Max + 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Ipv6Fib([new(P("2001:db8::/32"), 0)]));
        Assert.Equal(0, fib.Count);
    }

    [Fact]
    public void BatchLookupNeedsARoomyResultSpan()
    {
        var fib = new Ipv6Fib([new(P("2001:db8::/32"), 1), new(P("2001:db8::/127"), 2)]);
        Assert.Throws<ArgumentException>(() => fib.Lookup([UInt128.One, UInt128.Zero], new ushort[1]));
        var results = new ushort[3];
        fib.Lookup([A("2001:db8::1"), A("2001:db8::2"), A("2001:db9::")], results);
        Assert.Equal([2, 1, 0], results);
    }
}
