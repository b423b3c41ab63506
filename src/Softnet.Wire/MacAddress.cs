using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Softnet.Wire;

/// <summary>A 48-bit IEEE 802 MAC address, held in the low 48 bits of a <see cref="ulong"/>.</summary>
public readonly struct MacAddress : IEquatable<MacAddress>, IComparable<MacAddress>, ISpanParsable<MacAddress>, ISpanFormattable
{
    public const int Size = 6;

    public static MacAddress Broadcast => new(0xFFFF_FFFF_FFFFUL);
    public static MacAddress Zero => default;

    public MacAddress(ulong value) => Value = value & 0xFFFF_FFFF_FFFFUL;

    public ulong Value { get; }

    /// <summary>The I/G bit: set for group (multicast and broadcast) addresses.</summary>
    public bool IsMulticast => (Value & 0x0100_0000_0000UL) != 0;
    public bool IsBroadcast => Value == 0xFFFF_FFFF_FFFFUL;
    public bool IsUnicast => !IsMulticast;

    public static MacAddress Read(ReadOnlySpan<byte> source) =>
        new(((ulong)BinaryPrimitives.ReadUInt16BigEndian(source) << 32) | BinaryPrimitives.ReadUInt32BigEndian(source[2..]));

    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)(Value >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(destination[2..], (uint)Value);
    }

    /// <summary>The multicast MAC that carries an IPv6 multicast group (RFC 2464 section 7).</summary>
    public static MacAddress FromIpv6Multicast(Ipv6Address group) => new(0x3333_0000_0000UL | (uint)group.Value);

    public bool Equals(MacAddress other) => Value == other.Value;
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is MacAddress other && Equals(other);
    public override int GetHashCode() => Value.GetHashCode();
    public int CompareTo(MacAddress other) => Value.CompareTo(other.Value);
    public static bool operator ==(MacAddress left, MacAddress right) => left.Equals(right);
    public static bool operator !=(MacAddress left, MacAddress right) => !left.Equals(right);

    public override string ToString() => ToString(null, null);
    public string ToString(string? format, IFormatProvider? formatProvider)
    {
        Span<char> buffer = stackalloc char[17];
        TryFormat(buffer, out var written, default, null);
        return new string(buffer[..written]);
    }

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        charsWritten = 0;
        if (destination.Length < 17) return false;
        const string hex = "0123456789abcdef";
        for (var i = 0; i < 6; i++)
        {
            var b = (byte)(Value >> (40 - 8 * i));
            var at = i * 3;
            destination[at] = hex[b >> 4];
            destination[at + 1] = hex[b & 0xF];
            if (i < 5) destination[at + 2] = ':';
        }
        charsWritten = 17;
        return true;
    }

    /// <summary>Parses six hexadecimal octets separated by ':' or '-' (for example "02:00:00:00:00:01").</summary>
    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out MacAddress result)
    {
        result = default;
        if (s.Length != 17) return false;
        var separator = s[2];
        if (separator is not (':' or '-')) return false;
        ulong value = 0;
        for (var i = 0; i < 6; i++)
        {
            var at = i * 3;
            if (i < 5 && s[at + 2] != separator) return false;
            var hi = HexValue(s[at]);
            var lo = HexValue(s[at + 1]);
            if (hi < 0 || lo < 0) return false;
            value = (value << 8) | (uint)(hi << 4 | lo);
        }
        result = new MacAddress(value);
        return true;
    }

    public static bool TryParse(ReadOnlySpan<char> s, out MacAddress result) => TryParse(s, null, out result);
    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out MacAddress result) => TryParse(s.AsSpan(), provider, out result);

    public static MacAddress Parse(ReadOnlySpan<char> s, IFormatProvider? provider = null) =>
        TryParse(s, provider, out var result) ? result : throw new FormatException($"'{s}' is not a MAC address (expected six hex octets such as 02:00:00:00:00:01).");

    public static MacAddress Parse(string s, IFormatProvider? provider) => Parse(s.AsSpan(), provider);

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
