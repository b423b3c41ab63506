using Softnet.DataPlane.Fib;
using Softnet.Wire;

namespace Softnet.DataPlane.Tests.Fib;

public sealed class Ipv4FibTests
{
    private static Ipv4Prefix P(string text) => Ipv4Prefix.Parse(text, null);
    private static uint A(string text) => Ipv4Address.Parse(text, null).Value;

    [Fact]
    public void MillionRandomLookupsOnANestedTableAgreeWithTheReference()
    {
        var routes = TestTables.NestedIpv4(300_000, seed: 1);
        var fib = new Ipv4Fib(routes);
        var reference = ReferenceLpm.Of(routes);
        Assert.Equal(routes.Length, fib.Count);
        Assert.InRange(fib.Tbl8GroupsInUse, 10_000, Ipv4Fib.MaxTbl8Groups);

        var random = new Random(2);
        var addresses = new uint[1_000_000];
        for (var i = 0; i < addresses.Length; i++)
        {
            var route = routes[random.Next(routes.Length)];
            addresses[i] = random.Next(3) == 0
                ? (uint)random.NextInt64()
                : (uint)TestTables.Inside(random, 32, route.Prefix.Network.Value, route.Prefix.Length);
        }
        var batch = new ushort[addresses.Length];
        fib.Lookup(addresses, batch);
        var routed = 0;
        for (var i = 0; i < addresses.Length; i++)
        {
            var expected = reference.Lookup(addresses[i]);
            if (expected != fib.Lookup(addresses[i]) || expected != batch[i])
                Assert.Fail($"{new Ipv4Address(addresses[i])}: reference {expected}, single {fib.Lookup(addresses[i])}, batch {batch[i]}");
            if (expected != NextHopId.NoRoute) routed++;
        }
        Assert.InRange(routed, 600_000, 1_000_000);
    }

    [Fact]
    public void AddingOneByOneInRandomOrderBuildsTheSameTablesAsTheBulkConstructor()
    {
        var routes = TestTables.NestedIpv4(100_000, seed: 3);
        var bulk = new Ipv4Fib(routes);
        var incremental = new Ipv4Fib();
        var shuffle = new Random(6);
        foreach (var route in routes.OrderBy(_ => shuffle.Next()).ToArray()) incremental.Add(route.Prefix, route.NextHop);

        Assert.Equal(bulk.Count, incremental.Count);
        Assert.Equal(bulk.Tbl8GroupsInUse, incremental.Tbl8GroupsInUse);
        var random = new Random(4);
        for (var i = 0; i < 300_000; i++)
        {
            var route = routes[random.Next(routes.Length)];
            var address = (uint)TestTables.Inside(random, 32, route.Prefix.Network.Value, route.Prefix.Length);
            Assert.Equal(bulk.Lookup(address), incremental.Lookup(address));
        }
    }

    [Fact]
    public void RandomInterleavingsOfAddReplaceAndRemoveMatchTheReference()
    {
        // Candidates crowd 10.0.0.0/12 so that they nest deeply and share tbl8 groups.
        var random = new Random(5);
        var candidates = Enumerable.Range(0, 4000)
            .Select(_ =>
            {
                var length = random.Next(10) < 3 ? random.Next(25, 33) : random.Next(12, 25);
                return new Ipv4Prefix(new Ipv4Address(A("10.0.0.0") | (uint)random.Next(1 << 20)), length);
            })
            .Distinct()
            .ToArray();
        var fib = new Ipv4Fib();
        var reference = new ReferenceLpm(32);
        var present = new List<Ipv4Prefix>();

        for (var step = 1; step <= 30_000; step++)
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
            if (step % 3000 == 0) AssertAgrees(fib, reference, candidates, random);
        }

        Assert.Equal(reference.Count, fib.Count);
        Assert.Equal(
            reference.Entries().Select(e => (e.Network, e.Length, e.NextHop)).Order(),
            fib.Routes.Select(r => ((UInt128)r.Prefix.Network.Value, r.Prefix.Length, r.NextHop)).Order());
        Assert.Equal(new Ipv4Fib(fib.Routes.ToArray()).Tbl8GroupsInUse, fib.Tbl8GroupsInUse);

        foreach (var prefix in present.OrderBy(_ => random.Next())) Assert.True(fib.Remove(prefix));
        Assert.Equal(0, fib.Count);
        Assert.Equal(0, fib.Tbl8GroupsInUse);
        AssertAgrees(fib, new ReferenceLpm(32), candidates, random);
    }

    private static void AssertAgrees(Ipv4Fib fib, ReferenceLpm reference, Ipv4Prefix[] candidates, Random random)
    {
        for (var i = 0; i < 20_000; i++)
        {
            var prefix = candidates[random.Next(candidates.Length)];
            var address = (uint)TestTables.Inside(random, 32, prefix.Network.Value, Math.Max(prefix.Length - 2, 0));
            Assert.Equal(reference.Lookup(address), fib.Lookup(address));
        }
    }

    [Fact]
    public void AnEmptyFibRoutesNothingAndHoldsOnlyTbl24()
    {
        var fib = new Ipv4Fib();
        Assert.Equal(0, fib.Count);
        Assert.Equal(32L << 20, fib.MemoryBytes);
        Assert.Equal(NextHopId.NoRoute, fib.Lookup(0u));
        Assert.Equal(NextHopId.NoRoute, fib.Lookup(Ipv4Address.Broadcast));
        Assert.Empty(fib.Routes);
    }

    [Fact]
    public void TheDefaultRouteCoversEverythingLongerPrefixesDoNot()
    {
        var fib = new Ipv4Fib();
        fib.Add(P("0.0.0.0/0"), 7);
        fib.Add(P("10.0.0.0/8"), 8);
        fib.Add(P("10.1.2.128/25"), 9);
        Assert.Equal(7, fib.Lookup(0u));
        Assert.Equal(7, fib.Lookup(uint.MaxValue));
        Assert.Equal(8, fib.Lookup(A("10.1.2.127")));
        Assert.Equal(9, fib.Lookup(A("10.1.2.128")));
        Assert.Equal(7, fib.Lookup(A("11.0.0.0")));

        Assert.True(fib.Remove(P("0.0.0.0/0")));
        Assert.Equal(NextHopId.NoRoute, fib.Lookup(A("11.0.0.0")));
        Assert.Equal(8, fib.Lookup(A("10.255.255.255")));
        Assert.Equal(9, fib.Lookup(A("10.1.2.255")));
    }

    [Fact]
    public void HostRoutesAtBothEndsOfTheSpace()
    {
        var fib = new Ipv4Fib();
        fib.Add(P("0.0.0.0/32"), 1);
        fib.Add(P("255.255.255.255/32"), 2);
        fib.Add(P("255.255.255.254/31"), 3);
        Assert.Equal(1, fib.Lookup(0u));
        Assert.Equal(NextHopId.NoRoute, fib.Lookup(1u));
        Assert.Equal(2, fib.Lookup(uint.MaxValue));
        Assert.Equal(3, fib.Lookup(uint.MaxValue - 1));
        Assert.Equal(NextHopId.NoRoute, fib.Lookup(uint.MaxValue - 2));
        Assert.Equal(2, fib.Tbl8GroupsInUse);
    }

    [Fact]
    public void RemovingAPrefixHandsItsAddressesBackToTheCoveringOne()
    {
        var fib = new Ipv4Fib();
        fib.Add(P("10.0.0.0/8"), 1);
        fib.Add(P("10.1.0.0/16"), 2);
        fib.Add(P("10.1.2.0/24"), 3);
        fib.Add(P("10.1.2.128/25"), 4);
        Assert.Equal(3, fib.Lookup(A("10.1.2.1")));
        Assert.Equal(4, fib.Lookup(A("10.1.2.200")));
        Assert.Equal(1, fib.Tbl8GroupsInUse);

        Assert.True(fib.Remove(P("10.1.2.0/24")));
        Assert.Equal(2, fib.Lookup(A("10.1.2.1")));
        Assert.Equal(4, fib.Lookup(A("10.1.2.200")));

        Assert.True(fib.Remove(P("10.1.2.128/25")));
        Assert.Equal(2, fib.Lookup(A("10.1.2.200")));
        Assert.Equal(0, fib.Tbl8GroupsInUse);

        Assert.True(fib.Remove(P("10.1.0.0/16")));
        Assert.Equal(1, fib.Lookup(A("10.1.2.200")));
        Assert.False(fib.Remove(P("10.1.0.0/16")));
        Assert.Equal(1, fib.Count);
    }

    [Fact]
    public void AddingAPresentPrefixReplacesItsNextHop()
    {
        var fib = new Ipv4Fib();
        fib.Add(P("192.0.2.0/24"), 5);
        fib.Add(P("192.0.2.64/26"), 6);
        fib.Add(P("192.0.2.0/24"), 50);
        Assert.Equal(2, fib.Count);
        Assert.True(fib.TryGet(P("192.0.2.0/24"), out var nextHop));
        Assert.Equal(50, nextHop);
        Assert.Equal(50, fib.Lookup(new Ipv4Address(192, 0, 2, 1)));
        Assert.Equal(6, fib.Lookup(new Ipv4Address(192, 0, 2, 65)));
        Assert.False(fib.TryGet(P("192.0.2.0/25"), out nextHop));
        Assert.Equal(NextHopId.NoRoute, nextHop);
    }

    [Fact]
    public void TheBulkConstructorKeepsTheLastNextHopOfADuplicatedPrefix()
    {
        var fib = new Ipv4Fib([new(P("198.51.100.0/24"), 1), new(P("198.51.100.0/24"), 2)]);
        Assert.Equal(1, fib.Count);
        Assert.Equal(2, fib.Lookup(new Ipv4Address(198, 51, 100, 9)));
    }

    [Fact]
    public void RunningOutOfTbl8GroupsNamesThePrefixAndLeavesTheFibUnchanged()
    {
        var fib = new Ipv4Fib(maxTbl8Groups: 2);
        fib.Add(P("10.0.0.0/25"), 1);
        fib.Add(P("10.0.1.0/25"), 2);
        fib.Add(P("10.0.1.128/26"), 3);

        var error = Assert.Throws<InvalidOperationException>(() => fib.Add(P("10.0.2.0/25"), 4));
        Assert.Contains("10.0.2.0/25", error.Message);
        Assert.Contains("2 tbl8 groups", error.Message);
        Assert.Equal(3, fib.Count);
        Assert.False(fib.TryGet(P("10.0.2.0/25"), out _));
        Assert.Equal(NextHopId.NoRoute, fib.Lookup(A("10.0.2.1")));

        fib.Add(P("10.0.2.0/24"), 5);
        Assert.True(fib.Remove(P("10.0.0.0/25")));
        fib.Add(P("10.0.2.0/25"), 4);
        Assert.Equal(4, fib.Lookup(A("10.0.2.1")));
        Assert.Equal(5, fib.Lookup(A("10.0.2.129")));
    }

    [Fact]
    public void TheBulkConstructorNamesThePrefixThatExceedsTheGroupLimit()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            new Ipv4Fib([new(P("10.0.0.0/25"), 1), new(P("10.0.1.0/30"), 1)], maxTbl8Groups: 1));
        Assert.Contains("10.0.1.0/30", error.Message);
    }

    [Fact]
    public void NextHopIdsOutsideTheValidRangeAreRefused()
    {
        var fib = new Ipv4Fib();
        var zero = Assert.Throws<ArgumentOutOfRangeException>(() => fib.Add(P("10.0.0.0/8"), 0));
        Assert.Contains("10.0.0.0/8", zero.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => fib.Add(P("10.0.0.0/8"), (ushort)(NextHopId.Max + 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Ipv4Fib([new(P("10.0.0.0/8"), 0)]));
        fib.Add(P("10.0.0.0/8"), NextHopId.Max);
        Assert.Equal(NextHopId.Max, fib.Lookup(A("10.9.9.9")));
    }

    [Fact]
    public void BatchLookupNeedsARoomyResultSpan()
    {
        var fib = new Ipv4Fib([new(P("10.0.0.0/8"), 1), new(P("10.0.0.0/30"), 2)]);
        Assert.Throws<ArgumentException>(() => fib.Lookup([1u, 2u], new ushort[1]));
        var results = new ushort[3];
        fib.Lookup([A("10.0.0.1"), A("10.0.0.4"), A("11.0.0.0")], results);
        Assert.Equal([2, 1, 0], results);
    }
}
