namespace Softnet.Cli.Bench.RoutingData;

/// <summary>
/// Grows a set of real prefixes, which do not nest, into a table that nests like a real Internet table. Each added
/// prefix takes a length drawn from the real prefixes (so the length distribution stays the real one) and a real
/// prefix drawn at random: if the length is longer it becomes a more-specific at a random place inside that prefix
/// (deaggregation, traffic engineering); if shorter, the aggregate that covers it; equal lengths draw again.
/// </summary>
/// <remarks>Prefixes are (network, length) pairs in a <c>width</c>-bit space with the network in the low bits of a UInt128.</remarks>
internal static class TableAugmenter
{
    public static List<(UInt128 Network, int Length)> Augment(IReadOnlyList<(UInt128 Network, int Length)> real, int width, int target, ulong seed)
    {
        if (real.Count == 0) throw new ArgumentException("There are no real prefixes to augment.", nameof(real));
        var random = new SplitMix64(seed);
        var table = new HashSet<(UInt128, int)>(real);
        var all = width == 128 ? UInt128.MaxValue : (UInt128.One << width) - 1;
        UInt128 Mask(int length) => length == 0 ? UInt128.Zero : all << (width - length) & all;

        for (var attempts = 0L; table.Count < target; attempts++)
        {
            if (attempts > 100L * target)
                throw new InvalidOperationException($"Only {table.Count} distinct prefixes could be grown from the {real.Count} real ones, short of {target}.");
            var length = real[random.NextBelow(real.Count)].Length;
            var (network, realLength) = real[random.NextBelow(real.Count)];
            if (length == realLength) continue;
            var added = length > realLength ? network | random.Next128() & ~Mask(realLength) & Mask(length) : network & Mask(length);
            table.Add((added, length));
        }
        var result = table.ToList();
        result.Sort();
        return result;
    }
}
