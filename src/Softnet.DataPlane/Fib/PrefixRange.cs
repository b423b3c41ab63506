using Softnet.Wire;

namespace Softnet.DataPlane.Fib;

/// <summary>Turns an inclusive address range into the fewest CIDR prefixes that cover exactly that range.</summary>
public static class PrefixRange
{
    /// <summary>The minimal prefixes covering <paramref name="first"/>..<paramref name="last"/>, in address order.</summary>
    public static IEnumerable<Ipv4Prefix> Summarize(Ipv4Address first, Ipv4Address last)
    {
        if (first.Value > last.Value) throw new ArgumentException($"The range {first}-{last} starts after it ends.", nameof(first));
        return Summarize(first.Value, last.Value, 32).Select(p => new Ipv4Prefix(new Ipv4Address((uint)p.Network), p.Length));
    }

    /// <inheritdoc cref="Summarize(Ipv4Address, Ipv4Address)"/>
    public static IEnumerable<Ipv6Prefix> Summarize(Ipv6Address first, Ipv6Address last)
    {
        if (first.Value > last.Value) throw new ArgumentException($"The range {first}-{last} starts after it ends.", nameof(first));
        return Summarize(first.Value, last.Value, 128).Select(p => new Ipv6Prefix(new Ipv6Address(p.Network), p.Length));
    }

    // Each step takes the largest block that starts at `first` (bounded by its trailing zero bits) and still fits
    // in what is left of the range (bounded by log2 of the remaining size).
    private static IEnumerable<(UInt128 Network, int Length)> Summarize(UInt128 first, UInt128 last, int width)
    {
        while (true)
        {
            var remaining = last - first;
            var sizeBits = remaining == UInt128.MaxValue ? 128 : (int)UInt128.Log2(remaining + 1);
            var alignBits = Math.Min((int)UInt128.TrailingZeroCount(first), width);
            var bits = Math.Min(sizeBits, alignBits);
            yield return (first, width - bits);
            var blockLast = bits == 128 ? UInt128.MaxValue : first + ((UInt128.One << bits) - 1);
            if (blockLast == last) yield break;
            first = blockLast + 1;
        }
    }
}
