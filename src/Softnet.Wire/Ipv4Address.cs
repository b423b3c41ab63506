using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Softnet.Wire;

/// <summary>An IPv4 address as a host-order <see cref="uint"/> (10.0.0.1 is 0x0A000001).</summary>
public readonly struct Ipv4Address : IEquatable<Ipv4Address>, IComparable<Ipv4Address>, ISpanParsable<Ipv4Address>, ISpanFormattable
{
    public const int Size = 4;

    public static Ipv4Address Any => default;
    public static Ipv4Address Broadcast => new(uint.MaxValue);

    public Ipv4Address(uint value) => Value = value;

    public Ipv4Address(byte a, byte b, byte c, byte d) => Value = (uint)(a << 24 | b << 16 | c << 8 | d);

    public uint Value { get; }

    public bool IsMulticast => (Value >> 28) == 0xE;
    public bool IsBroadcast => Value == uint.MaxValue;
    public bool IsLoopback => (Value >> 24) == 127;
    public bool IsUnspecified => Value == 0;

    public static Ipv4Address Read(ReadOnlySpan<byte> source) => new(BinaryPrimitives.ReadUInt32BigEndian(source));

    public void WriteTo(Span<byte> destination) => BinaryPrimitives.WriteUInt32BigEndian(destination, Value);

    /// <summary>The same address as a <see cref="System.Net.IPAddress"/>, for sockets and other APIs outside the data path.</summary>
    public System.Net.IPAddress ToIPAddress()
    {
        Span<byte> bytes = stackalloc byte[Size];
        WriteTo(bytes);
        return new System.Net.IPAddress(bytes);
    }

    public bool Equals(Ipv4Address other) => Value == other.Value;
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is Ipv4Address other && Equals(other);
    public override int GetHashCode() => Value.GetHashCode();
    public int CompareTo(Ipv4Address other) => Value.CompareTo(other.Value);
    public static bool operator ==(Ipv4Address left, Ipv4Address right) => left.Equals(right);
    public static bool operator !=(Ipv4Address left, Ipv4Address right) => !left.Equals(right);

    public override string ToString() => ToString(null, null);
    public string ToString(string? format, IFormatProvider? formatProvider)
    {
        Span<char> buffer = stackalloc char[15];
        TryFormat(buffer, out var written, default, null);
        return new string(buffer[..written]);
    }

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        charsWritten = 0;
        for (var i = 0; i < 4; i++)
        {
            if (i > 0)
            {
                if (charsWritten >= destination.Length) return false;
                destination[charsWritten++] = '.';
            }
            var octet = (byte)(Value >> (24 - 8 * i));
            if (!octet.TryFormat(destination[charsWritten..], out var n)) return false;
            charsWritten += n;
        }
        return true;
    }

    /// <summary>Parses strict dotted-quad notation: four decimal octets, no leading zeros, no shorthand.</summary>
    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out Ipv4Address result)
    {
        result = default;
        uint value = 0;
        var octets = 0;
        var i = 0;
        while (octets < 4)
        {
            var start = i;
            var octet = 0;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                octet = octet * 10 + (s[i] - '0');
                if (octet > 255 || i - start >= 3) return false;
                i++;
            }
            var digits = i - start;
            if (digits == 0 || (digits > 1 && s[start] == '0')) return false;
            value = (value << 8) | (uint)octet;
            octets++;
            if (octets < 4)
            {
                if (i >= s.Length || s[i] != '.') return false;
                i++;
            }
        }
        if (i != s.Length) return false;
        result = new Ipv4Address(value);
        return true;
    }

    public static bool TryParse(ReadOnlySpan<char> s, out Ipv4Address result) => TryParse(s, null, out result);
    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out Ipv4Address result) => TryParse(s.AsSpan(), provider, out result);

    public static Ipv4Address Parse(ReadOnlySpan<char> s, IFormatProvider? provider = null) =>
        TryParse(s, provider, out var result) ? result : throw new FormatException($"'{s}' is not an IPv4 address (expected dotted quad such as 10.0.0.1).");

    public static Ipv4Address Parse(string s, IFormatProvider? provider) => Parse(s.AsSpan(), provider);
}
