using System.Globalization;

namespace Softnet.Cli.Bench.E2e;

/// <summary>Round-trip times of <c>ping</c> from h1 to h2, one per reply, in microseconds.</summary>
public static class PingRtt
{
    /// <summary>Seconds between echo requests (below 0.2 s needs root, which the bench has).</summary>
    public const double IntervalSeconds = 0.005;

    /// <summary>Sends <paramref name="count"/> echo requests; returns the RTT of every reply (fewer when some were lost).</summary>
    internal static IReadOnlyList<double> Run(RoutedPath path, int count, CancellationToken cancellation)
    {
        var output = NamespaceProcess.Run(path.ClientNamespace,
            ["ping", "-n", "-c", count.ToString(CultureInfo.InvariantCulture), "-i", IntervalSeconds.ToString(CultureInfo.InvariantCulture), "-W", "1", RoutedPath.ServerAddress],
            TimeSpan.FromSeconds(count * IntervalSeconds * 4 + 10), cancellation);
        return Parse(output);
    }

    /// <summary>The <c>time=X ms</c> of every reply line of iputils ping's output, in microseconds; duplicates are left out.</summary>
    public static IReadOnlyList<double> Parse(string output)
    {
        var rtts = new List<double>();
        foreach (var line in output.AsSpan().EnumerateLines())
        {
            var at = line.IndexOf(" time=");
            if (at < 0 || line.Contains("DUP!", StringComparison.Ordinal)) continue;
            var value = line[(at + " time=".Length)..];
            var end = value.IndexOf(' ');
            if (end < 0 || !value[end..].StartsWith(" ms", StringComparison.Ordinal)) continue;
            rtts.Add(double.Parse(value[..end], NumberStyles.Float, CultureInfo.InvariantCulture) * 1000);
        }
        return rtts;
    }
}
