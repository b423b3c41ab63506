using Softnet.DataPlane.Fib;
using Softnet.Wire;

namespace Softnet.Cli.Bench.RoutingData;

/// <summary>
/// The route tables benchmarks use, built from <see cref="RoutingData"/>. Every prefix gets a next hop among
/// <c>neighbours</c> ids (1..neighbours) from a hash of the prefix, so a prefix has the same next hop in every table.
/// </summary>
public static class RoutingTables
{
    /// <summary>The real IPv4 prefixes as they are (about 565,000, not nested).</summary>
    public const string Ipv4RealTableName = "ipv4_real_table";

    /// <summary>The real IPv4 prefixes grown with nested more-specifics and aggregates to <see cref="Ipv4FullTableSize"/>.</summary>
    public const string Ipv4FullTableName = "ipv4_full_table";

    /// <summary>The real IPv6 prefixes as they are (about 168,000, not nested).</summary>
    public const string Ipv6RealTableName = "ipv6_real_table";

    /// <summary>The real IPv6 prefixes grown the same way to <see cref="Ipv6FullTableSize"/>.</summary>
    public const string Ipv6FullTableName = "ipv6_full_table";

    /// <summary>A little above the 1.04 million IPv4 prefixes of the 2025 default-free zone.</summary>
    public const int Ipv4FullTableSize = 1_100_000;

    /// <summary>A little above the roughly 230,000 IPv6 prefixes of the 2025 default-free zone.</summary>
    public const int Ipv6FullTableSize = 250_000;

    public const int DefaultNeighbours = 16;
    public const ulong DefaultSeed = 1;

    public static Ipv4Route[] Ipv4RealTable(RoutingData data, int neighbours = DefaultNeighbours) =>
        ToIpv4Routes(data.Ipv4Prefixes.Select(p => ((UInt128)p.Network.Value, p.Length)).Distinct(), neighbours);

    public static Ipv4Route[] Ipv4FullTable(RoutingData data, ulong seed = DefaultSeed, int size = Ipv4FullTableSize, int neighbours = DefaultNeighbours) =>
        ToIpv4Routes(TableAugmenter.Augment([.. data.Ipv4Prefixes.Select(p => ((UInt128)p.Network.Value, p.Length))], 32, size, seed), neighbours);

    public static Ipv6Route[] Ipv6RealTable(RoutingData data, int neighbours = DefaultNeighbours) =>
        ToIpv6Routes(data.Ipv6Prefixes.Select(p => (p.Network.Value, p.Length)).Distinct(), neighbours);

    public static Ipv6Route[] Ipv6FullTable(RoutingData data, ulong seed = DefaultSeed, int size = Ipv6FullTableSize, int neighbours = DefaultNeighbours) =>
        ToIpv6Routes(TableAugmenter.Augment([.. data.Ipv6Prefixes.Select(p => (p.Network.Value, p.Length))], 128, size, seed), neighbours);

    private static Ipv4Route[] ToIpv4Routes(IEnumerable<(UInt128 Network, int Length)> prefixes, int neighbours)
    {
        ValidateNeighbours(neighbours);
        return [.. prefixes.Select(p => new Ipv4Route(new Ipv4Prefix(new Ipv4Address((uint)p.Network), p.Length), NextHop(p.Network, p.Length, neighbours)))];
    }

    private static Ipv6Route[] ToIpv6Routes(IEnumerable<(UInt128 Network, int Length)> prefixes, int neighbours)
    {
        ValidateNeighbours(neighbours);
        return [.. prefixes.Select(p => new Ipv6Route(new Ipv6Prefix(new Ipv6Address(p.Network), p.Length), NextHop(p.Network, p.Length, neighbours)))];
    }

    private static void ValidateNeighbours(int neighbours)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(neighbours, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(neighbours, NextHopId.Max);
    }

    private static ushort NextHop(UInt128 network, int length, int neighbours) =>
        (ushort)(1 + SplitMix64.Mix((ulong)(network >> 64) ^ SplitMix64.Mix((ulong)network ^ (ulong)length)) % (ulong)neighbours);
}
