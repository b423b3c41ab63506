using Softnet.DataPlane.Fib;

namespace Softnet.Cli.Bench.RoutingData;

/// <summary>
/// Benchmark destinations spread over the routed space: each picks a route uniformly among the table's routes,
/// then a uniform address inside its prefix. The same routes and seed always give the same destinations.
/// </summary>
public static class DestinationGenerator
{
    public static void Fill(ReadOnlySpan<Ipv4Route> routes, ulong seed, Span<uint> destinations)
    {
        if (routes.IsEmpty) throw new ArgumentException("There are no routes to draw destinations from.", nameof(routes));
        var random = new SplitMix64(seed);
        for (var i = 0; i < destinations.Length; i++)
        {
            var prefix = routes[random.NextBelow(routes.Length)].Prefix;
            destinations[i] = prefix.Network.Value | (uint)random.Next() & ~prefix.Mask;
        }
    }

    public static void Fill(ReadOnlySpan<Ipv6Route> routes, ulong seed, Span<UInt128> destinations)
    {
        if (routes.IsEmpty) throw new ArgumentException("There are no routes to draw destinations from.", nameof(routes));
        var random = new SplitMix64(seed);
        for (var i = 0; i < destinations.Length; i++)
        {
            var prefix = routes[random.NextBelow(routes.Length)].Prefix;
            destinations[i] = prefix.Network.Value | random.Next128() & ~prefix.Mask;
        }
    }
}
