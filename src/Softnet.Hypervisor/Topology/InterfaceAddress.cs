using Softnet.Wire;

namespace Softnet.Hypervisor.Topology;

/// <summary>An interface address with its subnet length, "10.0.1.1/24": host bits are allowed, unlike a prefix.</summary>
public readonly record struct InterfaceAddress(IpAddress Address, IpPrefix Subnet)
{
    /// <summary>Parses "address/length"; the address must not be the subnet's network address when the subnet has hosts.</summary>
    public static bool TryParse(string text, out InterfaceAddress result)
    {
        result = default;
        var slash = text.IndexOf('/');
        if (slash <= 0 || !int.TryParse(text.AsSpan(slash + 1), System.Globalization.NumberStyles.None, null, out var length)) return false;
        if (!IpAddress.TryParse(text[..slash], out var address)) return false;
        if (address.V4 is { } v4)
        {
            if (length > 32) return false;
            result = new(address, IpPrefix.From(new Ipv4Prefix(v4, length)));
            return true;
        }
        if (length > 128) return false;
        result = new(address, IpPrefix.From(new Ipv6Prefix(address.V6!.Value, length)));
        return true;
    }

    public override string ToString() => $"{Address}/{(Subnet.V4?.Length ?? Subnet.V6!.Value.Length)}";
}
