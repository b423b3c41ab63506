using Softnet.Devices.Gateway;

namespace Softnet.Hypervisor.Topology;

/// <summary>
/// A secure gateway (SPEC 5), the only path between the software networks it joins: one side per network, a
/// default-deny policy of <see cref="Rules"/>, per-direction <see cref="Limits"/>, and its own share of the node
/// (<see cref="Tokens"/>), scheduled like a network's.
/// </summary>
public sealed record GatewaySpec(
    string Name,
    int Tokens,
    IReadOnlyList<GatewaySideSpec> Sides,
    IReadOnlyList<GatewayRuleSpec> Rules,
    IReadOnlyList<GatewayLimitSpec> Limits)
{
    /// <summary>The networks joined, in the order of the sides.</summary>
    public IEnumerable<string> Networks => Sides.Select(s => s.Network);

    /// <summary>The side in network <paramref name="network"/>; throws <see cref="InvalidOperationException"/> when there is none.</summary>
    public GatewaySideSpec this[string network] => Sides.First(s => s.Network == network);
}

/// <summary>
/// The gateway's interface <see cref="Interface"/> in <see cref="Network"/>, linked to <see cref="Endpoint"/>, a port
/// of that network left free by its links. <see cref="Nat"/> shows the network's addresses to the other sides under
/// other prefixes; <see cref="Routes"/> (whose <see cref="StaticRoute.Port"/> is <see cref="Interface"/>) route
/// destinations as senders address them: mapped, for a network behind NAT.
/// </summary>
public sealed record GatewaySideSpec(
    string Network,
    string Interface,
    IReadOnlyList<InterfaceAddress> Addresses,
    Endpoint Endpoint,
    IReadOnlyList<GatewayNatSpec> Nat,
    IReadOnlyList<StaticRoute> Routes);

/// <summary>A 1:1 prefix translation: addresses in <see cref="Real"/> appear to the gateway's other networks with the same host part under <see cref="Mapped"/>.</summary>
public sealed record GatewayNatSpec(IpPrefix Real, IpPrefix Mapped);

/// <summary>
/// Traffic the policy admits from network <see cref="From"/> to network <see cref="To"/>: from <see cref="Source"/>
/// (as <see cref="From"/> numbers it) to <see cref="Destination"/> (as <see cref="To"/> numbers it, before any NAT shows
/// it to <see cref="From"/>), null meaning any address, of <see cref="Protocol"/> and, when <see cref="Ports"/> is set,
/// TCP or UDP to one of those ports. Replies of an admitted flow cross back without a rule.
/// </summary>
public sealed record GatewayRuleSpec(
    string From,
    string To,
    IpPrefix? Source,
    IpPrefix? Destination,
    GatewayProtocol Protocol,
    PortRange? Ports);

/// <summary>
/// The most traffic entering from <see cref="From"/> may take from <see cref="To"/>: packets and/or bits per second,
/// each bucket holding <see cref="Burst"/> worth of its rate.
/// </summary>
public sealed record GatewayLimitSpec(string From, string To, long? PacketsPerSecond, long? BitsPerSecond, TimeSpan Burst)
{
    /// <summary>The burst when the file gives none.</summary>
    public static TimeSpan DefaultBurst { get; } = TimeSpan.FromMilliseconds(10);
}
