using System.Globalization;
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
public sealed class SecureGateway : Device
{
    private readonly EthernetInput _entry;
    private readonly Solicitor _solicitor;
    private readonly GatewayPolicy _policy;
    private readonly Icmp4Error _hostUnreachable4;
    private readonly Icmp6Error _addressUnreachable6;

    /// <summary>A gateway joining <paramref name="networks"/> (at least two, by name); its ports are then given to them with <see cref="AddSide"/>.</summary>
    public SecureGateway(string name, PacketPool pool, IReadOnlyList<string> networks, GatewayOptions? options = null) : base(name, pool)
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
        Stack = new IpStack(this, forwarding: true);
        _policy = new GatewayPolicy(this, [.. networks], Options);
        _solicitor = new Solicitor(Stack);

        var graph = Graph;
        _entry = graph.Add(new EthernetInput(this, mpls: false));
        var arp = graph.Add(new ArpInput(Stack));
        var ip4Input = graph.Add(new Ip4Input());
        var ip4Lookup = graph.Add(new Ip4Lookup(Stack));
        var ip4Local = graph.Add(new Ip4Local(Stack));
        var filter4 = graph.Add(new GatewayFilter4(_policy));
        var limit = graph.Add(new GatewayLimit(_policy, this));
        var translate4 = graph.Add(new GatewayTranslate4(_policy, this));
        var ip4Rewrite = graph.Add(new Ip4Rewrite(Stack, _solicitor));
        var ip4Fragment = graph.Add(new Ip4Fragment(this));
        var ip6Input = graph.Add(new Ip6Input());
        var ip6Lookup = graph.Add(new Ip6Lookup(Stack));
        var ip6Local = graph.Add(new Ip6Local(Stack));
        var filter6 = graph.Add(new GatewayFilter6(_policy));
        var translate6 = graph.Add(new GatewayTranslate6(_policy, this));
        var ip6Rewrite = graph.Add(new Ip6Rewrite(Stack, _solicitor));
        Icmp4Error Icmp4(string what, byte type, byte code) => graph.Add(new Icmp4Error(Stack, $"ip4-icmp-{what}", type, code));
        Icmp6Error Icmp6(string what, byte type, byte code) => graph.Add(new Icmp6Error(Stack, $"ip6-icmp-{what}", type, code));
        var netUnreachable = Icmp4("net-unreachable", Icmpv4Type.DestinationUnreachable, Icmpv4Code.Net);
        var prohibited4 = Icmp4("admin-prohibited", Icmpv4Type.DestinationUnreachable, Icmpv4Code.AdminProhibited);
        var ttlExpired = Icmp4("ttl-expired", Icmpv4Type.TimeExceeded, Icmpv4Code.TtlExceeded);
        var fragNeeded = Icmp4("frag-needed", Icmpv4Type.DestinationUnreachable, Icmpv4Code.FragmentationNeeded);
        _hostUnreachable4 = Icmp4("host-unreachable", Icmpv4Type.DestinationUnreachable, Icmpv4Code.Host);
        var portUnreachable4 = Icmp4("port-unreachable", Icmpv4Type.DestinationUnreachable, Icmpv4Code.Port);
        var protocolUnreachable = Icmp4("protocol-unreachable", Icmpv4Type.DestinationUnreachable, Icmpv4Code.Protocol);
        var noRoute6 = Icmp6("no-route", Icmpv6Type.DestinationUnreachable, 0);
        var prohibited6 = Icmp6("admin-prohibited", Icmpv6Type.DestinationUnreachable, 1);
        var hopLimit = Icmp6("hop-limit-expired", Icmpv6Type.TimeExceeded, 0);
        var tooBig = Icmp6("packet-too-big", Icmpv6Type.PacketTooBig, 0);
        _addressUnreachable6 = Icmp6("address-unreachable", Icmpv6Type.DestinationUnreachable, 3);
        var portUnreachable6 = Icmp6("port-unreachable", Icmpv6Type.DestinationUnreachable, 4);
        var parameterProblem = Icmp6("unknown-next-header", Icmpv6Type.ParameterProblem, 1);

        graph.Connect(_entry, EthernetInput.Ipv4, ip4Input);
        graph.Connect(_entry, EthernetInput.Ipv6, ip6Input);
        graph.Connect(_entry, EthernetInput.Arp, arp);
        graph.Connect(arp, ArpInput.ReplyOut, Output);
        graph.Connect(arp, ArpInput.Resolved, ip4Rewrite);
        graph.Connect(ip4Input, 0, ip4Lookup);
        graph.Connect(ip4Lookup, Ip4Lookup.Rewrite, filter4);
        graph.Connect(ip4Lookup, Ip4Lookup.Local, ip4Local);
        graph.Connect(ip4Lookup, Ip4Lookup.NoRoute, netUnreachable);
        graph.Connect(ip4Lookup, Ip4Lookup.Reject, prohibited4);
        graph.Connect(ip4Local, Ip4Local.Reply, ip4Lookup);
        graph.Connect(ip4Local, Ip4Local.PortUnreachable, portUnreachable4);
        graph.Connect(ip4Local, Ip4Local.ProtocolUnreachable, protocolUnreachable);
        graph.Connect(filter4, GatewayFilter.Allowed, limit);
        graph.Connect(filter4, GatewayFilter.Established, limit);
        graph.Connect(filter4, GatewayFilter.Local, ip4Rewrite);
        graph.Connect(limit, GatewayLimit.Ipv4, translate4);
        graph.Connect(translate4, GatewayTranslate4.Translated, ip4Rewrite);
        graph.Connect(translate4, GatewayTranslate4.Unchanged, ip4Rewrite);
        graph.Connect(ip4Rewrite, IpRewrite.Tx, Output);
        graph.Connect(ip4Rewrite, IpRewrite.TtlExpired, ttlExpired);
        graph.Connect(ip4Rewrite, IpRewrite.TooBig, fragNeeded);
        graph.Connect(ip4Rewrite, IpRewrite.Unreachable, _hostUnreachable4);
        graph.Connect(ip4Rewrite, Ip4Rewrite.Fragment, ip4Fragment);
        graph.Connect(ip4Fragment, 0, ip4Rewrite);
        foreach (var error in new[] { netUnreachable, prohibited4, ttlExpired, fragNeeded, _hostUnreachable4, portUnreachable4, protocolUnreachable })
        {
            graph.Connect(error, 0, ip4Lookup);
        }

        graph.Connect(ip6Input, 0, ip6Lookup);
        graph.Connect(ip6Lookup, Ip6Lookup.Rewrite, filter6);
        graph.Connect(ip6Lookup, Ip6Lookup.Local, ip6Local);
        graph.Connect(ip6Lookup, Ip6Lookup.NoRoute, noRoute6);
        graph.Connect(ip6Lookup, Ip6Lookup.Reject, prohibited6);
        graph.Connect(ip6Local, Ip6Local.Reply, ip6Lookup);
        graph.Connect(ip6Local, Ip6Local.Tx, Output);
        graph.Connect(ip6Local, Ip6Local.Resolved, ip6Rewrite);
        graph.Connect(ip6Local, Ip6Local.PortUnreachable, portUnreachable6);
        graph.Connect(ip6Local, Ip6Local.UnknownNextHeader, parameterProblem);
        graph.Connect(filter6, GatewayFilter.Allowed, limit);
        graph.Connect(filter6, GatewayFilter.Established, limit);
        graph.Connect(filter6, GatewayFilter.Local, ip6Rewrite);
        graph.Connect(limit, GatewayLimit.Ipv6, translate6);
        graph.Connect(translate6, GatewayTranslate6.Translated, ip6Rewrite);
        graph.Connect(translate6, GatewayTranslate6.Unchanged, ip6Rewrite);
        graph.Connect(ip6Rewrite, IpRewrite.Tx, Output);
        graph.Connect(ip6Rewrite, IpRewrite.TtlExpired, hopLimit);
        graph.Connect(ip6Rewrite, IpRewrite.TooBig, tooBig);
        graph.Connect(ip6Rewrite, IpRewrite.Unreachable, _addressUnreachable6);
        foreach (var error in new[] { noRoute6, prohibited6, hopLimit, tooBig, _addressUnreachable6, portUnreachable6, parameterProblem })
        {
            graph.Connect(error, 0, ip6Lookup);
        }
        graph.Seal();
    }

    public override string Kind => "gateway";

    public IpStack Stack { get; }

    /// <summary>The networks the gateway joins, in the order given.</summary>
    public IReadOnlyList<string> Networks { get; }

    public GatewayOptions Options { get; }

    /// <summary>The rules in the order they were added (and are tried); a rule's index is its position here.</summary>
    public IReadOnlyList<GatewayRule> Rules => _policy.Rules;

    public IReadOnlyList<GatewayNat> Nats => _policy.Nats;

    public IReadOnlyList<GatewayRateLimit> RateLimits => [.. _policy.RateLimits];

    /// <summary>Flows tracked now, idle ones not yet aged out included.</summary>
    public int FlowCount => _policy.Flows.Count;

    protected override Element Entry => _entry;

    /// <summary>Adds a port with a MAC derived from the device name (or the one given).</summary>
    public DevicePort AddInterface(string name, MacAddress? mac = null)
    {
        var port = AddPort(name, mac ?? MacAddresses.For(Name, Ports.Count));
        Stack.AddInterface(port.Index, port.Mac);
        Stack.Fib6.Add(new Ipv6Prefix(Stack.Interface(port.Index).LinkLocal, 128), (ushort)Stack.LocalEntryId);
        return port;
    }

    /// <summary>Gives a port an address written as address/length, IPv4 ("10.0.1.1/24") or IPv6 ("2001:db8:1::1/64").</summary>
    public void AddAddress(string port, string addressWithLength)
    {
        var index = PortIndex(port);
        var slash = addressWithLength.IndexOf('/');
        if (slash < 0 || !int.TryParse(addressWithLength.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var length))
        {
            throw new FormatException($"'{addressWithLength}' is not an interface address (expected address/length such as 10.0.1.1/24).");
        }
        var text = addressWithLength.AsSpan(0, slash);
        if (Ipv4Address.TryParse(text, out var v4) && length <= 32) Stack.AddAddress(index, v4, length);
        else if (Ipv6Address.TryParse(text, out var v6) && length <= 128) Stack.AddAddress(index, v6, length);
        else throw new FormatException($"'{addressWithLength}' is not an interface address (expected address/length such as 10.0.1.1/24 or 2001:db8::1/64).");
    }

    /// <summary>Configures a neighbour's MAC on a port (a static ARP or ND entry), IPv4 or IPv6.</summary>
    public void AddStaticNeighbor(string port, string address, MacAddress mac)
    {
        var index = PortIndex(port);
        if (Ipv4Address.TryParse(address, out var v4)) Stack.AddStaticNeighbor(index, IpFamily.Ipv4, v4.Value, mac);
        else if (Ipv6Address.TryParse(address, out var v6)) Stack.AddStaticNeighbor(index, IpFamily.Ipv6, v6.Value, mac);
        else throw new FormatException($"'{address}' is not an IPv4 or IPv6 address.");
    }

    /// <summary>Routes <paramref name="prefix"/> (as senders address it: mapped, for a translated network) through gateways, each reached out of a named port.</summary>
    public void AddRoute(Ipv4Prefix prefix, params (string Port, Ipv4Address Gateway)[] nextHops) =>
        Stack.AddRoute(prefix, nextHops.Select(h => (PortIndex(h.Port), h.Gateway)));

    public void AddRoute(Ipv6Prefix prefix, params (string Port, Ipv6Address Gateway)[] nextHops) =>
        Stack.AddRoute(prefix, nextHops.Select(h => (PortIndex(h.Port), h.Gateway)));

    /// <summary>Puts port <paramref name="port"/> in network <paramref name="network"/>: what enters or leaves by it enters from or leaves to that network.</summary>
    public void AddSide(string port, string network) => _policy.SetNetwork(PortIndex(port), network);

    /// <summary>The network port <paramref name="port"/> belongs to, or null.</summary>
    public string? SideOf(string port) => _policy.NetworkName(PortIndex(port));

    /// <summary>Appends a rule to the policy; returns its index, for <see cref="RuleHits"/>.</summary>
    /// <exception cref="ArgumentException">The rule names a network the gateway does not join, joins a network to itself, mixes address families, or gives ports to ICMP.</exception>
    public int AddRule(GatewayRule rule) => _policy.AddRule(rule);

    /// <summary>Packets rule <paramref name="rule"/> admitted: the first packet of each flow it opened, and each message of a flowless kind (ICMP other than echo).</summary>
    public long RuleHits(int rule) => _policy.Hits(rule);

    /// <summary>Adds a 1:1 prefix translation for one network.</summary>
    /// <exception cref="ArgumentException">Unknown network, prefixes of different families or lengths, or overlapping another mapping of the network.</exception>
    public void AddNat(GatewayNat nat) => _policy.AddNat(nat);

    /// <summary>Sets the rate limit of one direction, replacing the one it had.</summary>
    /// <exception cref="ArgumentException">Unknown network, a network to itself, no bucket given, or a rate or burst not positive.</exception>
    public void SetRateLimit(GatewayRateLimit limit) => _policy.SetRateLimit(limit);

    /// <summary>Resends solicitations for neighbours still unresolved, gives up on those that never answered, and ages the flows.</summary>
    protected override void OnTick()
    {
        var resolving = Stack.Resolving;
        for (var i = resolving.Count - 1; i >= 0; i--)
        {
            var neighbor = resolving[i];
            if (Now - neighbor.LastSolicited < TicksPerSecond * (long)IpStack.RetransmitTime.TotalSeconds) continue;
            if (neighbor.Attempts >= IpStack.MaxSolicitations)
            {
                Stack.Fail(neighbor);
                Element unreachable = neighbor.Family == IpFamily.Ipv4 ? _hostUnreachable4 : _addressUnreachable6;
                while (neighbor.TryDequeue(out var waiting)) Graph.Enqueue(unreachable, waiting);
            }
            else if (_solicitor.TryBuild(Pool, neighbor, out var request))
            {
                Stack.Solicited(neighbor, Now);
                Graph.Enqueue(Output, request);
            }
        }
        _policy.Age();
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
