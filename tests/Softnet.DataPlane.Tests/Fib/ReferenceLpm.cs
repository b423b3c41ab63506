using Softnet.DataPlane.Fib;
using Softnet.Wire;

namespace Softnet.DataPlane.Tests.Fib;

/// <summary>The naive longest-prefix match the FIBs are checked against: one dictionary per length, probed longest first.</summary>
internal sealed class ReferenceLpm
{
    private readonly Dictionary<UInt128, ushort>[] _byLength;
    private readonly UInt128[] _masks;

    public ReferenceLpm(int width)
    {
        _byLength = new Dictionary<UInt128, ushort>[width + 1];
        _masks = new UInt128[width + 1];
        for (var length = 0; length <= width; length++)
        {
            _byLength[length] = [];
            _masks[length] = TestTables.Mask(width, length);
        }
    }

    public int Count => _byLength.Sum(d => d.Count);

    public static ReferenceLpm Of(IEnumerable<Ipv4Route> routes)
    {
        var reference = new ReferenceLpm(32);
        foreach (var route in routes) reference.Set(route.Prefix, route.NextHop);
        return reference;
    }

    public static ReferenceLpm Of(IEnumerable<Ipv6Route> routes)
    {
        var reference = new ReferenceLpm(128);
        foreach (var route in routes) reference.Set(route.Prefix, route.NextHop);
        return reference;
    }

    public void Set(Ipv4Prefix prefix, ushort nextHop) => _byLength[prefix.Length][prefix.Network.Value] = nextHop;
    public void Set(Ipv6Prefix prefix, ushort nextHop) => _byLength[prefix.Length][prefix.Network.Value] = nextHop;
    public bool Remove(Ipv4Prefix prefix) => _byLength[prefix.Length].Remove(prefix.Network.Value);
    public bool Remove(Ipv6Prefix prefix) => _byLength[prefix.Length].Remove(prefix.Network.Value);

    public ushort Lookup(uint address) => Lookup((UInt128)address);

    public ushort Lookup(UInt128 address)
    {
        for (var length = _byLength.Length - 1; length >= 0; length--)
        {
            var dictionary = _byLength[length];
            if (dictionary.Count > 0 && dictionary.TryGetValue(address & _masks[length], out var nextHop)) return nextHop;
        }
        return NextHopId.NoRoute;
    }

    public IEnumerable<(UInt128 Network, int Length, ushort NextHop)> Entries() =>
        _byLength.SelectMany((d, length) => d.Select(e => (e.Key, length, e.Value)));
}
