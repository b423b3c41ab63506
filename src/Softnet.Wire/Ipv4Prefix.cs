using System.Diagnostics.CodeAnalysis;

namespace Softnet.Wire;

/// <summary>An IPv4 CIDR prefix such as 10.0.0.0/8. The network address never has host bits set.</summary>
public readonly struct Ipv4Prefix : IEquatable<Ipv4Prefix>, ISpanParsable<Ipv4Prefix>, ISpanFormattable
{
    /// <summary>Creates the prefix of <paramref name="length"/> bits that contains <paramref name="address"/>; host bits are cleared.</summary>
    public Ipv4Prefix(Ipv4Address address, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, 32);
        Length = length;
        Network = new Ipv4Address(address.Value & MaskOf(length));
    }

    public Ipv4Address Network { get; }
    public int Length { get; }
    public uint Mask => MaskOf(Length);

    public static uint MaskOf(int length) => length == 0 ? 0 : uint.MaxValue << (32 - length);

    public bool Contains(Ipv4Address address) => (address.Value & Mask) == Network.Value;

    public bool Contains(Ipv4Prefix other) => other.Length >= Length && Contains(other.Network);

    public bool Equals(Ipv4Prefix other) => Network == other.Network && Length == other.Length;
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is Ipv4Prefix other && Equals(other);
    public override int GetHashCode() => HashCode.Combine(Network, Length);
    public static bool operator ==(Ipv4Prefix left, Ipv4Prefix right) => left.Equals(right);
    public static bool operator !=(Ipv4Prefix left, Ipv4Prefix right) => !left.Equals(right);

    public override string ToString() => $"{Network}/{Length}";
    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        destination.TryWrite($"{Network}/{Length}", out charsWritten);

    /// <summary>Parses "a.b.c.d/len"; host bits beyond the length must be zero.</summary>
    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out Ipv4Prefix result)
    {
        result = default;
        var slash = s.IndexOf('/');
        if (slash < 0) return false;
        var lengthText = s[(slash + 1)..];
        if (lengthText.Length is 0 or > 2 || (lengthText.Length == 2 && lengthText[0] == '0')) return false;
        if (!int.TryParse(lengthText, System.Globalization.NumberStyles.None, null, out var length) || length > 32) return false;
        if (!Ipv4Address.TryParse(s[..slash], out var address)) return false;
        if ((address.Value & ~MaskOf(length)) != 0) return false;
        result = new Ipv4Prefix(address, length);
        return true;
    }

    public static bool TryParse(ReadOnlySpan<char> s, out Ipv4Prefix result) => TryParse(s, null, out result);
    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out Ipv4Prefix result) => TryParse(s.AsSpan(), provider, out result);

    public static Ipv4Prefix Parse(ReadOnlySpan<char> s, IFormatProvider? provider = null) =>
        TryParse(s, provider, out var result) ? result : throw new FormatException($"'{s}' is not an IPv4 prefix (expected network/length with no host bits set, such as 10.1.0.0/16).");

    public static Ipv4Prefix Parse(string s, IFormatProvider? provider) => Parse(s.AsSpan(), provider);
}
