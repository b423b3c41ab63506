namespace Softnet.Wire;

/// <summary>
/// A Neighbor Solicitation or Advertisement with its optional link-layer address option: Source Link-Layer Address
/// for a solicitation, Target Link-Layer Address for an advertisement. The IPv6 hop limit of 255 is the IP layer's to check.
/// </summary>
public readonly record struct NdpRepr(byte Type, Ipv6Address TargetAddress, MacAddress? LinkLayerAddress)
{
    private const int LinkLayerOptionLength = 8;

    public bool Router { get; init; }
    public bool Solicited { get; init; }
    public bool Override { get; init; }

    public int BufferLength => NdpNeighborMessage.MinLength + (LinkLayerAddress is null ? 0 : LinkLayerOptionLength);

    /// <summary>The option type that carries <see cref="LinkLayerAddress"/> for this message type.</summary>
    public byte LinkLayerOptionType => OptionTypeFor(Type);

    public static NdpRepr Solicitation(Ipv6Address target, MacAddress? sourceLinkLayerAddress) =>
        new(Icmpv6Type.NeighborSolicitation, target, sourceLinkLayerAddress);

    public static NdpRepr Advertisement(Ipv6Address target, MacAddress? targetLinkLayerAddress, bool router, bool solicited, bool @override) =>
        new(Icmpv6Type.NeighborAdvertisement, target, targetLinkLayerAddress) { Router = router, Solicited = solicited, Override = @override };

    /// <summary>
    /// Checks the message without its checksum: NS or NA type, code 0, a non-multicast target, well-formed options.
    /// Use the overload with addresses to check the checksum and the address rules as well.
    /// </summary>
    public static bool TryParse(in NdpNeighborMessage message, out NdpRepr repr)
    {
        repr = default;
        var icmp = message.Icmp;
        if (icmp.Type is not (Icmpv6Type.NeighborSolicitation or Icmpv6Type.NeighborAdvertisement) || icmp.Code != 0
            || message.TargetAddress.IsMulticast || !message.HasWellFormedOptions())
        {
            return false;
        }
        MacAddress? linkLayerAddress = message.TryGetLinkLayerOption(OptionTypeFor(icmp.Type), out var mac) ? mac : null;
        var isAdvertisement = icmp.Type == Icmpv6Type.NeighborAdvertisement;
        repr = new NdpRepr(icmp.Type, message.TargetAddress, linkLayerAddress)
        {
            Router = isAdvertisement && message.Router,
            Solicited = isAdvertisement && message.Solicited,
            Override = isAdvertisement && message.Override,
        };
        return true;
    }

    /// <summary>
    /// Also checks the checksum and the RFC 4861 rules that involve the IPv6 addresses: a solicitation from the
    /// unspecified address carries no link-layer option, and a solicited advertisement is not sent to a multicast group.
    /// </summary>
    public static bool TryParse(in NdpNeighborMessage message, Ipv6Address source, Ipv6Address destination, out NdpRepr repr)
    {
        if (!message.Icmp.VerifyChecksum(source, destination) || !TryParse(message, out repr)) return Fail(out repr);
        if (repr.Type == Icmpv6Type.NeighborSolicitation && source.IsUnspecified && repr.LinkLayerAddress is not null) return Fail(out repr);
        if (repr.Type == Icmpv6Type.NeighborAdvertisement && repr.Solicited && destination.IsMulticast) return Fail(out repr);
        return true;
    }

    /// <summary>Writes the message with a zero checksum.</summary>
    public void Emit(NdpNeighborMessage message)
    {
        var icmp = message.Icmp;
        icmp.Type = Type;
        icmp.Code = 0;
        icmp.Checksum = 0;
        icmp.RestOfHeader = 0;
        message.Router = Router;
        message.Solicited = Solicited;
        message.Override = Override;
        message.TargetAddress = TargetAddress;
        if (LinkLayerAddress is { } mac)
        {
            var option = message.Options;
            option[0] = LinkLayerOptionType;
            option[1] = LinkLayerOptionLength / 8;
            mac.WriteTo(option[2..]);
        }
    }

    /// <summary>Writes the message and its checksum for the given IPv6 source and destination.</summary>
    public void Emit(NdpNeighborMessage message, Ipv6Address source, Ipv6Address destination)
    {
        Emit(message);
        message.Icmp.FillChecksum(source, destination);
    }

    private static byte OptionTypeFor(byte type) =>
        type == Icmpv6Type.NeighborSolicitation ? NdpOptionType.SourceLinkLayerAddress : NdpOptionType.TargetLinkLayerAddress;

    private static bool Fail(out NdpRepr repr)
    {
        repr = default;
        return false;
    }
}
