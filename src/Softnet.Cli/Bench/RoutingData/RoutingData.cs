using Softnet.DataPlane.Fib;
using Softnet.Wire;

namespace Softnet.Cli.Bench.RoutingData;

/// <summary>
/// The real prefixes of the Internet routing table as @ip-location-db/asn publishes them: each "first,last,asn,org"
/// line is an announced address range, split here into the fewest CIDR prefixes that cover it exactly.
/// </summary>
public sealed class RoutingData
{
    private RoutingData(int ipv4Ranges, Ipv4Prefix[] ipv4, int ipv6Ranges, Ipv6Prefix[] ipv6)
    {
        Ipv4RangeCount = ipv4Ranges;
        Ipv4Prefixes = ipv4;
        Ipv6RangeCount = ipv6Ranges;
        Ipv6Prefixes = ipv6;
    }

    public int Ipv4RangeCount { get; }
    public IReadOnlyList<Ipv4Prefix> Ipv4Prefixes { get; }
    public int Ipv6RangeCount { get; }
    public IReadOnlyList<Ipv6Prefix> Ipv6Prefixes { get; }

    /// <summary>Fetches the package if needed (see <see cref="AsnPackage.Fetch"/>) and reads both files.</summary>
    public static RoutingData Load(string? cacheDirectory = null)
    {
        var directory = AsnPackage.Fetch(cacheDirectory ?? AsnPackage.DefaultCacheDirectory);
        using var ipv4 = File.OpenText(Path.Combine(directory, AsnPackage.Ipv4FileName));
        using var ipv6 = File.OpenText(Path.Combine(directory, AsnPackage.Ipv6FileName));
        return Parse(ipv4, ipv6);
    }

    /// <summary>Reads the two range files; blank lines are skipped, anything else not "first,last[,...]" is an error naming its line.</summary>
    public static RoutingData Parse(TextReader ipv4Csv, TextReader ipv6Csv)
    {
        var ipv4 = ReadRanges<Ipv4Address>(ipv4Csv, "IPv4");
        var ipv6 = ReadRanges<Ipv6Address>(ipv6Csv, "IPv6");
        return new RoutingData(
            ipv4.Count, [.. ipv4.SelectMany(r => PrefixRange.Summarize(r.First, r.Last))],
            ipv6.Count, [.. ipv6.SelectMany(r => PrefixRange.Summarize(r.First, r.Last))]);
    }

    private static List<(TAddress First, TAddress Last)> ReadRanges<TAddress>(TextReader reader, string family)
        where TAddress : ISpanParsable<TAddress>, IComparable<TAddress>
    {
        var ranges = new List<(TAddress, TAddress)>();
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var text = line.AsSpan();
            var comma = text.IndexOf(',');
            var rest = comma < 0 ? [] : text[(comma + 1)..];
            var second = rest.IndexOf(',');
            if (comma < 0
                || !TAddress.TryParse(text[..comma].Trim(), null, out var first)
                || !TAddress.TryParse((second < 0 ? rest : rest[..second]).Trim(), null, out var last)
                || first.CompareTo(last) > 0)
            {
                throw new FormatException($"{family} line {lineNumber}: '{line}' is not 'first,last[,...]' with two {family} addresses, first <= last.");
            }
            ranges.Add((first, last));
        }
        return ranges;
    }
}
