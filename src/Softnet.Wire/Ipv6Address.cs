using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace Softnet.Wire;

/// <summary>An IPv6 address as a host-order <see cref="UInt128"/> (the first octet on the wire is the most significant).</summary>
public readonly struct Ipv6Address : IEquatable<Ipv6Address>, IComparable<Ipv6Address>, ISpanParsable<Ipv6Address>, ISpanFormattable
{
    public const int Size = 16;

    private static readonly SearchValues<char> TextChars = SearchValues.Create("0123456789abcdefABCDEF:.");

    public static Ipv6Address Unspecified => default;
    public static Ipv6Address Loopback => new(UInt128.One);

    /// <summary>ff02::1, all nodes on the link.</summary>
    public static Ipv6Address AllNodes => new(new UInt128(0xFF02_0000_0000_0000UL, 1));

    /// <summary>ff02::2, all routers on the link.</summary>
    public static Ipv6Address AllRouters => new(new UInt128(0xFF02_0000_0000_0000UL, 2));

    public Ipv6Address(UInt128 value) => Value = value;

    public Ipv6Address(ulong upper, ulong lower) => Value = new UInt128(upper, lower);

    public UInt128 Value { get; }

    public ulong Upper => (ulong)(Value >> 64);
    public ulong Lower => (ulong)Value;

    public bool IsMulticast => (Upper >> 56) == 0xFF;
    public bool IsLinkLocal => (Upper >> 54) == 0x3FA; // fe80::/10
    public bool IsUnspecified => Value == UInt128.Zero;

    /// <summary>The solicited-node multicast group ff02::1:ffXX:XXXX of this address (RFC 4291 section 2.7.1).</summary>
    public Ipv6Address SolicitedNodeMulticast => new(0xFF02_0000_0000_0000UL, 0x0000_0001_FF00_0000UL | (Lower & 0xFF_FFFF));

    /// <summary>The link-local address fe80::/64 with a modified EUI-64 interface id from <paramref name="mac"/> (RFC 4291 appendix A).</summary>
    public static Ipv6Address LinkLocalFromMac(MacAddress mac)
    {
        var m = mac.Value;
        var iid = ((m >> 24) << 40) | (0xFFFEUL << 24) | (m & 0xFF_FFFF);
        iid ^= 0x0200_0000_0000_0000UL;
        return new Ipv6Address(0xFE80_0000_0000_0000UL, iid);
    }

    public static Ipv6Address Read(ReadOnlySpan<byte> source) =>
        new(BinaryPrimitives.ReadUInt64BigEndian(source), BinaryPrimitives.ReadUInt64BigEndian(source[8..]));

    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, Upper);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], Lower);
    }

    public bool Equals(Ipv6Address other) => Value == other.Value;
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is Ipv6Address other && Equals(other);
    public override int GetHashCode() => Value.GetHashCode();
    public int CompareTo(Ipv6Address other) => Value.CompareTo(other.Value);
    public static bool operator ==(Ipv6Address left, Ipv6Address right) => left.Equals(right);
    public static bool operator !=(Ipv6Address left, Ipv6Address right) => !left.Equals(right);

    public override string ToString() => ToString(null, null);
    public string ToString(string? format, IFormatProvider? formatProvider) => ToIPAddress().ToString();

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        ToIPAddress().TryFormat(destination, out charsWritten);

    /// <summary>
    /// Parses RFC 4291 text (compressed, full, or with an embedded IPv4 tail in strict dotted-quad form); zone ids,
    /// brackets, ports and whitespace are refused.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out Ipv6Address result)
    {
        result = default;
        if (s.ContainsAnyExcept(TextChars) || s.IndexOf(':') < 0) return false;
        var tail = s[(s.LastIndexOf(':') + 1)..];
        if (tail.Contains('.') && !Ipv4Address.TryParse(tail, out _)) return false;
        if (!IPAddress.TryParse(s, out var ip) || ip.AddressFamily != AddressFamily.InterNetworkV6) return false;
        Span<byte> bytes = stackalloc byte[16];
        ip.TryWriteBytes(bytes, out _);
        result = Read(bytes);
        return true;
    }

    public static bool TryParse(ReadOnlySpan<char> s, out Ipv6Address result) => TryParse(s, null, out result);
    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out Ipv6Address result) => TryParse(s.AsSpan(), provider, out result);

    public static Ipv6Address Parse(ReadOnlySpan<char> s, IFormatProvider? provider = null) =>
        TryParse(s, provider, out var result) ? result : throw new FormatException($"'{s}' is not an IPv6 address (expected RFC 4291 text such as 2001:db8::1).");

    public static Ipv6Address Parse(string s, IFormatProvider? provider) => Parse(s.AsSpan(), provider);

    /// <summary>The same address as a <see cref="IPAddress"/>, for sockets and other APIs outside the data path.</summary>
    public IPAddress ToIPAddress()
    {
        Span<byte> bytes = stackalloc byte[16];
        WriteTo(bytes);
        return new IPAddress(bytes);
    }
}
