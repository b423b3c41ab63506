namespace Softnet.Wire;

/// <summary>ARP operation codes (RFC 826).</summary>
public static class ArpOperation
{
    public const ushort Request = 1;
    public const ushort Reply = 2;
}
