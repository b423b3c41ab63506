namespace Softnet.Devices.Gateway;

/// <summary>The transport a gateway rule admits; <see cref="Icmp"/> is ICMPv4 over IPv4 and ICMPv6 over IPv6.</summary>
public enum GatewayProtocol
{
    Any,
    Tcp,
    Udp,
    Icmp,
}

/// <summary>An inclusive range of TCP/UDP ports.</summary>
public readonly record struct PortRange(ushort First, ushort Last)
{
    public static PortRange Single(ushort port) => new(port, port);

    public bool Contains(ushort port) => port >= First && port <= Last;

    public override string ToString() => First == Last ? $"{First}" : $"{First}-{Last}";
}

/// <summary>
/// One entry of a gateway's policy, which denies whatever no rule admits: traffic that enters from the network
/// <paramref name="From"/> and leaves to the network <paramref name="To"/>, from <paramref name="Source"/> (an address
/// space of <paramref name="From"/>) to <paramref name="Destination"/> (the real addresses of <paramref name="To"/>,
/// whatever NAT shows of them to <paramref name="From"/>), of <paramref name="Protocol"/>, and when
/// <paramref name="DestinationPorts"/> is given, TCP or UDP to one of those ports. An admitted packet opens a flow
/// whose replies cross back until the flow is idle for the gateway's timeout.
/// </summary>
public sealed record GatewayRule(
    string From,
    string To,
    GatewayPrefix Source,
    GatewayPrefix Destination,
    GatewayProtocol Protocol = GatewayProtocol.Any,
    PortRange? DestinationPorts = null)
{
    public override string ToString() =>
        $"{From} -> {To}: {Source} -> {Destination} {Protocol.ToString().ToLowerInvariant()}{(DestinationPorts is { } ports ? $" port {ports}" : "")}";
}
