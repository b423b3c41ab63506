using System.Buffers.Binary;
using Softnet.DataPlane.Fib;
using Softnet.Wire;

namespace Softnet.DataPlane.Tests.Fib;

/// <summary>
/// Deterministic nested route tables of Internet-like shape: lengths drawn from a realistic histogram, half the
/// prefixes placed freely and half nested inside (more-specific) or around (covering) an earlier one.
/// </summary>
internal static class TestTables
{
    // Lengths of the RouteViews IPv4 prefixes (as /8../32 counts), with /25../32 boosted tenfold to exercise tbl8 groups.
    private static readonly (int Length, int Weight)[] Ipv4Lengths =
    [
        (8, 8), (9, 6), (10, 31), (11, 95), (12, 257), (13, 493), (14, 1120), (15, 2455), (16, 9332), (17, 6735),
        (18, 11825), (19, 22075), (20, 33264), (21, 46064), (22, 103676), (23, 103717), (24, 218667),
        (25, 13500), (26, 14470), (27, 15950), (28, 1410), (29, 1640), (30, 530), (31, 30), (32, 70),
    ];

    // Lengths of the RouteViews IPv6 prefixes, with the sparse tail past /64 boosted to exercise deep nodes.
    private static readonly (int Length, int Weight)[] Ipv6Lengths =
    [
        (12, 2), (16, 5), (20, 10), (21, 7), (22, 15), (23, 21), (24, 52), (25, 41), (26, 69), (27, 65), (28, 175),
        (29, 10410), (30, 974), (31, 1523), (32, 28341), (33, 1808), (34, 2173), (35, 2580), (36, 4860), (37, 2673),
        (38, 3330), (39, 3739), (40, 8021), (41, 3762), (42, 4368), (43, 5099), (44, 9835), (45, 5009), (46, 6329),
        (47, 9632), (48, 41327), .. Enumerable.Range(49, 15).Select(l => (l, 600)), (64, 1712),
        .. Enumerable.Range(65, 64).Select(l => (l, 40)),
    ];

    public static Ipv4Route[] NestedIpv4(int count, int seed)
    {
        var random = new Random(seed);
        return Nested(count, 32, Ipv4Lengths, random, () => (uint)random.NextInt64())
            .Select(p => new Ipv4Route(new Ipv4Prefix(new Ipv4Address((uint)p.Network), p.Length), RandomNextHop(random)))
            .ToArray();
    }

    /// <summary>IPv6 prefixes crowded, like the real table, into a few dozen /16s of 2000::/3.</summary>
    public static Ipv6Route[] NestedIpv6(int count, int seed)
    {
        var random = new Random(seed);
        var blocks = Enumerable.Range(0, 48).Select(_ => (UInt128)(0x2000 | random.Next(0x2000)) << 112).ToArray();
        UInt128 Base()
        {
            var block = blocks[(int)(blocks.Length * Math.Pow(random.NextDouble(), 2))];
            return block | RandomBits(random) >> 16;
        }
        return Nested(count, 128, Ipv6Lengths, random, Base)
            .Select(p => new Ipv6Route(new Ipv6Prefix(new Ipv6Address(p.Network), p.Length), RandomNextHop(random)))
            .ToArray();
    }

    public static ushort RandomNextHop(Random random) => (ushort)random.Next(1, NextHopId.Max + 1);

    public static UInt128 RandomBits(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        return BinaryPrimitives.ReadUInt128LittleEndian(bytes);
    }

    public static UInt128 Mask(int width, int length)
    {
        var all = width == 128 ? UInt128.MaxValue : (UInt128.One << width) - 1;
        return length == 0 ? UInt128.Zero : all << (width - length) & all;
    }

    /// <summary>A random address inside network/length (of a width-bit family).</summary>
    public static UInt128 Inside(Random random, int width, UInt128 network, int length) =>
        network | RandomBits(random) & ~Mask(width, length) & Mask(width, width);

    private static List<(UInt128 Network, int Length)> Nested(int count, int width, (int Length, int Weight)[] histogram, Random random, Func<UInt128> freeBase)
    {
        var total = histogram.Sum(h => h.Weight);
        int SampleLength()
        {
            var pick = random.Next(total);
            foreach (var (length, weight) in histogram)
            {
                if (pick < weight) return length;
                pick -= weight;
            }
            throw new InvalidOperationException("unreachable: the histogram sums to total");
        }

        var seen = new HashSet<(UInt128, int)>();
        var prefixes = new List<(UInt128 Network, int Length)>(count);
        while (prefixes.Count < count)
        {
            var length = SampleLength();
            UInt128 network;
            if (prefixes.Count > 0 && random.Next(2) == 0)
            {
                var (outer, outerLength) = prefixes[random.Next(prefixes.Count)];
                if (outerLength == length) continue;
                network = outerLength < length ? Inside(random, width, outer, outerLength) : outer;
            }
            else
            {
                network = freeBase();
            }
            var prefix = (network & Mask(width, length), length);
            if (seen.Add(prefix)) prefixes.Add(prefix);
        }
        return prefixes;
    }
}
