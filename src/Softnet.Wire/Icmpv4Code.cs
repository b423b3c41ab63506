namespace Softnet.Wire;

/// <summary>ICMPv4 codes for Destination Unreachable (RFC 792, RFC 1812) and Time Exceeded.</summary>
public static class Icmpv4Code
{
    public const byte Net = 0;
    public const byte Host = 1;
    public const byte Protocol = 2;
    public const byte Port = 3;

    /// <summary>Fragmentation needed and DF set; the next-hop MTU is in the low 16 bits of the rest of header (RFC 1191).</summary>
    public const byte FragmentationNeeded = 4;

    public const byte AdminProhibited = 13;

    /// <summary>Time Exceeded: TTL exceeded in transit.</summary>
    public const byte TtlExceeded = 0;
}
