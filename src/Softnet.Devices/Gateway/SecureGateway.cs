using Softnet.DataPlane;
using Softnet.Devices.Ip;
using Softnet.Devices.Ip.Ipv4;
using Softnet.Devices.Ip.Ipv6;
using Softnet.Wire;

namespace Softnet.Devices.Gateway;

/// <summary>
/// The secure gateway of SPEC section 5, the only path between the software networks it joins: an IPv4/IPv6 router
/// whose every crossing interface belongs to one of those networks, and whose forwarding path adds, between the
/// lookup and the rewrite, a default-deny stateful policy (<see cref="GatewayFilter"/>), per-direction rate limits
/// (<see cref="GatewayLimit"/>) and static prefix NAT for overlapping address spaces (<see cref="GatewayTranslate4"/>,
/// <see cref="GatewayTranslate6"/>). It routes on the destination as the sender addressed it (mapped, when the
/// destination's network is translated). What is addressed to the gateway itself (ARP, neighbour discovery, pings)
/// is answered as a router answers it, and its own packets (replies, ICMP errors) pass without the policy.
/// </summary>
/// <remarks>
/// Its graph is the router's (<see cref="IpDevice"/>, without MPLS) with the gateway's elements spliced in:
/// ip4-lookup → gateway-ip4 → gateway-limit → gateway-ip4-nat → ip4-rewrite, and the same for IPv6.
/// </remarks>
public sealed class SecureGateway : IpDevice
{
    private readonly GatewayPolicy _policy;

    /// <summary>A gateway joining <paramref name="networks"/> (at least two, by name); its ports are then given to them with <see cref="AddSide"/>.</summary>
    public SecureGateway(string name, PacketPool pool, IReadOnlyList<string> networks, GatewayOptions? options = null)
        : base(name, pool, forwarding: true, mpls: false, seal: false)
    {
        ArgumentNullException.ThrowIfNull(networks);
        if (networks.Count < 2) throw new ArgumentException($"Gateway '{name}' must join at least two networks (got {networks.Count}).", nameof(networks));
        if (networks.Any(string.IsNullOrWhiteSpace)) throw new ArgumentException($"Gateway '{name}': a network name is empty.", nameof(networks));
        if (networks.Distinct().Count() != networks.Count) throw new ArgumentException($"Gateway '{name}' names a network twice: {string.Join(", ", networks)}.", nameof(networks));
        Options = options ?? new GatewayOptions();
        if (Options.FlowCapacity is < 1 or > FlowTable.MaxCapacity)
        {
            throw new ArgumentException($"Gateway '{name}': the flow capacity must be between 1 and {FlowTable.MaxCapacity} (got {Options.FlowCapacity}).", nameof(options));
        }
        if (Options.FlowIdleTimeout <= TimeSpan.Zero) throw new ArgumentException($"Gateway '{name}': the flow idle timeout must be positive (got {Options.FlowIdleTimeout}).", nameof(options));
        Networks = [.. networks];
        _policy = new GatewayPolicy(this, [.. networks], Options);

        var graph = Graph;
        var filter4 = graph.Add(new GatewayFilter4(_policy));
        var filter6 = graph.Add(new GatewayFilter6(_policy));
        var limit = graph.Add(new GatewayLimit(_policy, this));
        var translate4 = graph.Add(new GatewayTranslate4(_policy, this));
        var translate6 = graph.Add(new GatewayTranslate6(_policy, this));
        graph.Connect(Ip4Lookup, Ip4Lookup.Rewrite, filter4);
        graph.Connect(filter4, GatewayFilter.Allowed, limit);
        graph.Connect(filter4, GatewayFilter.Established, limit);
        graph.Connect(filter4, GatewayFilter.Local, Ip4Rewrite);
        graph.Connect(Ip6Lookup, Ip6Lookup.Rewrite, filter6);
        graph.Connect(filter6, GatewayFilter.Allowed, limit);
        graph.Connect(filter6, GatewayFilter.Established, limit);
        graph.Connect(filter6, GatewayFilter.Local, Ip6Rewrite);
        graph.Connect(limit, GatewayLimit.Ipv4, translate4);
        graph.Connect(limit, GatewayLimit.Ipv6, translate6);
        graph.Connect(translate4, GatewayTranslate4.Translated, Ip4Rewrite);
        graph.Connect(translate4, GatewayTranslate4.Unchanged, Ip4Rewrite);
        graph.Connect(translate6, GatewayTranslate6.Translated, Ip6Rewrite);
        graph.Connect(translate6, GatewayTranslate6.Unchanged, Ip6Rewrite);
        graph.Seal();
    }

    public override string Kind => "gateway";

    /// <summary>The networks the gateway joins, in the order given.</summary>
    public IReadOnlyList<string> Networks { get; }

    public GatewayOptions Options { get; }

    /// <summary>The rules in the order they were added (and are tried); a rule's index is its position here.</summary>
    public IReadOnlyList<GatewayRule> Rules => _policy.Rules;

    public IReadOnlyList<GatewayNat> Nats => _policy.Nats;

    public IReadOnlyList<GatewayRateLimit> RateLimits => [.. _policy.RateLimits];

    /// <summary>Flows tracked now, idle ones not yet aged out included.</summary>
    public int FlowCount => _policy.Flows.Count;

    /// <summary>Puts port <paramref name="port"/> in network <paramref name="network"/>: what enters or leaves by it enters from or leaves to that network.</summary>
    public void AddSide(string port, string network) => _policy.SetNetwork(PortIndex(port), network);

    /// <summary>The network port <paramref name="port"/> belongs to, or null.</summary>
    public string? SideOf(string port) => _policy.NetworkName(PortIndex(port));

    /// <summary>Appends a rule to the policy; returns its index, for <see cref="RuleHits"/>.</summary>
    /// <exception cref="ArgumentException">The rule names a network the gateway does not join, joins a network to itself, mixes address families, or gives ports to ICMP.</exception>
    public int AddRule(GatewayRule rule) => _policy.AddRule(rule);

    /// <summary>Packets rule <paramref name="rule"/> admitted: the first packet of each flow it opened, and each message of a flowless kind (ICMP other than echo).</summary>
    public long RuleHits(int rule) => _policy.Hits(rule);

    /// <summary>
    /// The rule that admits a new flow entering from network <paramref name="from"/> and leaving to network
    /// <paramref name="to"/>: its index in <see cref="Rules"/>, or -1 when none does (default deny).
    /// <paramref name="destination"/> is as the sender addressed it (mapped, when <paramref name="to"/> is translated);
    /// <paramref name="protocol"/> is the IP protocol number. This is what the policy element asks of a packet of no
    /// live flow, by the same code; nothing changes: no flow opens and no hit is counted.
    /// </summary>
    /// <exception cref="ArgumentException">The gateway joins no such network.</exception>
    public int RuleFor(string from, string to, byte protocol, Ipv4Address source, Ipv4Address destination, ushort sourcePort = 0, ushort destinationPort = 0) =>
        RuleFor(IpFamily.Ipv4, from, to, protocol, source.Value, destination.Value, sourcePort, destinationPort);

    /// <inheritdoc cref="RuleFor(string, string, byte, Ipv4Address, Ipv4Address, ushort, ushort)"/>
    public int RuleFor(string from, string to, byte protocol, Ipv6Address source, Ipv6Address destination, ushort sourcePort = 0, ushort destinationPort = 0) =>
        RuleFor(IpFamily.Ipv6, from, to, protocol, source.Value, destination.Value, sourcePort, destinationPort);

    /// <summary>What the NAT makes of a destination <paramref name="address"/> as a packet enters <paramref name="network"/>: the real address behind a mapped one, else itself.</summary>
    public Ipv4Address RealAddress(string network, Ipv4Address address) =>
        new((uint)_policy.ToReal(_policy.NetworkIndex(network, nameof(network)), IpFamily.Ipv4, address.Value));

    /// <inheritdoc cref="RealAddress(string, Ipv4Address)"/>
    public Ipv6Address RealAddress(string network, Ipv6Address address) =>
        new(_policy.ToReal(_policy.NetworkIndex(network, nameof(network)), IpFamily.Ipv6, address.Value));

    /// <summary>What the NAT makes of a source <paramref name="address"/> as a packet leaves <paramref name="network"/>: how the other networks see it.</summary>
    public Ipv4Address MappedAddress(string network, Ipv4Address address) =>
        new((uint)_policy.ToMapped(_policy.NetworkIndex(network, nameof(network)), IpFamily.Ipv4, address.Value));

    /// <inheritdoc cref="MappedAddress(string, Ipv4Address)"/>
    public Ipv6Address MappedAddress(string network, Ipv6Address address) =>
        new(_policy.ToMapped(_policy.NetworkIndex(network, nameof(network)), IpFamily.Ipv6, address.Value));

    /// <summary>Adds a 1:1 prefix translation for one network.</summary>
    /// <exception cref="ArgumentException">Unknown network, prefixes of different families or lengths, or overlapping another mapping of the network.</exception>
    public void AddNat(GatewayNat nat) => _policy.AddNat(nat);

    /// <summary>Sets the rate limit of one direction, replacing the one it had.</summary>
    /// <exception cref="ArgumentException">Unknown network, a network to itself, no bucket given, or a rate or burst not positive.</exception>
    public void SetRateLimit(GatewayRateLimit limit) => _policy.SetRateLimit(limit);

    /// <summary>Does what every IP device does each tick, then ages the flows.</summary>
    protected override void OnTick()
    {
        base.OnTick();
        _policy.Age();
    }

    private int RuleFor(IpFamily family, string from, string to, byte protocol, UInt128 source, UInt128 destination, ushort sourcePort, ushort destinationPort)
    {
        var (f, t) = (_policy.NetworkIndex(from, nameof(from)), _policy.NetworkIndex(to, nameof(to)));
        var key = _policy.KeyOf(family, f, t, protocol, source, destination, sourcePort, destinationPort);
        return _policy.Match(in key, t);
    }

    private int PortIndex(string port)
    {
        foreach (var p in Ports)
        {
            if (p.Name == port) return p.Index;
        }
        throw new ArgumentException($"Gateway '{Name}' has no port '{port}' (it has: {string.Join(", ", Ports.Select(p => p.Name))}).", nameof(port));
    }
}
