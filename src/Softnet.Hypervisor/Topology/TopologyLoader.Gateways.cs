using System.Globalization;
using System.Text.RegularExpressions;
using Softnet.Devices.Gateway;
using Softnet.Wire;
using YamlDotNet.RepresentationModel;

namespace Softnet.Hypervisor.Topology;

public static partial class TopologyLoader
{
    [GeneratedRegex("^([0-9]{1,13})([kMG]?)$")]
    private static partial Regex RatePattern();

    [GeneratedRegex("^([0-9]{1,9})(us|ms|s)$")]
    private static partial Regex DurationPattern();

    /// <summary>The highest packet or bit rate a limit takes (1000G).</summary>
    private const long MaxRate = 1_000_000_000_000;

    private static readonly TimeSpan MaxBurst = TimeSpan.FromSeconds(60);

    private sealed partial class Reader
    {
        /// <summary>Reads the <c>gateways</c> list and checks it against the networks loaded before it.</summary>
        /// <param name="declared">Every network name written in the file, by its mapping, valid or not: a side naming a
        /// network that failed to load is not reported again.</param>
        private List<GatewaySpec> Gateways(YamlNode list, List<SoftwareNetwork> networks, Dictionary<string, YamlNode> declared)
        {
            var file = new FileScope(networks.ToDictionary(n => n.Name), declared);
            var result = new List<GatewaySpec>();
            var names = new Dictionary<string, YamlNode>();
            foreach (var item in Sequence(list, "'gateways'"))
            {
                if (Gateway(item, file) is not { } gateway) continue;
                if (declared.TryGetValue(gateway.Name, out var network))
                    Error(NameNode(item), $"gateway name '{gateway.Name}' is already used by the network at line {network.Start.Line}; a gateway is scheduled like a network and needs a name of its own");
                else if (names.TryAdd(gateway.Name, item)) result.Add(gateway);
                else Error(NameNode(item), $"gateway name '{gateway.Name}' is already used at line {names[gateway.Name].Start.Line}");
            }
            return result;
        }

        private GatewaySpec? Gateway(YamlNode node, FileScope file)
        {
            var f = Fields(node, "gateway", Called(node, "gateway", "a gateway"));
            if (f is null) return null;
            var name = Name(f, node, "gateway");
            var scope = new GatewayScope(name is null ? "this gateway" : $"gateway '{name}'");
            var tokens = f.TryGetValue("tokens", out var t) ? Int(t, "tokens", 1, int.MaxValue) : Missing<int>(node, scope.Where, "tokens");

            var sides = new List<GatewaySideSpec>();
            if (!f.TryGetValue("sides", out var sl)) Missing<int>(node, scope.Where, "sides");
            else
            {
                var errors = Errors.Count;
                var items = Sequence(sl, "'sides'").ToList();
                if (items.Count < 2 && Errors.Count == errors) Error(sl, $"{scope.Where} joins at least two networks, one side each; found {items.Count}");
                foreach (var s in items)
                    if (Side(s, scope, file) is { } side) sides.Add(side);
                CheckOverlaps(scope.Addresses, sl, scope.Where);
            }

            var rules = new List<GatewayRuleSpec>();
            foreach (var r in f.TryGetValue("rules", out var rl) ? Sequence(rl, "'rules'") : [])
                if (Rule(r, scope) is { } rule) rules.Add(rule);
            var limits = new List<GatewayLimitSpec>();
            var limited = new Dictionary<(string, string), YamlNode>();
            foreach (var l in f.TryGetValue("limits", out var ll) ? Sequence(ll, "'limits'") : [])
                if (Limit(l, scope) is { } limit)
                {
                    if (limited.TryAdd((limit.From, limit.To), l)) limits.Add(limit);
                    else Error(l, $"direction {limit.From} -> {limit.To} of {scope.Where} is already limited at line {limited[(limit.From, limit.To)].Start.Line}");
                }
            return name is null || tokens is null ? null : new GatewaySpec(name, tokens.Value, sides, rules, limits);
        }

        private GatewaySideSpec? Side(YamlNode node, GatewayScope scope, FileScope file)
        {
            var f = Fields(node, "gatewaySide", "a gateway side");
            if (f is null) return null;
            string? networkName = null;
            SoftwareNetwork? network = null;
            if (!f.TryGetValue("network", out var nn)) Missing<int>(node, $"a side of {scope.Where}", "network");
            else if (Text(nn, "network") is { } text)
            {
                if (scope.Sides.TryGetValue(text, out var first))
                    Error(nn, $"network '{text}' already has a side in {scope.Where} at line {first.Start.Line}; a gateway has one side per network");
                else
                {
                    scope.Sides.Add(text, nn);
                    networkName = text;
                    if (file.Networks.TryGetValue(text, out var n)) network = n;
                    else if (!file.Declared.ContainsKey(text))
                        Error(nn, $"{scope.Where}: no network is called '{text}' (networks: {List(file.Declared.Keys)}){Suggest(text, file.Declared.Keys)}");
                }
            }
            if (network is not null) scope.Architectures.Add(network.Name, network.Architecture);
            else if (networkName is null || !file.Declared.ContainsKey(networkName)) scope.Unsure = true;
            var where = networkName is null ? $"a side of {scope.Where}" : $"side '{networkName}' of {scope.Where}";

            string? port = null;
            if (!f.TryGetValue("interface", out var pn)) Missing<int>(node, where, "interface");
            else if (NameValue(pn, "interface") is { } text)
            {
                if (scope.Interfaces.TryGetValue(text, out var first)) Error(pn, $"interface '{text}' of {scope.Where} is already declared at line {first.Start.Line}");
                else
                {
                    scope.Interfaces.Add(text, pn);
                    port = text;
                }
            }

            var addressNodes = f.TryGetValue("addresses", out var al) ? Sequence(al, "'addresses'").ToList() : [];
            var addresses = Addresses(addressNodes, network?.Architecture);
            if (addressNodes.Count == 0) Error(al ?? node, $"{where} needs 'addresses': the gateway's own address(es) on the link to its endpoint");
            scope.Addresses.AddRange(addresses.Select(a => (a, port ?? "?")));

            Endpoint? endpoint = null;
            if (!f.TryGetValue("endpoint", out var en)) Missing<int>(node, where, "endpoint");
            else if (Text(en, "endpoint") is { } text && EndpointOf(en, text) is { } e && network is not null && FreePort(en, e, network, file, where, addresses))
                endpoint = e;

            var nats = new List<GatewayNatSpec>();
            foreach (var m in f.TryGetValue("nat", out var ml) ? ScalarOrSequence(ml) : [])
                if (Nat(m, networkName, network, scope, nats) is { } nat) nats.Add(nat);

            var routes = new List<StaticRoute>();
            foreach (var r in f.TryGetValue("routes", out var rl) ? Sequence(rl, "'routes'") : [])
                if (Route(r, network, port, addresses, scope) is { } route) routes.Add(route);

            return network is null || port is null || endpoint is null ? null : new GatewaySideSpec(network.Name, port, addresses, endpoint.Value, nats, routes);
        }

        /// <summary>
        /// Whether <paramref name="endpoint"/> is a port of <paramref name="network"/> that no link and no other gateway
        /// side takes, and that shares a subnet with the side's addresses when it has addresses of its own.
        /// </summary>
        private bool FreePort(YamlNode at, Endpoint endpoint, SoftwareNetwork network, FileScope file, string where, List<InterfaceAddress> addresses)
        {
            var nodes = network.Devices.Select(d => (d.Name, Ports: d.Ports.Select(p => p.Name).ToList()))
                .Concat(network.Hosts.Select(h => (h.Name, Ports: new List<string> { HostSpec.InterfaceName })))
                .ToDictionary(n => n.Name, n => n.Ports);
            if (!nodes.TryGetValue(endpoint.Node, out var ports))
            {
                Error(at, $"{where}: endpoint '{endpoint}' names no device of network '{network.Name}' (devices: {List(nodes.Keys)}){Suggest(endpoint.Node, nodes.Keys)}");
                return false;
            }
            if (!ports.Contains(endpoint.Port))
            {
                Error(at, $"{where}: endpoint '{endpoint}': {endpoint.Node} has no interface '{endpoint.Port}' (interfaces: {List(ports)})");
                return false;
            }
            if (network.Links.Any(l => l.A == endpoint || l.B == endpoint))
            {
                var free = ports.Where(p => !network.Links.Any(l => l.A == new Endpoint(endpoint.Node, p) || l.B == new Endpoint(endpoint.Node, p))).ToList();
                Error(at, $"{where}: interface {endpoint} is already linked in network '{network.Name}'; a gateway side needs a free interface (free on {endpoint.Node}: {List(free)})");
                return false;
            }
            if (file.Claimed.TryGetValue((network.Name, endpoint), out var first))
            {
                Error(at, $"{where}: interface {endpoint} of network '{network.Name}' is already the endpoint of the gateway side at line {first.Start.Line}");
                return false;
            }
            file.Claimed.Add((network.Name, endpoint), at);
            var peer = network.Hosts.FirstOrDefault(h => h.Name == endpoint.Node)?.Addresses
                ?? network.Devices.FirstOrDefault(d => d.Name == endpoint.Node)?.Ports.OfType<InterfaceSpec>().FirstOrDefault(i => i.Name == endpoint.Port)?.Addresses
                ?? [];
            if (peer.Count == 0 || addresses.Count == 0) return true;
            foreach (var address in addresses)
            {
                if (!peer.Any(p => p.Address == address.Address)) continue;
                Error(at, $"{where}: address {address.Address} is also the address of {endpoint}");
                return false;
            }
            if (addresses.Any(a => peer.Any(p => a.Subnet.Contains(p.Address) && p.Subnet.Contains(a.Address)))) return true;
            Error(at, $"{where}: no address of the side ({string.Join(", ", addresses)}) shares a subnet with {endpoint} ({string.Join(", ", peer)})");
            return false;
        }

        private GatewayNatSpec? Nat(YamlNode node, string? networkName, SoftwareNetwork? network, GatewayScope scope, List<GatewayNatSpec> earlier)
        {
            var f = Fields(node, "nat", "a NAT mapping");
            if (f is null) return null;
            var real = RequiredPrefix(f, node, "real", "NAT mapping");
            var mapped = RequiredPrefix(f, node, "mapped", "NAT mapping");
            if (real is not { } r || mapped is not { } m) return null;
            if (r.IsIpv4 != m.IsIpv4) { Error(f["mapped"], $"mapped prefix {m} is not of the same address family as real prefix {r}"); return null; }
            if (Length(r) != Length(m)) { Error(f["mapped"], $"mapped prefix {m} must be as long as real prefix {r} (/{Length(r)}): the mapping is 1:1"); return null; }
            if (network is not null && SideMismatch(r.IsIpv4, network) is { } why) { Error(f["real"], $"real prefix {r} {why}"); return null; }
            if (earlier.FirstOrDefault(e => e.Real.Overlaps(r)) is { } sameReal)
            {
                Error(f["real"], $"real prefix {r} overlaps real prefix {sameReal.Real} of another mapping of this side");
                return null;
            }
            if (earlier.FirstOrDefault(e => e.Mapped.Overlaps(m)) is { } sameMapped)
            {
                Error(f["mapped"], $"mapped prefix {m} overlaps mapped prefix {sameMapped.Mapped} of another mapping of this side");
                return null;
            }
            foreach (var (side, other, at) in scope.Nats)
            {
                if (side == networkName || !other.Mapped.Overlaps(m)) continue;
                Error(f["mapped"], $"mapped prefix {m} overlaps mapped prefix {other.Mapped} of side '{side}' (line {at.Start.Line}): the other sides could not tell the two networks apart");
                return null;
            }
            var nat = new GatewayNatSpec(r, m);
            if (networkName is not null) scope.Nats.Add((networkName, nat, f["mapped"]));
            return nat;
        }

        /// <summary>A static route of one side, out of its interface <paramref name="port"/>; its prefix is unique in the gateway's one routing table.</summary>
        private StaticRoute? Route(YamlNode node, SoftwareNetwork? network, string? port, List<InterfaceAddress> addresses, GatewayScope scope)
        {
            var f = Fields(node, "gatewayRoute", "a gateway route");
            if (f is null) return null;
            var prefix = RequiredPrefix(f, node, "prefix", "route");
            if (prefix is { } p)
            {
                if (network is not null && SideMismatch(p.IsIpv4, network) is { } why) { Error(f["prefix"], $"prefix {p} {why}"); prefix = null; }
                else if (scope.Routes.TryGetValue(p, out var first)) { Error(f["prefix"], $"{scope.Where} already routes {p} at line {first.Start.Line}; its sides share one routing table"); prefix = null; }
                else scope.Routes.Add(p, f["prefix"]);
            }
            IpAddress? via = null;
            if (!f.TryGetValue("via", out var vn)) Error(node, "missing required key 'via' (the next-hop address)");
            else if (Text(vn, "via") is { } text)
            {
                if (!IpAddress.TryParse(text, out var v)) Error(vn, $"'{text}' is not an IP address");
                else if (prefix is { } q && q.IsIpv4 != v.IsIpv4) Error(vn, $"next hop {v} is not of the same address family as prefix {q}");
                else if (!addresses.Any(a => a.Subnet.Contains(v)))
                    Error(vn, $"next hop {v} is not on a connected subnet of {(port is null ? "this side" : $"interface {port}")} (addresses: {List(addresses.Select(a => a.ToString()))})");
                else via = v;
            }
            return prefix is null || via is null || port is null ? null : new StaticRoute(prefix.Value, via.Value, port, []);
        }

        private GatewayRuleSpec? Rule(YamlNode node, GatewayScope scope)
        {
            var f = Fields(node, "gatewayRule", "a gateway rule");
            if (f is null) return null;
            var (from, to) = Direction(f, node, scope, "rule");
            var source = RulePrefix(f, "source", from, scope, out var sourceOk);
            var destination = RulePrefix(f, "destination", to, scope, out var destinationOk);
            if (source is { } s && destination is { } d && s.IsIpv4 != d.IsIpv4)
            {
                Error(f["destination"], $"destination {d} and source {s} are of different address families");
                destinationOk = false;
            }
            else if (destination is { } dst && scope.Nats.FirstOrDefault(x => x.Network == to && Within(dst, x.Nat.Mapped) && !x.Nat.Real.Overlaps(dst)).Nat is { } shown)
            {
                // The policy compares destinations made real, so one written as the other side sees it never matches.
                Error(f["destination"], $"destination {dst} is how the other sides see '{to}' (NAT {shown.Real} -> {shown.Mapped}); a rule gives it as '{to}' numbers it: {RealOf(shown, dst)}");
                destinationOk = false;
            }
            var protocol = f.TryGetValue("protocol", out var pn) ? Enum<GatewayProtocol>(pn, "protocol", ["any", "tcp", "udp", "icmp"]) : GatewayProtocol.Any;
            PortRange? ports = null;
            var portsOk = true;
            if (f.TryGetValue("ports", out var rn))
            {
                ports = Ports(rn);
                portsOk = ports is not null;
                if (protocol == GatewayProtocol.Icmp)
                {
                    Error(rn, "'ports' applies to tcp and udp, not icmp");
                    portsOk = false;
                }
            }
            return from is null || to is null || !sourceOk || !destinationOk || protocol is null || !portsOk
                ? null
                : new GatewayRuleSpec(from, to, source, destination, protocol.Value, ports);
        }

        private GatewayLimitSpec? Limit(YamlNode node, GatewayScope scope)
        {
            var f = Fields(node, "gatewayLimit", "a gateway limit");
            if (f is null) return null;
            var (from, to) = Direction(f, node, scope, "limit");
            var pps = f.TryGetValue("pps", out var pn) ? Rate(pn, "pps") : null;
            var bps = f.TryGetValue("bps", out var bn) ? Rate(bn, "bps") : null;
            if (pn is null && bn is null) Error(node, "a limit needs 'pps' (packets per second), 'bps' (bits per second) or both");
            var burst = f.TryGetValue("burst", out var un) ? Duration(un, "burst") : GatewayLimitSpec.DefaultBurst;
            var ratesOk = (pn is null || pps is not null) && (bn is null || bps is not null) && (pn ?? bn) is not null;
            return from is null || to is null || !ratesOk || burst is null
                ? null
                : new GatewayLimitSpec(from, to, pps, bps, burst.Value);
        }

        /// <summary>The <c>from</c> and <c>to</c> sides of a rule or limit; null for one that is missing, unknown, or a side that failed to load.</summary>
        private (string? From, string? To) Direction(Dictionary<string, YamlNode> f, YamlNode node, GatewayScope scope, string what)
        {
            string? Named(string key)
            {
                if (!f.TryGetValue(key, out var n)) { Missing<int>(node, $"this {what}", key); return null; }
                if (Text(n, key) is not { } text) return null;
                if (!scope.Sides.ContainsKey(text))
                {
                    if (scope.Unsure) return null;
                    Error(n, $"'{key}: {text}' names no side of {scope.Where} (sides: {List(scope.Sides.Keys)}){Suggest(text, scope.Sides.Keys)}");
                    return null;
                }
                return scope.Architectures.ContainsKey(text) ? text : null;
            }
            var (from, to) = (Named("from"), Named("to"));
            if (from is null || from != to) return (from, to);
            Error(f["to"], $"'from' and 'to' are both '{from}'; a {what} joins two different sides");
            return (null, null);
        }

        /// <summary>An optional rule prefix in the numbering of <paramref name="side"/>: null for <c>any</c> or when absent.</summary>
        private IpPrefix? RulePrefix(Dictionary<string, YamlNode> f, string key, string? side, GatewayScope scope, out bool ok)
        {
            ok = true;
            if (!f.TryGetValue(key, out var n)) return null;
            ok = false;
            if (Text(n, key) is not { } text) return null;
            if (text == "any")
            {
                ok = true;
                return null;
            }
            if (!IpPrefix.TryParse(text, out var prefix))
            {
                Error(n, $"{key} '{text}' is not a prefix (expected any, or network/length with no host bits set such as 10.0.2.0/24 or 10.0.2.10/32)");
                return null;
            }
            if (side is not null && SideMismatch(prefix.IsIpv4, side, scope.Architectures[side]) is { } why)
            {
                Error(n, $"{key} {prefix} {why}");
                return null;
            }
            ok = true;
            return prefix;
        }

        private IpPrefix? RequiredPrefix(Dictionary<string, YamlNode> f, YamlNode node, string key, string what)
        {
            if (!f.TryGetValue(key, out var n)) return Missing<IpPrefix>(node, what, key);
            if (Text(n, key) is not { } text) return null;
            if (IpPrefix.TryParse(text, out var prefix)) return prefix;
            Error(n, $"'{text}' is not a prefix (expected network/length with no host bits set, such as 10.0.3.0/24)");
            return null;
        }

        private PortRange? Ports(YamlNode node)
        {
            if (Text(node, "ports") is not { } text) return null;
            var dash = text.IndexOf('-');
            if (PortNumber(dash < 0 ? text : text[..dash]) is { } first && (dash < 0 ? first : PortNumber(text[(dash + 1)..])) is { } last)
            {
                if (first <= last) return new PortRange(first, last);
                Error(node, $"port range '{text}' is empty (its first port is above its last)");
                return null;
            }
            Error(node, $"ports '{text}' must be a port (0 to 65535) or a range such as 8000-8080");
            return null;
        }

        private static ushort? PortNumber(string text) =>
            ushort.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? port : null;

        /// <summary>A positive rate: digits with an optional SI suffix k, M or G (10000, 500k, 100M).</summary>
        private long? Rate(YamlNode node, string what)
        {
            if (Text(node, what) is not { } text) return null;
            var match = RatePattern().Match(text);
            if (!match.Success)
            {
                Error(node, $"{what} must be a rate such as 10000, 500k, 100M or 10G, found '{text}'");
                return null;
            }
            var value = (Int128)long.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture) * match.Groups[2].Value switch
            {
                "k" => 1_000,
                "M" => 1_000_000,
                "G" => 1_000_000_000,
                _ => 1,
            };
            if (value >= 1 && value <= MaxRate) return (long)value;
            Error(node, $"{what} must be between 1 and 1000G, found '{text}'");
            return null;
        }

        private TimeSpan? Duration(YamlNode node, string what)
        {
            if (Text(node, what) is not { } text) return null;
            var match = DurationPattern().Match(text);
            if (!match.Success)
            {
                Error(node, $"{what} must be a duration such as 500us, 10ms or 1s, found '{text}'");
                return null;
            }
            var count = long.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture);
            var duration = match.Groups[2].Value switch
            {
                "us" => TimeSpan.FromMicroseconds(count),
                "ms" => TimeSpan.FromMilliseconds(count),
                _ => TimeSpan.FromSeconds(count),
            };
            if (duration > TimeSpan.Zero && duration <= MaxBurst) return duration;
            Error(node, $"{what} must be between 1us and {MaxBurst.TotalSeconds}s, found '{text}'");
            return null;
        }

        /// <summary>A name-like scalar (an interface name), checked as names are.</summary>
        private string? NameValue(YamlNode node, string what)
        {
            if (Text(node, what) is not { } text) return null;
            if (NamePattern().IsMatch(text)) return text;
            Error(node, $"{what} name '{text}' must start with a letter and contain only letters, digits, '-' and '_'");
            return null;
        }

        private static string? SideMismatch(bool isIpv4, SoftwareNetwork network) => SideMismatch(isIpv4, network.Name, network.Architecture);

        private static string? SideMismatch(bool isIpv4, string network, NetworkArchitecture architecture) => architecture switch
        {
            NetworkArchitecture.Ipv4 when !isIpv4 => $"is IPv6 but network '{network}' has architecture ipv4",
            NetworkArchitecture.Ipv6 when isIpv4 => $"is IPv4 but network '{network}' has architecture ipv6",
            _ => null,
        };

        private static bool Within(IpPrefix inner, IpPrefix outer) =>
            inner.V4 is { } i4 ? outer.V4 is { } o4 && o4.Contains(i4) : outer.V6 is { } o6 && o6.Contains(inner.V6!.Value);

        /// <summary>The real prefix behind <paramref name="prefix"/>, which lies in the mapped prefix of <paramref name="nat"/>.</summary>
        private static IpPrefix RealOf(GatewayNatSpec nat, IpPrefix prefix) => prefix.V4 is { } p4
            ? IpPrefix.From(new Ipv4Prefix(new Ipv4Address(nat.Real.V4!.Value.Network.Value | (p4.Network.Value & ~nat.Mapped.V4!.Value.Mask)), p4.Length))
            : IpPrefix.From(new Ipv6Prefix(new Ipv6Address(nat.Real.V6!.Value.Network.Value | (prefix.V6!.Value.Network.Value & ~nat.Mapped.V6!.Value.Mask)), prefix.V6.Value.Length));

        private static int Length(IpPrefix prefix) => prefix.V4?.Length ?? prefix.V6!.Value.Length;

        /// <summary>What the gateways of one file share: the networks, and the endpoints already taken by a side.</summary>
        private sealed record FileScope(Dictionary<string, SoftwareNetwork> Networks, Dictionary<string, YamlNode> Declared)
        {
            public Dictionary<(string Network, Endpoint Endpoint), YamlNode> Claimed { get; } = [];
        }

        /// <summary>What one gateway's parts are checked against while it is read.</summary>
        private sealed class GatewayScope(string where)
        {
            public string Where { get; } = where;

            /// <summary>Each network a side names, at its node, whether or not the side loads.</summary>
            public Dictionary<string, YamlNode> Sides { get; } = [];

            /// <summary>Whether a side's network is missing, unknown or repeated: then a rule naming no side may name the one meant.</summary>
            public bool Unsure { get; set; }

            /// <summary>The architecture of each side whose network loaded.</summary>
            public Dictionary<string, NetworkArchitecture> Architectures { get; } = [];

            public Dictionary<string, YamlNode> Interfaces { get; } = [];
            public List<(InterfaceAddress Address, string Port)> Addresses { get; } = [];
            public Dictionary<IpPrefix, YamlNode> Routes { get; } = [];
            public List<(string Network, GatewayNatSpec Nat, YamlNode At)> Nats { get; } = [];
        }
    }
}
