using System.Diagnostics.CodeAnalysis;
using Softnet.Devices.Ip;
using Softnet.Wire;

namespace Softnet.Devices.Gateway;

/// <summary>
/// The addresses a gateway rule or NAT mapping covers: an IPv4 prefix, an IPv6 prefix, or <see cref="Any"/> address
/// of either family. Converts implicitly from <see cref="Ipv4Prefix"/> and <see cref="Ipv6Prefix"/>; parses
/// <c>any</c>, <c>10.0.0.0/8</c> or <c>2001:db8::/32</c>.
/// </summary>
public readonly struct GatewayPrefix : IEquatable<GatewayPrefix>, ISpanParsable<GatewayPrefix>, ISpanFormattable
{
    private readonly Ipv4Prefix _v4;
    private readonly Ipv6Prefix _v6;

    public GatewayPrefix(Ipv4Prefix prefix)
    {
        _v4 = prefix;
        Family = IpFamily.Ipv4;
    }

    public GatewayPrefix(Ipv6Prefix prefix)
    {
        _v6 = prefix;
        Family = IpFamily.Ipv6;
    }

    /// <summary>Every address of both families.</summary>
    public static GatewayPrefix Any => default;

    /// <summary>The family of the prefix; null for <see cref="Any"/>.</summary>
    public IpFamily? Family { get; }

    public bool IsAny => Family is null;
    public Ipv4Prefix? Ipv4 => Family == IpFamily.Ipv4 ? _v4 : null;
    public Ipv6Prefix? Ipv6 => Family == IpFamily.Ipv6 ? _v6 : null;
    public int Length => Family switch { IpFamily.Ipv4 => _v4.Length, IpFamily.Ipv6 => _v6.Length, _ => 0 };

    /// <summary>The network as the data path compares addresses: an IPv4 address in the low 32 bits.</summary>
    internal UInt128 Network => Family switch { IpFamily.Ipv4 => _v4.Network.Value, IpFamily.Ipv6 => _v6.Network.Value, _ => UInt128.Zero };

    internal UInt128 Mask => Family switch { IpFamily.Ipv4 => _v4.Mask, IpFamily.Ipv6 => _v6.Mask, _ => UInt128.Zero };

    /// <summary>True when the two share an address (one contains the other); <see cref="Any"/> overlaps everything.</summary>
    public bool Overlaps(GatewayPrefix other)
    {
        if (IsAny || other.IsAny) return true;
        if (Family != other.Family) return false;
        var mask = Length < other.Length ? Mask : other.Mask;
        return (Network & mask) == (other.Network & mask);
    }

    public static implicit operator GatewayPrefix(Ipv4Prefix prefix) => new(prefix);
    public static implicit operator GatewayPrefix(Ipv6Prefix prefix) => new(prefix);

    public bool Equals(GatewayPrefix other) => Family == other.Family && _v4 == other._v4 && _v6 == other._v6;
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is GatewayPrefix other && Equals(other);
    public override int GetHashCode() => HashCode.Combine(Family, _v4, _v6);
    public static bool operator ==(GatewayPrefix left, GatewayPrefix right) => left.Equals(right);
    public static bool operator !=(GatewayPrefix left, GatewayPrefix right) => !left.Equals(right);

    public override string ToString() => Family switch { IpFamily.Ipv4 => _v4.ToString(), IpFamily.Ipv6 => _v6.ToString(), _ => "any" };
    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) => Family switch
    {
        IpFamily.Ipv4 => _v4.TryFormat(destination, out charsWritten, format, provider),
        IpFamily.Ipv6 => _v6.TryFormat(destination, out charsWritten, format, provider),
        _ => destination.TryWrite($"any", out charsWritten),
    };

    /// <summary>Parses <c>any</c> or an IPv4 or IPv6 prefix with no host bits set.</summary>
    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out GatewayPrefix result)
    {
        result = default;
        if (s.SequenceEqual("any")) return true;
        if (Ipv4Prefix.TryParse(s, provider, out var v4)) result = v4;
        else if (Ipv6Prefix.TryParse(s, provider, out var v6)) result = v6;
        else return false;
        return true;
    }

    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out GatewayPrefix result) => TryParse(s.AsSpan(), provider, out result);

    public static GatewayPrefix Parse(ReadOnlySpan<char> s, IFormatProvider? provider = null) =>
        TryParse(s, provider, out var result) ? result : throw new FormatException($"'{s}' is not a gateway prefix (expected any, an IPv4 prefix such as 10.0.0.0/8 or an IPv6 prefix such as 2001:db8::/32).");

    public static GatewayPrefix Parse(string s, IFormatProvider? provider) => Parse(s.AsSpan(), provider);
}
