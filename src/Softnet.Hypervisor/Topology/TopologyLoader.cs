using System.Globalization;
using System.Text.RegularExpressions;
using Softnet.Hypervisor.Scheduling;
using Softnet.Wire;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Softnet.Hypervisor.Topology;

/// <summary>
/// Reads a topology file (docs/topology.md) into a <see cref="TopologyFile"/>. Every problem found, syntactic or
/// semantic, is collected with its line and column and reported together in one <see cref="TopologyException"/>.
/// </summary>
public static partial class TopologyLoader
{
    /// <summary>The keys accepted in each kind of mapping, by section name as used in docs/topology.schema.json.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> KnownKeys { get; } = new Dictionary<string, IReadOnlyList<string>>
    {
        ["file"] = ["networks", "gateways"],
        ["network"] = ["name", "architecture", "tokens", "priority", "devices", "hosts", "links"],
        ["switch"] = ["name", "kind", "ports"],
        ["router"] = ["name", "kind", "interfaces", "routes"],
        ["lsr"] = ["name", "kind", "interfaces", "routes", "labels"],
        ["switchPort"] = ["name", "vlan", "trunk", "phy"],
        ["interface"] = ["name", "addresses", "phy"],
        ["route"] = ["prefix", "via", "port", "push"],
        ["label"] = ["in", "out", "pop", "lookup", "via", "port"],
        ["host"] = ["name", "address", "gateway", "mac", "phy"],
        ["link"] = ["endpoints"],
        ["gateway"] = ["name", "tokens", "sides", "rules", "limits"],
        ["gatewaySide"] = ["network", "interface", "addresses", "endpoint", "nat", "routes"],
        ["nat"] = ["real", "mapped"],
        ["gatewayRoute"] = ["prefix", "via"],
        ["gatewayRule"] = ["from", "to", "source", "destination", "protocol", "ports"],
        ["gatewayLimit"] = ["from", "to", "pps", "bps", "burst"],
    };

    public static TopologyFile Load(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>Parses <paramref name="text"/>; <paramref name="sourceName"/> prefixes error messages (usually the path).</summary>
    /// <exception cref="TopologyException">The text is not valid YAML or not a valid topology.</exception>
    public static TopologyFile Parse(string text, string sourceName)
    {
        var reader = new Reader();
        var stream = new YamlStream();
        var parser = new Parser(new StringReader(text));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            reader.Error(e.Start, $"YAML syntax error: {e.Message}");
            throw new TopologyException(sourceName, reader.Errors);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet fails this way, not with a YamlException, on some malformed input; report where parsing stopped.
            var at = parser.Current?.End ?? Mark.Empty;
            reader.Error(at, $"YAML syntax error after this point: {e.Message}");
            throw new TopologyException(sourceName, reader.Errors);
        }
        if (stream.Documents.Count != 1)
        {
            reader.Error(1, 1, stream.Documents.Count == 0 ? "the file is empty (expected a mapping with key 'networks')" : "expected one YAML document, found " + stream.Documents.Count);
            throw new TopologyException(sourceName, reader.Errors);
        }
        var (networks, gateways) = reader.File(stream.Documents[0].RootNode);
        if (reader.Errors.Count > 0)
            throw new TopologyException(sourceName, [.. reader.Errors.OrderBy(e => e.Line).ThenBy(e => e.Column)]);
        return new TopologyFile(sourceName, networks) { Gateways = gateways };
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]*$")]
    private static partial Regex NamePattern();

    private sealed partial class Reader
    {
        public List<TopologyError> Errors { get; } = [];

        public void Error(Mark at, string message) => Error((int)at.Line, (int)at.Column, message);
        public void Error(YamlNode at, string message) => Error(at.Start, message);
        public void Error(int line, int column, string message) => Errors.Add(new TopologyError(line, column, message));

        public (List<SoftwareNetwork> Networks, List<GatewaySpec> Gateways) File(YamlNode root)
        {
            var fields = Fields(root, "file", "the topology file");
            if (fields is null) return ([], []);
            if (!fields.TryGetValue("networks", out var list))
            {
                Error(root, "the topology file has no 'networks' list");
                return ([], []);
            }
            var result = new List<SoftwareNetwork>();
            var names = new Dictionary<string, YamlNode>();
            var declared = new Dictionary<string, YamlNode>();
            foreach (var item in Sequence(list, "'networks'"))
            {
                if (RawName(item) is { } raw) declared.TryAdd(raw, item);
                if (Network(item) is not { } network) continue;
                if (names.TryAdd(network.Name, item)) result.Add(network);
                else Error(NameNode(item), $"network name '{network.Name}' is already used at line {names[network.Name].Start.Line}");
            }
            if (result.Count == 0 && Errors.Count == 0) Error(list, "'networks' must declare at least one software network");
            var gateways = fields.TryGetValue("gateways", out var gl) ? Gateways(gl, result, declared) : [];
            return (result, gateways);
        }

        private SoftwareNetwork? Network(YamlNode node)
        {
            var f = Fields(node, "network", Called(node, "network", "a network"));
            if (f is null) return null;
            var name = Name(f, node, "network");
            var where = name is null ? "this network" : $"network '{name}'";
            var architecture = f.TryGetValue("architecture", out var a)
                ? Enum<NetworkArchitecture>(a, "architecture", ["ethernet", "ipv4", "ipv6", "mpls"])
                : Missing<NetworkArchitecture>(node, where, "architecture");
            var tokens = f.TryGetValue("tokens", out var t) ? Int(t, "tokens", 1, int.MaxValue) : Missing<int>(node, where, "tokens");
            var priority = f.TryGetValue("priority", out var p) ? Enum<PriorityKind>(p, "priority", ["none", "relative", "accentuated"]) : PriorityKind.None;

            var nodes = new Dictionary<string, (YamlNode At, List<string> Ports)>();
            var devices = new List<DeviceSpec>();
            foreach (var d in f.TryGetValue("devices", out var dl) ? Sequence(dl, "'devices'") : [])
                if (Device(d, architecture) is { } device && Claim(nodes, device.Name, d, device.Ports.Select(x => x.Name), where))
                    devices.Add(device);
            var hosts = new List<HostSpec>();
            foreach (var h in f.TryGetValue("hosts", out var hl) ? Sequence(hl, "'hosts'") : [])
                if (Host(h, architecture) is { } host && Claim(nodes, host.Name, h, [HostSpec.InterfaceName], where))
                    hosts.Add(host);
            var links = new List<LinkSpec>();
            var used = new Dictionary<Endpoint, YamlNode>();
            foreach (var l in f.TryGetValue("links", out var ll) ? Sequence(ll, "'links'") : [])
                if (Link(l, nodes, used, where) is { } link) links.Add(link);

            return name is null || architecture is null || tokens is null || priority is null
                ? null
                : new SoftwareNetwork(name, architecture.Value, tokens.Value, priority.Value, devices, hosts, links);
        }

        private bool Claim(Dictionary<string, (YamlNode At, List<string> Ports)> nodes, string name, YamlNode at, IEnumerable<string> ports, string where)
        {
            if (nodes.TryAdd(name, (at, [.. ports]))) return true;
            Error(NameNode(at), $"name '{name}' is already used in {where} at line {nodes[name].At.Start.Line}");
            return false;
        }

        private DeviceSpec? Device(YamlNode node, NetworkArchitecture? architecture)
        {
            if (node is not YamlMappingNode map) { Error(node, $"a device must be a mapping, found {Describe(node)}"); return null; }
            var kindNode = map.Children.FirstOrDefault(kv => kv.Key is YamlScalarNode { Value: "kind" }).Value;
            if (kindNode is null) { Error(node, "device has no 'kind' (switch, router or lsr)"); return null; }
            var kind = Text(kindNode, "kind");
            if (kind is not ("switch" or "router" or "lsr"))
            {
                if (kind is not null) Error(kindNode, $"unknown device kind '{kind}' (expected switch, router or lsr){Suggest(kind, ["switch", "router", "lsr"])}");
                return null;
            }
            var f = Fields(node, kind, Called(node, kind, $"a {kind}"))!;
            var name = Name(f, node, kind);
            var allowed = architecture switch
            {
                NetworkArchitecture.Ethernet => kind == "switch",
                NetworkArchitecture.Ipv4 or NetworkArchitecture.Ipv6 => kind != "lsr",
                _ => true,
            };
            if (!allowed)
                Error(kindNode, $"a {kind} cannot be part of a network with architecture {Lower(architecture!.Value)} ({(architecture == NetworkArchitecture.Ethernet ? "only switches forward Ethernet" : "label switching needs architecture mpls")})");
            if (kind == "switch")
            {
                var ports = Unique(f.TryGetValue("ports", out var pl) ? Sequence(pl, "'ports'") : [], SwitchPort, p => p.Name, $"{kind} '{name}'");
                return name is null ? null : new SwitchSpec(name, ports);
            }
            var interfaces = Unique(f.TryGetValue("interfaces", out var il) ? Sequence(il, "'interfaces'") : [], n => Interface(n, architecture), i => i.Name, $"{kind} '{name}'");
            CheckOverlaps(interfaces.SelectMany(i => i.Addresses.Select(a => (a, i.Name))).ToList(), f.TryGetValue("interfaces", out il) ? il : node, $"{kind} '{name}'");
            var routes = new List<StaticRoute>();
            foreach (var r in f.TryGetValue("routes", out var rl) ? Sequence(rl, "'routes'") : [])
                if (Route(r, interfaces, architecture) is { } route) routes.Add(route);
            if (kind == "router") return name is null ? null : new RouterSpec(name, interfaces, routes);
            var labels = new List<LabelBinding>();
            var seen = new Dictionary<uint, YamlNode>();
            foreach (var b in f.TryGetValue("labels", out var bl) ? Sequence(bl, "'labels'") : [])
                if (Label(b, interfaces) is { } label)
                {
                    if (seen.TryAdd(label.In.Value, b)) labels.Add(label);
                    else Error(b, $"incoming label {label.In} is already bound at line {seen[label.In.Value].Start.Line}");
                }
            return name is null ? null : new LsrSpec(name, interfaces, routes, labels);
        }

        private List<T> Unique<T>(IEnumerable<YamlNode> items, Func<YamlNode, T?> read, Func<T, string> nameOf, string where) where T : class
        {
            var result = new List<T>();
            var seen = new Dictionary<string, YamlNode>();
            foreach (var item in items)
            {
                if (read(item) is not { } value) continue;
                if (seen.TryAdd(nameOf(value), item)) result.Add(value);
                else Error(NameNode(item), $"port '{nameOf(value)}' of {where} is already declared at line {seen[nameOf(value)].Start.Line}");
            }
            return result;
        }

        private SwitchPortSpec? SwitchPort(YamlNode node)
        {
            var f = Fields(node, "switchPort", Called(node, "switch port", "a switch port"));
            if (f is null) return null;
            var name = Name(f, node, "port");
            var vlan = f.TryGetValue("vlan", out var v) ? Int(v, "vlan", 1, 4094) : null;
            var trunk = new List<int>();
            if (f.TryGetValue("trunk", out var tl))
            {
                if (v is not null) Error(tl, "a port is either access ('vlan') or trunk ('trunk'), not both");
                foreach (var t in Sequence(tl, "'trunk'"))
                    if (Int(t, "trunk vlan", 1, 4094) is { } id)
                    {
                        if (trunk.Contains(id)) Error(t, $"vlan {id} is listed twice in 'trunk'");
                        else trunk.Add(id);
                    }
            }
            var phy = Phy(f);
            return name is null ? null : new SwitchPortSpec(name, vlan, trunk, phy);
        }

        private InterfaceSpec? Interface(YamlNode node, NetworkArchitecture? architecture)
        {
            var f = Fields(node, "interface", Called(node, "interface", "an interface"));
            if (f is null) return null;
            var name = Name(f, node, "interface");
            var addresses = f.TryGetValue("addresses", out var al) ? Addresses(Sequence(al, "'addresses'"), architecture) : [];
            var phy = Phy(f);
            return name is null ? null : new InterfaceSpec(name, addresses, phy);
        }

        private List<InterfaceAddress> Addresses(IEnumerable<YamlNode> nodes, NetworkArchitecture? architecture)
        {
            var result = new List<InterfaceAddress>();
            foreach (var n in nodes)
            {
                if (Text(n, "address") is not { } text) continue;
                if (!InterfaceAddress.TryParse(text, out var address))
                    Error(n, $"'{text}' is not an interface address (expected address/length such as 10.0.1.1/24 or 2001:db8::1/64)");
                else if (FamilyMismatch(address.Address.IsIpv4, architecture) is { } why)
                    Error(n, $"address '{text}' {why}");
                else result.Add(address);
            }
            return result;
        }

        private void CheckOverlaps(List<(InterfaceAddress Address, string Port)> addresses, YamlNode at, string where)
        {
            for (var i = 0; i < addresses.Count; i++)
                for (var j = 0; j < i; j++)
                    if (addresses[i].Address.Subnet.Overlaps(addresses[j].Address.Subnet))
                        Error(at, $"{where}: address {addresses[i].Address} on {addresses[i].Port} overlaps {addresses[j].Address} on {addresses[j].Port}");
        }

        private StaticRoute? Route(YamlNode node, List<InterfaceSpec> interfaces, NetworkArchitecture? architecture)
        {
            var f = Fields(node, "route", "a route");
            if (f is null) return null;
            IpPrefix? prefix = null;
            if (!f.TryGetValue("prefix", out var pn)) Missing<int>(node, "route", "prefix");
            else if (Text(pn, "prefix") is { } pt)
            {
                if (IpPrefix.TryParse(pt, out var parsed)) prefix = parsed;
                else Error(pn, $"'{pt}' is not a prefix (expected network/length with no host bits set, such as 10.0.3.0/24)");
                if (prefix is { } pp && FamilyMismatch(pp.IsIpv4, architecture) is { } why) Error(pn, $"prefix '{pt}' {why}");
            }
            var port = Port(f, interfaces);
            var via = NextHop(f, node, interfaces, port);
            if (prefix is { } p && via is { } v && p.IsIpv4 != v.IsIpv4) Error(f["via"], $"next hop {v} is not of the same address family as prefix {p}");
            var push = new List<MplsLabel>();
            if (f.TryGetValue("push", out var pl))
            {
                if (architecture is not (null or NetworkArchitecture.Mpls)) Error(pl, "'push' needs a network with architecture mpls");
                foreach (var l in Sequence(pl, "'push'"))
                    if (Label(l, "push label") is { } label) push.Add(label);
            }
            return prefix is null || via is null ? null : new StaticRoute(prefix.Value, via.Value, port, push);
        }

        private LabelBinding? Label(YamlNode node, List<InterfaceSpec> interfaces)
        {
            var f = Fields(node, "label", "a label binding");
            if (f is null) return null;
            MplsLabel? incoming = null;
            if (!f.TryGetValue("in", out var inNode)) Missing<int>(node, "label binding", "in");
            else if (Label(inNode, "incoming label") is { } l)
            {
                if (l.IsReserved) Error(inNode, $"incoming label {l} is reserved (labels 0-15); bind {MplsLabel.FirstUnreserved} or above");
                else incoming = l;
            }
            var actions = new[] { "out", "pop", "lookup" }.Where(f.ContainsKey).ToList();
            if (actions.Count != 1)
            {
                Error(node, actions.Count == 0
                    ? "label binding needs one action: 'out: <label>' (swap), 'pop: true' or 'lookup: true'"
                    : $"label binding has {string.Join(" and ", actions.Select(a => $"'{a}'"))}; give exactly one action");
                return null;
            }
            var action = actions[0] switch { "out" => LabelAction.Swap, "pop" => LabelAction.Pop, _ => LabelAction.Lookup };
            MplsLabel? outgoing = null;
            if (action == LabelAction.Swap) outgoing = Label(f["out"], "outgoing label");
            else if (Text(f[actions[0]], actions[0]) is { } flag && flag != "true") Error(f[actions[0]], $"'{actions[0]}' takes the value true, found '{flag}'");
            var port = Port(f, interfaces);
            IpAddress? via = null;
            if (action == LabelAction.Lookup)
            {
                foreach (var k in new[] { "via", "port" }.Where(f.ContainsKey)) Error(f[k], $"'{k}' is meaningless with 'lookup' (the packet is routed locally)");
            }
            else via = NextHop(f, node, interfaces, port);
            return incoming is null || (action == LabelAction.Swap && outgoing is null) || (action != LabelAction.Lookup && via is null)
                ? null
                : new LabelBinding(incoming.Value, action, outgoing, via, action == LabelAction.Lookup ? null : port);
        }

        private string? Port(Dictionary<string, YamlNode> f, List<InterfaceSpec> interfaces)
        {
            if (!f.TryGetValue("port", out var pn) || Text(pn, "port") is not { } port) return null;
            if (interfaces.Any(i => i.Name == port)) return port;
            Error(pn, $"port '{port}' is not an interface of this device (interfaces: {List(interfaces.Select(i => i.Name))})");
            return null;
        }

        private IpAddress? NextHop(Dictionary<string, YamlNode> f, YamlNode node, List<InterfaceSpec> interfaces, string? port)
        {
            if (!f.TryGetValue("via", out var vn))
            {
                Error(node, "missing required key 'via' (the next-hop address)");
                return null;
            }
            if (Text(vn, "via") is not { } text) return null;
            if (!IpAddress.TryParse(text, out var via)) { Error(vn, $"'{text}' is not an IP address"); return null; }
            var candidates = interfaces.Where(i => port is null || i.Name == port).ToList();
            if (!candidates.Any(i => i.Addresses.Any(a => a.Subnet.Contains(via))))
                Error(vn, $"next hop {via} is not on a connected subnet of {(port is null ? "this device" : $"interface {port}")}");
            return via;
        }

        private HostSpec? Host(YamlNode node, NetworkArchitecture? architecture)
        {
            var f = Fields(node, "host", Called(node, "host", "a host"));
            if (f is null) return null;
            var name = Name(f, node, "host");
            var addresses = f.TryGetValue("address", out var an) ? Addresses(ScalarOrSequence(an), architecture) : [];
            CheckOverlaps(addresses.Select(a => (a, HostSpec.InterfaceName)).ToList(), an ?? node, $"host '{name}'");
            var gateways = new List<IpAddress>();
            foreach (var g in f.TryGetValue("gateway", out var gn) ? ScalarOrSequence(gn) : [])
            {
                if (Text(g, "gateway") is not { } text) continue;
                if (!IpAddress.TryParse(text, out var gateway)) Error(g, $"gateway '{text}' is not an IP address");
                else if (!addresses.Any(a => a.Subnet.Contains(gateway)))
                    Error(g, $"gateway {gateway} is not on a connected subnet of host '{name}' ({(addresses.Count == 0 ? "it has no address" : $"addresses: {List(addresses.Select(a => a.ToString()))}")})");
                else if (addresses.Any(a => a.Address == gateway)) Error(g, $"gateway {gateway} is the host's own address");
                else gateways.Add(gateway);
            }
            var phy = Phy(f);
            var mac = f.TryGetValue("mac", out var mn) ? Mac(mn) : null;
            if (name is null) return null;
            var host = new HostSpec(name, addresses, gateways, phy);
            return mac is { } given ? host with { Mac = given } : host;
        }

        /// <summary>A host's MAC address: six hex octets, unicast and not all zero.</summary>
        private MacAddress? Mac(YamlNode node)
        {
            if (Text(node, "mac") is not { } text) return null;
            if (!MacAddress.TryParse(text, null, out var mac)) Error(node, $"mac '{text}' is not a MAC address (expected six hex octets such as 02:00:00:00:00:01)");
            else if (!mac.IsUnicast || mac.Value == 0) Error(node, $"mac {mac} must be a unicast address other than 00:00:00:00:00:00 (the first octet's lowest bit clear)");
            else return mac;
            return null;
        }

        private LinkSpec? Link(YamlNode node, Dictionary<string, (YamlNode At, List<string> Ports)> nodes, Dictionary<Endpoint, YamlNode> used, string where)
        {
            var f = Fields(node, "link", "a link");
            if (f is null) return null;
            if (!f.TryGetValue("endpoints", out var en)) { Error(node, "link has no 'endpoints' (write endpoints: [\"h1:eth0\", \"s1:eth1\"])"); return null; }
            var items = Sequence(en, "'endpoints'").ToList();
            if (en is YamlSequenceNode && items.Count != 2) { Error(en, $"a link joins exactly two endpoints, found {items.Count}"); return null; }
            var endpoints = new List<Endpoint>();
            foreach (var item in items)
            {
                if (Text(item, "endpoint") is not { } text || EndpointOf(item, text) is not { } endpoint) continue;
                if (!nodes.TryGetValue(endpoint.Node, out var target))
                    Error(item, $"link endpoint '{text}' names no device of {where} (devices: {List(nodes.Keys)}){Suggest(endpoint.Node, nodes.Keys)}");
                else if (!target.Ports.Contains(endpoint.Port))
                    Error(item, $"link endpoint '{text}': {endpoint.Node} has no interface '{endpoint.Port}' (interfaces: {List(target.Ports)})");
                else if (used.TryGetValue(endpoint, out var first))
                    Error(item, $"interface {endpoint} is already linked at line {first.Start.Line}; an interface takes at most one link");
                else
                {
                    used.Add(endpoint, item);
                    endpoints.Add(endpoint);
                }
            }
            return endpoints.Count == 2 ? new LinkSpec(endpoints[0], endpoints[1]) : null;
        }

        /// <summary>"r1:eth0" as an endpoint; null, with an error at <paramref name="node"/>, when it is not device:interface.</summary>
        private Endpoint? EndpointOf(YamlNode node, string text)
        {
            var colon = text.IndexOf(':');
            if (colon > 0 && colon < text.Length - 1 && text.IndexOf(':', colon + 1) < 0) return new Endpoint(text[..colon], text[(colon + 1)..]);
            Error(node, $"endpoint '{text}' must be written device:interface, such as \"r1:eth0\"");
            return null;
        }

        private static string? FamilyMismatch(bool isIpv4, NetworkArchitecture? architecture) => architecture switch
        {
            NetworkArchitecture.Ipv4 when !isIpv4 => "is IPv6 but the network's architecture is ipv4",
            NetworkArchitecture.Ipv6 when isIpv4 => "is IPv4 but the network's architecture is ipv6",
            _ => null,
        };

        private PhysicalPortKind? Phy(Dictionary<string, YamlNode> f) =>
            f.TryGetValue("phy", out var n) ? Enum<PhysicalPortKind>(n, "phy", ["tap", "af_packet", "memory"]) : null;

        private MplsLabel? Label(YamlNode node, string what)
        {
            if (Text(node, what) is not { } text) return null;
            if (MplsLabel.TryParse(text, null, out var label)) return label;
            Error(node, $"{what} '{text}' is not an MPLS label (0 to {MplsLabel.MaxValue})");
            return null;
        }

        private string? Name(Dictionary<string, YamlNode> f, YamlNode node, string what)
        {
            if (!f.TryGetValue("name", out var n)) { Error(node, $"{what} has no 'name'"); return null; }
            if (Text(n, "name") is not { } name) return null;
            if (NamePattern().IsMatch(name)) return name;
            Error(n, $"{what} name '{name}' must start with a letter and contain only letters, digits, '-' and '_'");
            return null;
        }

        private T? Missing<T>(YamlNode node, string where, string key) where T : struct
        {
            Error(node, $"{where} is missing required key '{key}'");
            return null;
        }

        private T? Enum<T>(YamlNode node, string what, string[] names) where T : struct, Enum
        {
            if (Text(node, what) is not { } text) return null;
            var index = Array.IndexOf(names, text);
            if (index >= 0) return System.Enum.GetValues<T>()[index];
            Error(node, $"unknown {what} '{text}' (expected one of: {string.Join(", ", names)}){Suggest(text, names)}");
            return null;
        }

        private int? Int(YamlNode node, string what, int min, int max)
        {
            if (Text(node, what) is not { } text) return null;
            if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                Error(node, $"{what} must be an integer, found '{text}'");
                return null;
            }
            if (value >= min && value <= max) return value;
            Error(node, max == int.MaxValue ? $"{what} must be at least {min}, found {value}" : $"{what} must be between {min} and {max}, found {value}");
            return null;
        }

        private string? Text(YamlNode node, string what)
        {
            if (node is YamlScalarNode { Value: { } value }) return value;
            Error(node, $"{what} must be a scalar value, found {Describe(node)}");
            return null;
        }

        private IEnumerable<YamlNode> Sequence(YamlNode node, string what)
        {
            if (node is YamlSequenceNode seq) return seq.Children;
            if (node is YamlScalarNode { Value: "" or "~" or "null", Style: ScalarStyle.Plain }) return [];
            Error(node, $"{what} must be a list, found {Describe(node)}");
            return [];
        }

        /// <summary>"router 'r1'" when the mapping has a plain name, else <paramref name="anonymous"/>; used before the name is validated.</summary>
        private static string Called(YamlNode node, string what, string anonymous) => RawName(node) is { } name ? $"{what} '{name}'" : anonymous;

        /// <summary>The mapping's name as written, valid or not; null when it has no plain name.</summary>
        private static string? RawName(YamlNode node) =>
            node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode("name"), out var n) && n is YamlScalarNode { Value: { Length: > 0 } name } ? name : null;

        private static YamlNode NameNode(YamlNode mapping) => ((YamlMappingNode)mapping).Children[new YamlScalarNode("name")];

        private static IEnumerable<YamlNode> ScalarOrSequence(YamlNode node) => node is YamlSequenceNode seq ? seq.Children : [node];

        /// <summary>The mapping's entries by key, with unknown or non-scalar keys reported; null when the node is not a mapping.</summary>
        private Dictionary<string, YamlNode>? Fields(YamlNode node, string section, string what)
        {
            if (node is not YamlMappingNode map)
            {
                Error(node, $"{what} must be a mapping, found {Describe(node)}");
                return null;
            }
            var known = KnownKeys.TryGetValue(section, out var k) ? k : null;
            var result = new Dictionary<string, YamlNode>();
            foreach (var (key, value) in map.Children)
            {
                if (key is not YamlScalarNode { Value: { } name }) { Error(key, $"keys must be plain strings, found {Describe(key)}"); continue; }
                if (known is not null && !known.Contains(name))
                {
                    Error(key, $"unknown key '{name}' in {what} (expected: {string.Join(", ", known)}){Suggest(name, known)}");
                    continue;
                }
                result[name] = value;
            }
            return result;
        }

        private static string Describe(YamlNode node) => node switch
        {
            YamlMappingNode => "a mapping",
            YamlSequenceNode => "a list",
            YamlScalarNode s => $"'{s.Value}'",
            _ => node.NodeType.ToString(),
        };

        private static string List(IEnumerable<string> names) => names.Any() ? string.Join(", ", names.Order(StringComparer.Ordinal)) : "none";

        private static string Lower(NetworkArchitecture architecture) => architecture.ToString().ToLowerInvariant();

        private static string Suggest(string text, IEnumerable<string> candidates)
        {
            var best = candidates.Select(c => (c, d: Distance(text, c))).Where(x => x.d <= Math.Max(1, x.c.Length / 3)).OrderBy(x => x.d).FirstOrDefault();
            return best.c is null ? "" : $"; did you mean '{best.c}'?";
        }

        private static int Distance(string a, string b)
        {
            var row = Enumerable.Range(0, b.Length + 1).ToArray();
            for (var i = 1; i <= a.Length; i++)
            {
                var diagonal = row[0];
                row[0] = i;
                for (var j = 1; j <= b.Length; j++)
                {
                    var above = row[j];
                    row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1));
                    diagonal = above;
                }
            }
            return row[b.Length];
        }
    }
}
