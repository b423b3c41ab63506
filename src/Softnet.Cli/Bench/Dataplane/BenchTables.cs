using Softnet.Cli.Bench.RoutingData;
using Softnet.DataPlane.Fib;
using RealRoutes = Softnet.Cli.Bench.RoutingData.RoutingData;

namespace Softnet.Cli.Bench.Dataplane;

/// <summary>
/// The route tables of the routing workloads, built from the real routing data on first use and shared by the
/// workloads that need the same one. Loading fails softly: <see cref="TryLoad"/> reports why, and the workloads
/// that need the data are skipped.
/// </summary>
internal sealed class BenchTables(Func<RealRoutes> load)
{
    private RealRoutes? _data;
    private string? _failure;
    private Ipv4Route[]? _ipv4Full;
    private Ipv4Route[]? _ipv4Real;
    private Ipv6Route[]? _ipv6Full;
    private int? _ipv6RealCount;

    /// <summary>Tables from @ip-location-db/asn in the repository's cache, fetched with npm when absent.</summary>
    public static BenchTables FromPackage() => new(() => RealRoutes.Load());

    /// <summary>True once <see cref="TryLoad"/> has been called, whatever its outcome.</summary>
    public bool Tried => _data is not null || _failure is not null;

    /// <summary>Loads the routing data once; false (with npm's or the parser's reason) when it cannot be had.</summary>
    public bool TryLoad(out string failure)
    {
        if (_data is null && _failure is null)
        {
            try
            {
                _data = load();
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or InvalidDataException or FormatException or UnauthorizedAccessException)
            {
                _failure = e.Message;
            }
        }
        failure = _failure ?? "";
        return _data is not null;
    }

    private RealRoutes Data => _data ?? throw new InvalidOperationException("The routing data is not loaded (call TryLoad first).");

    /// <summary>The real IPv4 prefixes grown to about 1.1 million (see <see cref="RoutingTables.Ipv4FullTable"/>).</summary>
    public Ipv4Route[] Ipv4Full => _ipv4Full ??= RoutingTables.Ipv4FullTable(Data);

    /// <summary>The real IPv4 prefixes alone.</summary>
    public Ipv4Route[] Ipv4Real => _ipv4Real ??= RoutingTables.Ipv4RealTable(Data);

    /// <summary>The real IPv6 prefixes grown to 250,000 (see <see cref="RoutingTables.Ipv6FullTable"/>).</summary>
    public Ipv6Route[] Ipv6Full => _ipv6Full ??= RoutingTables.Ipv6FullTable(Data);

    /// <summary>How many distinct real IPv6 prefixes <see cref="Ipv6Full"/> was grown from.</summary>
    public int Ipv6RealCount => _ipv6RealCount ??= RoutingTables.Ipv6RealTable(Data).Length;
}
