namespace Softnet.Wire;

/// <summary>Neighbor Discovery option types (RFC 4861 section 4.6).</summary>
public static class NdpOptionType
{
    public const byte SourceLinkLayerAddress = 1;
    public const byte TargetLinkLayerAddress = 2;
    public const byte PrefixInformation = 3;
    public const byte RedirectedHeader = 4;
    public const byte Mtu = 5;
}
