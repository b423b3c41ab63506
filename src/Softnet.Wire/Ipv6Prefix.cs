using System.Diagnostics.CodeAnalysis;

namespace Softnet.Wire;

/// <summary>An IPv6 CIDR prefix such as 2001:db8::/32. The network address never has host bits set.</summary>
public readonly struct Ipv6Prefix : IEquatable<Ipv6Prefix>, ISpanParsable<Ipv6Prefix>, ISpanFormattable
{
    /// <summary>Creates the prefix of <paramref name="length"/> bits that contains <paramref name="address"/>; host bits are cleared.</summary>
    public Ipv6Prefix(Ipv6Address address, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, 128);
        Length = length;
        Network = new Ipv6Address(address.Value & MaskOf(length));
    }

    public Ipv6Address Network { get; }
    public int Length { get; }
    public UInt128 Mask => MaskOf(Length);

    public static UInt128 MaskOf(int length) => length == 0 ? UInt128.Zero : UInt128.MaxValue << (128 - length);

    public bool Contains(Ipv6Address address) => (address.Value & Mask) == Network.Value;

    public bool Contains(Ipv6Prefix other) => other.Length >= Length && Contains(other.Network);

    public bool Equals(Ipv6Prefix other) => Network == other.Network && Length == other.Length;
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is Ipv6Prefix other && Equals(other);
    public override int GetHashCode() => HashCode.Combine(Network, Length);
    public static bool operator ==(Ipv6Prefix left, Ipv6Prefix right) => left.Equals(right);
    public static bool operator !=(Ipv6Prefix left, Ipv6Prefix right) => !left.Equals(right);

    public override string ToString() => $"{Network}/{Length}";
    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        destination.TryWrite($"{Network}/{Length}", out charsWritten);

    /// <summary>Parses "address/len"; host bits beyond the length must be zero.</summary>
    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out Ipv6Prefix result)
    {
        result = default;
        var slash = s.IndexOf('/');
        if (slash < 0) return false;
        var lengthText = s[(slash + 1)..];
        if (lengthText.Length is 0 or > 3 || (lengthText.Length > 1 && lengthText[0] == '0')) return false;
        if (!int.TryParse(lengthText, System.Globalization.NumberStyles.None, null, out var length) || length > 128) return false;
        if (!Ipv6Address.TryParse(s[..slash], out var address)) return false;
        if ((address.Value & ~MaskOf(length)) != UInt128.Zero) return false;
        result = new Ipv6Prefix(address, length);
        return true;
    }

    public static bool TryParse(ReadOnlySpan<char> s, out Ipv6Prefix result) => TryParse(s, null, out result);
    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out Ipv6Prefix result) => TryParse(s.AsSpan(), provider, out result);

    public static Ipv6Prefix Parse(ReadOnlySpan<char> s, IFormatProvider? provider = null) =>
        TryParse(s, provider, out var result) ? result : throw new FormatException($"'{s}' is not an IPv6 prefix (expected network/length with no host bits set, such as 2001:db8::/32).");

    public static Ipv6Prefix Parse(string s, IFormatProvider? provider) => Parse(s.AsSpan(), provider);
}
