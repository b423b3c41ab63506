using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Softnet.Wire;

/// <summary>A 20-bit MPLS label value (RFC 3032). Text form is the decimal value.</summary>
public readonly struct MplsLabel : IEquatable<MplsLabel>, IComparable<MplsLabel>, ISpanParsable<MplsLabel>, ISpanFormattable
{
    public const uint MaxValue = 0xF_FFFF;

    /// <summary>Labels below 16 are reserved for special purposes (RFC 3032 section 2.1, RFC 7274).</summary>
    public const uint FirstUnreserved = 16;

    public MplsLabel(uint value)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxValue);
        Value = value;
    }

    public uint Value { get; }

    /// <summary>Label 0: pop and forward the IPv4 packet underneath; only valid at the bottom of the stack.</summary>
    public static MplsLabel Ipv4ExplicitNull => new(0);

    /// <summary>Label 1: deliver to the local control plane for inspection.</summary>
    public static MplsLabel RouterAlert => new(1);

    /// <summary>Label 2: pop and forward the IPv6 packet underneath; only valid at the bottom of the stack.</summary>
    public static MplsLabel Ipv6ExplicitNull => new(2);

    /// <summary>Label 3: advertised by an egress router to request penultimate-hop popping; never sent on the wire.</summary>
    public static MplsLabel ImplicitNull => new(3);

    public bool IsReserved => Value < FirstUnreserved;

    public bool Equals(MplsLabel other) => Value == other.Value;
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is MplsLabel other && Equals(other);
    public override int GetHashCode() => Value.GetHashCode();
    public int CompareTo(MplsLabel other) => Value.CompareTo(other.Value);
    public static bool operator ==(MplsLabel left, MplsLabel right) => left.Equals(right);
    public static bool operator !=(MplsLabel left, MplsLabel right) => !left.Equals(right);

    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        Value.TryFormat(destination, out charsWritten, default, CultureInfo.InvariantCulture);

    /// <summary>Parses a decimal label 0-1048575 without sign, spaces or leading zeros.</summary>
    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out MplsLabel result)
    {
        result = default;
        if (s.IsEmpty || s.Length > 7 || (s.Length > 1 && s[0] == '0')) return false;
        uint value = 0;
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c)) return false;
            value = value * 10 + (uint)(c - '0');
        }
        if (value > MaxValue) return false;
        result = new MplsLabel(value);
        return true;
    }

    public static bool TryParse(ReadOnlySpan<char> s, out MplsLabel result) => TryParse(s, null, out result);
    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out MplsLabel result) => TryParse(s.AsSpan(), provider, out result);

    public static MplsLabel Parse(ReadOnlySpan<char> s, IFormatProvider? provider = null) =>
        TryParse(s, provider, out var result) ? result : throw new FormatException($"'{s}' is not an MPLS label (expected a decimal number from 0 to {MaxValue}).");

    public static MplsLabel Parse(string s, IFormatProvider? provider) => Parse(s.AsSpan(), provider);
}
