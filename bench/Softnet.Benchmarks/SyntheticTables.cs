using Softnet.DataPlane.Fib;
using Softnet.Wire;

namespace Softnet.Benchmarks;

/// <summary>
/// Random route tables with roughly the prefix-length mix of the Internet table (IPv4 mostly /24, IPv6 mostly /48),
/// clear of 10.0.0.0/8 and 2001:db8::/32 where the benchmark devices keep their own subnets. Next hops are 1..16.
/// The real tables are measured by `softnet bench dataplane`; these keep the micro-benchmarks self-contained.
/// </summary>
internal static class SyntheticTables
{
    public const int NextHops = 16;

    private static readonly (int Length, int Weight)[] Ipv4Lengths = [(8, 1), (12, 1), (16, 4), (18, 3), (20, 6), (21, 5), (22, 12), (23, 8), (24, 60)];
    private static readonly (int Length, int Weight)[] Ipv6Lengths = [(29, 4), (32, 14), (36, 3), (40, 6), (44, 8), (46, 3), (47, 2), (48, 55), (56, 3), (64, 2)];

    public static Ipv4Route[] Ipv4(int count, int seed)
    {
        var random = new Random(seed);
        var prefixes = new HashSet<Ipv4Prefix>();
        while (prefixes.Count < count)
        {
            var address = (uint)random.NextInt64(11L << 24, 224L << 24);
            if (address >> 24 == 127) continue;
            prefixes.Add(new Ipv4Prefix(new Ipv4Address(address), Pick(Ipv4Lengths, random)));
        }
        return [.. prefixes.Select((prefix, i) => new Ipv4Route(prefix, (ushort)(1 + i % NextHops)))];
    }

    public static Ipv6Route[] Ipv6(int count, int seed)
    {
        var random = new Random(seed);
        var prefixes = new HashSet<Ipv6Prefix>();
        while (prefixes.Count < count)
        {
            // 2400::/6 and below: global unicast space away from 2001:db8::/32.
            var upper = 0x2400_0000_0000_0000UL | (ulong)random.NextInt64() >> 6;
            prefixes.Add(new Ipv6Prefix(new Ipv6Address(upper, 0), Pick(Ipv6Lengths, random)));
        }
        return [.. prefixes.Select((prefix, i) => new Ipv6Route(prefix, (ushort)(1 + i % NextHops)))];
    }

    /// <summary>Addresses inside random routes of the table.</summary>
    public static uint[] Destinations(Ipv4Route[] routes, int count, int seed)
    {
        var random = new Random(seed);
        var destinations = new uint[count];
        for (var i = 0; i < count; i++)
        {
            var prefix = routes[random.Next(routes.Length)].Prefix;
            destinations[i] = prefix.Network.Value | (uint)random.NextInt64() & ~prefix.Mask;
        }
        return destinations;
    }

    public static UInt128[] Destinations(Ipv6Route[] routes, int count, int seed)
    {
        var random = new Random(seed);
        var destinations = new UInt128[count];
        for (var i = 0; i < count; i++)
        {
            var prefix = routes[random.Next(routes.Length)].Prefix;
            destinations[i] = prefix.Network.Value | new UInt128((ulong)random.NextInt64(), (ulong)random.NextInt64()) & ~prefix.Mask;
        }
        return destinations;
    }

    private static int Pick((int Length, int Weight)[] lengths, Random random)
    {
        var draw = random.Next(lengths.Sum(l => l.Weight));
        foreach (var (length, weight) in lengths)
        {
            if (draw < weight) return length;
            draw -= weight;
        }
        throw new InvalidOperationException("Unreachable: the draw is below the total weight.");
    }
}
