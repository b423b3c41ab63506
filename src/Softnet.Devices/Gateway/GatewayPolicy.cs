using Softnet.DataPlane;
using Softnet.Devices.Ip;
using Softnet.Wire;

namespace Softnet.Devices.Gateway;

/// <summary>What the gateway's policy decides for a packet crossing from one network to another.</summary>
internal enum Admission
{
    /// <summary>A rule admitted it (and opened a flow if it is stateful).</summary>
    Allowed,

    /// <summary>It belongs to a live flow, in either direction.</summary>
    Established,

    /// <summary>No flow and no rule: default deny.</summary>
    Denied,

    /// <summary>A rule admitted it but no flow could be opened for it.</summary>
    FlowTableFull,
}

/// <summary>
/// The state a gateway's elements share, changed only by the gateway's control methods on its thread: the network of
/// each port, the rules of each direction, the NAT mappings of each network, the rate limit of each direction and
/// the flow table. Networks are numbered in the order the gateway declared them; direction (from, to) is
/// <c>from * networks + to</c>.
/// </summary>
internal sealed class GatewayPolicy
{
    private readonly Device _device;
    private readonly string[] _networks;
    private readonly TimeSpan _idleTimeout;
    private readonly List<GatewayRule> _rules = [];
    private readonly List<GatewayNat> _nats = [];
    private readonly CompiledRule[][] _rulesByDirection;
    private readonly NatMapping[][] _natsByNetwork;
    private readonly RateLimiter?[] _limits;
    private int[] _networkOfPort = [];
    private long[] _hits = [];
    private long _timeoutTicksPerSecond;
    private long _timeoutTicks;

    public GatewayPolicy(Device device, string[] networks, GatewayOptions options)
    {
        _device = device;
        _networks = networks;
        _idleTimeout = options.FlowIdleTimeout;
        Flows = new FlowTable(options.FlowCapacity);
        _rulesByDirection = [.. Enumerable.Repeat<CompiledRule[]>([], networks.Length * networks.Length)];
        _natsByNetwork = [.. Enumerable.Repeat<NatMapping[]>([], networks.Length)];
        _limits = new RateLimiter?[networks.Length * networks.Length];
    }

    public FlowTable Flows { get; }
    public IReadOnlyList<GatewayRule> Rules => _rules;
    public IReadOnlyList<GatewayNat> Nats => _nats;
    public IEnumerable<GatewayRateLimit> RateLimits => _limits.OfType<RateLimiter>().Select(l => l.Limit);

    /// <summary>One name per direction between two different networks, in direction order: <c>{prefix}blue->red</c>.</summary>
    public string[] DirectionNames(string prefix) =>
        [.. from f in _networks from t in _networks where f != t select $"{prefix}{f}->{t}"];

    /// <summary>The index of direction (from, to) among <see cref="DirectionNames"/>; the networks differ.</summary>
    public int DirectionIndex(int from, int to) => from * (_networks.Length - 1) + (to < from ? to : to - 1);

    /// <summary>The network of port <paramref name="port"/>, or -1 when it belongs to none.</summary>
    public int NetworkOf(int port) => (uint)port < (uint)_networkOfPort.Length ? _networkOfPort[port] : -1;

    public string? NetworkName(int port) => NetworkOf(port) is var network and >= 0 ? _networks[network] : null;

    public RateLimiter? Limit(int from, int to) => _limits[from * _networks.Length + to];

    public long Hits(int rule)
    {
        if ((uint)rule >= (uint)_rules.Count) throw new ArgumentOutOfRangeException(nameof(rule), rule, $"Gateway '{_device.Name}' has {_rules.Count} rules.");
        return _hits[rule];
    }

    /// <summary>
    /// Judges a packet entering from network <c>key.Side</c> and leaving to <paramref name="leavesTo"/>: a live flow
    /// admits it, else the first rule of that direction that matches it, opening a flow when <paramref name="stateful"/>.
    /// </summary>
    public Admission Admit(in FlowKey key, int leavesTo, bool stateful)
    {
        var now = _device.Now;
        if (stateful && Flows.TryTouch(in key, leavesTo, now, IdleTimeoutTicks())) return Admission.Established;
        var rule = Match(in key, leavesTo);
        if (rule < 0) return Admission.Denied;
        if (stateful && !Flows.TryAdd(in key, key.Reply((byte)leavesTo), now)) return Admission.FlowTableFull;
        _hits[rule]++;
        return Admission.Allowed;
    }

    /// <summary>Frees the flows that have been idle too long (a slice of the table per call).</summary>
    public void Age() => Flows.Age(_device.Now, _device.TicksPerSecond, IdleTimeoutTicks());

    /// <summary>The real address behind <paramref name="address"/> as network <paramref name="network"/> is seen from the others (itself when not mapped).</summary>
    public UInt128 ToReal(int network, IpFamily family, UInt128 address)
    {
        foreach (ref readonly var nat in _natsByNetwork[network].AsSpan())
        {
            if (nat.Family == family && (address & nat.Mask) == nat.Mapped) return nat.Real | (address & ~nat.Mask);
        }
        return address;
    }

    /// <summary>How the other networks see <paramref name="address"/> of network <paramref name="network"/> (itself when not mapped).</summary>
    public UInt128 ToMapped(int network, IpFamily family, UInt128 address)
    {
        foreach (ref readonly var nat in _natsByNetwork[network].AsSpan())
        {
            if (nat.Family == family && (address & nat.Mask) == nat.Real) return nat.Mapped | (address & ~nat.Mask);
        }
        return address;
    }

    public void SetNetwork(int port, string network)
    {
        var index = NetworkIndex(network, nameof(network));
        if (NetworkOf(port) is var current and >= 0 && current != index)
        {
            throw new ArgumentException($"Port '{_device.PortAt(port).Name}' of gateway '{_device.Name}' already belongs to network '{_networks[current]}'.", nameof(port));
        }
        if (port >= _networkOfPort.Length)
        {
            var grown = Enumerable.Repeat(-1, port + 1).ToArray();
            _networkOfPort.CopyTo(grown, 0);
            _networkOfPort = grown;
        }
        _networkOfPort[port] = index;
    }

    public int AddRule(GatewayRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var from = NetworkIndex(rule.From, nameof(rule));
        var to = NetworkIndex(rule.To, nameof(rule));
        if (from == to) throw new ArgumentException($"Rule '{rule}': a gateway rule joins two different networks.", nameof(rule));
        if (rule.Source.Family is { } s && rule.Destination.Family is { } d && s != d)
        {
            throw new ArgumentException($"Rule '{rule}': its source and destination are of different address families.", nameof(rule));
        }
        if (!Enum.IsDefined(rule.Protocol)) throw new ArgumentException($"Rule '{rule}': unknown protocol {(int)rule.Protocol}.", nameof(rule));
        if (rule.DestinationPorts is { } ports)
        {
            if (rule.Protocol == GatewayProtocol.Icmp) throw new ArgumentException($"Rule '{rule}': ports apply only to TCP and UDP, not ICMP.", nameof(rule));
            if (ports.First > ports.Last) throw new ArgumentException($"Rule '{rule}': port range {ports.First}-{ports.Last} is empty.", nameof(rule));
        }
        var index = _rules.Count;
        _rules.Add(rule);
        Array.Resize(ref _hits, _rules.Count);
        var direction = from * _networks.Length + to;
        _rulesByDirection[direction] = [.. _rulesByDirection[direction], CompiledRule.From(index, rule)];
        return index;
    }

    public void AddNat(GatewayNat nat)
    {
        ArgumentNullException.ThrowIfNull(nat);
        var network = NetworkIndex(nat.Side, nameof(nat));
        if (nat.Real.Family is not { } family || nat.Mapped.Family != family)
        {
            throw new ArgumentException($"NAT '{nat}': the real and mapped prefixes must both be IPv4 or both IPv6.", nameof(nat));
        }
        if (nat.Real.Length != nat.Mapped.Length)
        {
            throw new ArgumentException($"NAT '{nat}': the real and mapped prefixes must have the same length (a 1:1 mapping).", nameof(nat));
        }
        foreach (var other in _nats)
        {
            if (other.Side != nat.Side) continue;
            if (other.Real.Overlaps(nat.Real)) throw new ArgumentException($"NAT '{nat}': its real prefix overlaps that of '{other}'.", nameof(nat));
            if (other.Mapped.Overlaps(nat.Mapped)) throw new ArgumentException($"NAT '{nat}': its mapped prefix overlaps that of '{other}'.", nameof(nat));
        }
        _nats.Add(nat);
        _natsByNetwork[network] = [.. _natsByNetwork[network], new NatMapping(family, nat.Real.Network, nat.Mapped.Network, nat.Real.Mask)];
    }

    /// <summary>Sets the limit of a direction, replacing any it had (its buckets start full).</summary>
    public void SetRateLimit(GatewayRateLimit limit)
    {
        ArgumentNullException.ThrowIfNull(limit);
        var from = NetworkIndex(limit.From, nameof(limit));
        var to = NetworkIndex(limit.To, nameof(limit));
        if (from == to) throw new ArgumentException($"Rate limit {limit.From} -> {limit.To}: a direction joins two different networks.", nameof(limit));
        if (limit.Packets is null && limit.Bits is null) throw new ArgumentException($"Rate limit {limit.From} -> {limit.To}: set packets, bits or both.", nameof(limit));
        foreach (var (what, rate) in new[] { ("packets", limit.Packets), ("bits", limit.Bits) })
        {
            if (rate is { } r && (r.PerSecond <= 0 || r.Burst <= 0))
            {
                throw new ArgumentException($"Rate limit {limit.From} -> {limit.To}: the {what} rate and burst must be positive (got {r.PerSecond}/s, burst {r.Burst}).", nameof(limit));
            }
        }
        _limits[from * _networks.Length + to] = new RateLimiter(limit);
    }

    /// <summary>
    /// The key of a packet entering from network <paramref name="from"/> and leaving to network <paramref name="to"/>,
    /// addressed to <paramref name="destination"/> as the sender sees it: its destination made real, as flows and rules see it.
    /// </summary>
    public FlowKey KeyOf(IpFamily family, int from, int to, byte protocol, UInt128 source, UInt128 destination, ushort sourcePort, ushort destinationPort) =>
        new(family, (byte)from, protocol, source, ToReal(to, family, destination), sourcePort, destinationPort);

    /// <summary>The index of the first rule of direction (<c>key.Side</c>, <paramref name="leavesTo"/>) that matches <paramref name="key"/>; -1 when none does.</summary>
    public int Match(in FlowKey key, int leavesTo)
    {
        foreach (ref readonly var rule in _rulesByDirection[key.Side * _networks.Length + leavesTo].AsSpan())
        {
            if (rule.Matches(in key)) return rule.Index;
        }
        return -1;
    }

    private long IdleTimeoutTicks()
    {
        var ticksPerSecond = _device.TicksPerSecond;
        if (ticksPerSecond != _timeoutTicksPerSecond)
        {
            _timeoutTicksPerSecond = ticksPerSecond;
            _timeoutTicks = (long)Math.Min(_idleTimeout.TotalSeconds * ticksPerSecond, long.MaxValue / 4);
        }
        return _timeoutTicks;
    }

    public int NetworkIndex(string network, string parameter)
    {
        var index = Array.IndexOf(_networks, network);
        if (index < 0) throw new ArgumentException($"Gateway '{_device.Name}' joins no network '{network}' (it joins: {string.Join(", ", _networks)}).", parameter);
        return index;
    }

    private readonly record struct NatMapping(IpFamily Family, UInt128 Real, UInt128 Mapped, UInt128 Mask);

    /// <summary>A rule as the data path tests it; a zero protocol matches any, and ports require TCP or UDP.</summary>
    private readonly record struct CompiledRule(
        int Index, IpFamily? Family, UInt128 Source, UInt128 SourceMask, UInt128 Destination, UInt128 DestinationMask,
        byte Ipv4Protocol, byte Ipv6Protocol, PortRange? Ports)
    {
        public static CompiledRule From(int index, GatewayRule rule)
        {
            var (ipv4, ipv6) = rule.Protocol switch
            {
                GatewayProtocol.Tcp => (IpProtocol.Tcp, IpProtocol.Tcp),
                GatewayProtocol.Udp => (IpProtocol.Udp, IpProtocol.Udp),
                GatewayProtocol.Icmp => (IpProtocol.Icmp, IpProtocol.Icmpv6),
                _ => ((byte)0, (byte)0),
            };
            return new CompiledRule(index, rule.Source.Family ?? rule.Destination.Family, rule.Source.Network, rule.Source.Mask,
                rule.Destination.Network, rule.Destination.Mask, ipv4, ipv6, rule.DestinationPorts);
        }

        public bool Matches(in FlowKey key)
        {
            if (Family is { } family && family != key.Family) return false;
            if ((key.Source & SourceMask) != Source || (key.Destination & DestinationMask) != Destination) return false;
            var protocol = key.Family == IpFamily.Ipv4 ? Ipv4Protocol : Ipv6Protocol;
            if (protocol != 0 && protocol != key.Protocol) return false;
            return Ports is not { } ports || (key.Protocol is IpProtocol.Tcp or IpProtocol.Udp && ports.Contains(key.DestinationPort));
        }
    }
}
