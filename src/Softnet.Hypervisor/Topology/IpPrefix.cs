using Softnet.Wire;

namespace Softnet.Hypervisor.Topology;

/// <summary>
/// An IPv4 or IPv6 prefix (no host bits set), such as a route destination. Ordered IPv4 before IPv6, then by network
/// address, then by length: the order of routes in a forwarding plan.
/// </summary>
public readonly record struct IpPrefix : IComparable<IpPrefix>
{
    private IpPrefix(Ipv4Prefix? v4, Ipv6Prefix? v6) => (V4, V6) = (v4, v6);

    public Ipv4Prefix? V4 { get; }
    public Ipv6Prefix? V6 { get; }
    public bool IsIpv4 => V4.HasValue;

    public static IpPrefix From(Ipv4Prefix prefix) => new(prefix, null);
    public static IpPrefix From(Ipv6Prefix prefix) => new(null, prefix);

    public static bool TryParse(string text, out IpPrefix result)
    {
        if (Ipv4Prefix.TryParse(text, null, out var v4)) { result = From(v4); return true; }
        if (Ipv6Prefix.TryParse(text, null, out var v6)) { result = From(v6); return true; }
        result = default;
        return false;
    }

    public bool Contains(IpAddress address) =>
        V4 is { } p4 ? address.V4 is { } a4 && p4.Contains(a4) : address.V6 is { } a6 && V6!.Value.Contains(a6);

    /// <summary>True when the two prefixes share at least one address (one contains the other).</summary>
    public bool Overlaps(IpPrefix other) =>
        V4 is { } p4 ? other.V4 is { } o4 && (p4.Contains(o4) || o4.Contains(p4))
                     : other.V6 is { } o6 && (V6!.Value.Contains(o6) || o6.Contains(V6.Value));

    public int CompareTo(IpPrefix other)
    {
        if (IsIpv4 != other.IsIpv4) return IsIpv4 ? -1 : 1;
        if (V4 is { } a4)
        {
            var b4 = other.V4!.Value;
            var byNetwork = a4.Network.CompareTo(b4.Network);
            return byNetwork != 0 ? byNetwork : a4.Length.CompareTo(b4.Length);
        }
        var (a6, b6) = (V6!.Value, other.V6!.Value);
        var byNetwork6 = a6.Network.CompareTo(b6.Network);
        return byNetwork6 != 0 ? byNetwork6 : a6.Length.CompareTo(b6.Length);
    }

    public override string ToString() => V4?.ToString() ?? V6?.ToString() ?? "";
}
