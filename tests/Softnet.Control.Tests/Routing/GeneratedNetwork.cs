using Softnet.Hypervisor.Forwarding;
using Softnet.Control.Routing;
using Softnet.Hypervisor.Scheduling;
using Softnet.Hypervisor.Topology;
using Softnet.Wire;

namespace Softnet.Control.Tests.Routing;

/// <summary>
/// Builds a network of routers r1..rN (some may be LSRs) joined by /30 links and switched LANs, with stub subnets and
/// hosts, and keeps its own model of it (who is adjacent at which address, which routers each subnet touches) from
/// which the expected routes are computed independently of the planner: Floyd–Warshall over the router adjacency.
/// </summary>
internal sealed class GeneratedNetwork
{
    private const int Unreachable = int.MaxValue / 4;

    private readonly List<(string Name, bool Lsr, List<InterfaceSpec> Interfaces)> _routers = [];
    private readonly List<SwitchSpec> _switches = [];
    private readonly List<HostSpec> _hosts = [];
    private readonly List<LinkSpec> _links = [];
    private uint _pointToPoint;

    /// <summary>From can send out of Port to To, whose address there is Via.</summary>
    public readonly record struct Adjacency(int From, string Port, int To, IpAddress Via);

    public List<Adjacency> Adjacencies { get; } = [];

    /// <summary>Gateway sides: a side linked to Port of Router, at Address, offering Offers into the network.</summary>
    public List<(int Router, string Port, IpAddress Address, IpPrefix[] Offers)> GatewaySides { get; } = [];

    /// <summary>Every subnet with the routers that have an address in it.</summary>
    public List<(IpPrefix Prefix, int[] Connected)> Subnets { get; } = [];

    public int Count => _routers.Count;

    public string Name(int router) => _routers[router].Name;

    public bool IsLsr(int router) => _routers[router].Lsr;

    public int AddRouter(bool lsr = false)
    {
        _routers.Add(($"r{Count + 1}", lsr, []));
        return Count - 1;
    }

    /// <summary>A /30 link from 172.16.0.0 up: a gets .1, b gets .2.</summary>
    public LinkSpec Connect(int a, int b)
    {
        var network = 0xAC10_0000u + 4 * _pointToPoint++;
        var (pa, pb) = (AddInterface(a, network + 1, 30), AddInterface(b, network + 2, 30));
        var link = new LinkSpec(new(Name(a), pa), new(Name(b), pb));
        _links.Add(link);
        Adjacencies.Add(new(a, pa, b, V4(network + 2)));
        Adjacencies.Add(new(b, pb, a, V4(network + 1)));
        Subnets.Add((IpPrefix.From(new Ipv4Prefix(new Ipv4Address(network), 30)), [a, b]));
        return link;
    }

    /// <summary>Removes a link; the interfaces keep their addresses, so the subnet stays, attached to both routers.</summary>
    public void Disconnect(LinkSpec link)
    {
        _links.Remove(link);
        Adjacencies.RemoveAll(x => new Endpoint(Name(x.From), x.Port) == link.A || new Endpoint(Name(x.From), x.Port) == link.B);
    }

    /// <summary>A switch joining the members in 10.200.k.0/24 (member i gets .i+1), all in VLAN 1.</summary>
    public void AddLan(params int[] members)
    {
        var k = (uint)_switches.Count;
        var network = 0x0AC8_0000u + (k << 8);
        var name = $"s{k + 1}";
        var ports = new List<SwitchPortSpec>();
        var addresses = new List<(int Router, string Port, IpAddress Address)>();
        for (var i = 0; i < members.Length; i++)
        {
            var port = AddInterface(members[i], network + (uint)i + 1, 24);
            ports.Add(new SwitchPortSpec($"eth{i + 1}", null, [], null));
            _links.Add(new LinkSpec(new(Name(members[i]), port), new(name, $"eth{i + 1}")));
            addresses.Add((members[i], port, V4(network + (uint)i + 1)));
        }
        _switches.Add(new SwitchSpec(name, ports));
        foreach (var from in addresses)
            foreach (var to in addresses.Where(t => t.Router != from.Router))
                Adjacencies.Add(new(from.Router, from.Port, to.Router, to.Address));
        Subnets.Add((IpPrefix.From(new Ipv4Prefix(new Ipv4Address(network), 24)), [.. members.Distinct()]));
    }

    /// <summary>The router's own 10.1.r.0/24 (it is .1), with host h(r+1) at .10 when asked.</summary>
    public void AddStub(int router, bool host)
    {
        var network = 0x0A01_0000u + ((uint)router << 8);
        var port = AddInterface(router, network + 1, 24);
        if (host)
        {
            var address = new InterfaceAddress(V4(network + 10), IpPrefix.From(new Ipv4Prefix(new Ipv4Address(network), 24)));
            var name = $"h{router + 1}";
            _hosts.Add(new HostSpec(name, [address], [V4(network + 1)], null));
            _links.Add(new LinkSpec(new(name, HostSpec.InterfaceName), new(Name(router), port)));
        }
        Subnets.Add((IpPrefix.From(new Ipv4Prefix(new Ipv4Address(network), 24)), [router]));
    }

    /// <summary>
    /// A gateway side on a new /30 from 192.168.250.0 up (the router is .1, the side .2) whose gateway routes
    /// <paramref name="offers"/> on its other side, in network <c>far</c>.
    /// </summary>
    public void AddGatewaySide(int router, params IpPrefix[] offers)
    {
        var network = 0xC0A8_FA00u + 4 * (uint)GatewaySides.Count;
        var port = AddInterface(router, network + 1, 30);
        GatewaySides.Add((router, port, V4(network + 2), offers));
        Subnets.Add((IpPrefix.From(new Ipv4Prefix(new Ipv4Address(network), 30)), [router]));
    }

    /// <summary>One gateway gwK per side of <see cref="GatewaySides"/>, joining network gen to network far.</summary>
    public List<GatewaySpec> Gateways() =>
        [.. GatewaySides.Select((side, k) =>
        {
            var subnet = IpPrefix.From(new Ipv4Prefix(side.Address.V4!.Value, 30));
            var far = IpAddress.From(new Ipv4Address(0xC0A8_FB01u));
            return new GatewaySpec($"gw{k + 1}", 1,
                [
                    new GatewaySideSpec("gen", "eth0", [new InterfaceAddress(side.Address, subnet)], new Endpoint(Name(side.Router), side.Port), [], []),
                    new GatewaySideSpec("far", "eth1", [new InterfaceAddress(IpAddress.From(new Ipv4Address(0xC0A8_FB02u)), IpPrefix.From(new Ipv4Prefix(new Ipv4Address(0xC0A8_FB00u), 30)))],
                        new Endpoint("x", "eth0"), [], [.. side.Offers.Select(o => new StaticRoute(o, far, "eth1", []))]),
                ],
                [], []);
        })];

    public SoftwareNetwork Build(NetworkArchitecture architecture = NetworkArchitecture.Ipv4)
    {
        var devices = new List<DeviceSpec>();
        foreach (var (name, lsr, interfaces) in _routers)
            devices.Add(lsr ? new LsrSpec(name, [.. interfaces], [], []) : new RouterSpec(name, [.. interfaces], []));
        devices.AddRange(_switches);
        return new SoftwareNetwork("gen", architecture, 1, PriorityKind.None, devices, [.. _hosts], [.. _links]);
    }

    /// <summary>A connected random graph: a random spanning tree, extra links, now and then a LAN of three; stubs with and without hosts.</summary>
    public static GeneratedNetwork Random(int seed, int routers, double lsrShare = 0)
    {
        var random = new Random(seed);
        var g = new GeneratedNetwork();
        for (var i = 0; i < routers; i++) g.AddRouter(random.NextDouble() < lsrShare);
        for (var i = 1; i < routers; i++) g.Connect(random.Next(i), i);
        for (var e = 0; e < routers / 2; e++)
        {
            var a = random.Next(routers);
            g.Connect(a, (a + 1 + random.Next(routers - 1)) % routers);
        }
        if (routers >= 6 && random.Next(2) == 0) g.AddLan(0, 1 + random.Next(routers / 2 - 1), routers / 2 + random.Next(routers / 2));
        for (var i = 0; i < routers; i++)
        {
            var stub = random.Next(3);
            if (stub > 0) g.AddStub(i, host: stub == 2);
        }
        return g;
    }

    /// <summary>A rows × columns grid; router (r, c) is number r·columns + c, every router has a stub with a host.</summary>
    public static GeneratedNetwork Grid(int rows, int columns)
    {
        var g = new GeneratedNetwork();
        for (var i = 0; i < rows * columns; i++) g.AddRouter();
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < columns; c++)
            {
                if (c + 1 < columns) g.Connect(r * columns + c, r * columns + c + 1);
                if (r + 1 < rows) g.Connect(r * columns + c, (r + 1) * columns + c);
            }
        for (var i = 0; i < rows * columns; i++) g.AddStub(i, host: true);
        return g;
    }

    /// <summary>Hop counts between routers (Floyd–Warshall); <see cref="Unreachable"/> when there is no path.</summary>
    public int[,] Distances()
    {
        var d = new int[Count, Count];
        for (var i = 0; i < Count; i++)
            for (var j = 0; j < Count; j++) d[i, j] = i == j ? 0 : Unreachable;
        foreach (var a in Adjacencies) d[a.From, a.To] = 1;
        for (var k = 0; k < Count; k++)
            for (var i = 0; i < Count; i++)
                for (var j = 0; j < Count; j++)
                    if (d[i, k] + d[k, j] < d[i, j]) d[i, j] = d[i, k] + d[k, j];
        return d;
    }

    /// <summary>Hops from <paramref name="router"/> to the nearest router touching the subnet; null when unreachable.</summary>
    public static int? DistanceTo(int[,] distances, int router, (IpPrefix Prefix, int[] Connected) subnet)
    {
        var best = subnet.Connected.Min(c => distances[router, c]);
        return best >= Unreachable ? null : best;
    }

    /// <summary>Hops from <paramref name="router"/> to the nearest gateway side offering <paramref name="offer"/> (one more than to its router); null when unreachable.</summary>
    public int? GatewayDistance(int[,] distances, int router, IpPrefix offer)
    {
        var best = GatewaySides.Where(s => s.Offers.Contains(offer)).Min(s => distances[router, s.Router]);
        return best >= Unreachable ? null : best + 1;
    }

    /// <summary>Per router name, its expected next hops as sorted "prefix port via" lines.</summary>
    public Dictionary<string, List<string>> ExpectedNextHops()
    {
        var d = Distances();
        var result = new Dictionary<string, List<string>>();
        for (var r = 0; r < Count; r++)
        {
            var lines = new List<string>();
            var adjacent = Adjacencies.Where(a => a.From == r).ToList();
            foreach (var subnet in Subnets)
            {
                if (DistanceTo(d, r, subnet) is not { } hops || hops == 0) continue;
                foreach (var a in adjacent.Where(a => DistanceTo(d, a.To, subnet) == hops - 1))
                    lines.Add($"{subnet.Prefix} {a.Port} {a.Via}");
            }
            foreach (var offer in GatewaySides.SelectMany(s => s.Offers).Distinct())
            {
                if (GatewayDistance(d, r, offer) is not { } hops) continue;
                foreach (var side in GatewaySides.Where(s => s.Router == r && hops == 1 && s.Offers.Contains(offer)))
                    lines.Add($"{offer} {side.Port} {side.Address}");
                foreach (var a in adjacent.Where(a => GatewayDistance(d, a.To, offer) == hops - 1))
                    lines.Add($"{offer} {a.Port} {a.Via}");
            }
            lines.Sort(StringComparer.Ordinal);
            result[Name(r)] = lines;
        }
        return result;
    }

    /// <summary>The plan's computed next hops in the form of <see cref="ExpectedNextHops"/>.</summary>
    public static List<string> NextHops(DevicePlan plan)
    {
        var lines = plan.Routes.Where(r => r.Origin == RouteOrigin.Computed)
            .SelectMany(r => r.NextHops.Select(h => $"{r.Prefix} {h.Port} {h.Via}"))
            .ToList();
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    /// <summary>The router that owns each next-hop address.</summary>
    public Dictionary<IpAddress, int> Owners()
    {
        var owners = new Dictionary<IpAddress, int>();
        foreach (var a in Adjacencies) owners[a.Via] = a.To;
        return owners;
    }

    private string AddInterface(int router, uint address, int length)
    {
        var interfaces = _routers[router].Interfaces;
        var name = $"eth{interfaces.Count}";
        var value = new Ipv4Address(address);
        interfaces.Add(new InterfaceSpec(name, [new InterfaceAddress(IpAddress.From(value), IpPrefix.From(new Ipv4Prefix(value, length)))], null));
        return name;
    }

    private static IpAddress V4(uint value) => IpAddress.From(new Ipv4Address(value));
}
