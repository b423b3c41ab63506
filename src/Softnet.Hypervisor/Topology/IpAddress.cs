using Softnet.Wire;

namespace Softnet.Hypervisor.Topology;

/// <summary>An IPv4 or IPv6 address as written in a topology file.</summary>
public readonly record struct IpAddress
{
    private IpAddress(Ipv4Address? v4, Ipv6Address? v6) => (V4, V6) = (v4, v6);

    public Ipv4Address? V4 { get; }
    public Ipv6Address? V6 { get; }
    public bool IsIpv4 => V4.HasValue;

    public static IpAddress From(Ipv4Address address) => new(address, null);
    public static IpAddress From(Ipv6Address address) => new(null, address);

    public static bool TryParse(string text, out IpAddress result)
    {
        if (Ipv4Address.TryParse(text, null, out var v4)) { result = From(v4); return true; }
        if (text.Contains(':') && Ipv6Address.TryParse(text, null, out var v6)) { result = From(v6); return true; }
        result = default;
        return false;
    }

    public override string ToString() => V4?.ToString() ?? V6?.ToString() ?? "";
}
