using Softnet.Devices.Gateway;
using Softnet.Hypervisor.Topology;
using Softnet.Wire;

namespace Softnet.Hypervisor.Tests.Topology;

/// <summary>The <c>gateways</c> section read into <see cref="GatewaySpec"/> records.</summary>
public sealed class GatewayTopologyTests
{
    [Fact]
    public void The_gateway_example_reads_as_written()
    {
        var file = TopologyLoader.Load(RepositoryFiles.PathOf("examples/gateway.yaml"));
        Assert.Equal(["red", "blue"], file.Networks.Select(n => n.Name));
        var gw = Assert.Single(file.Gateways);
        Assert.Equal(("gw", 2), (gw.Name, gw.Tokens));
        Assert.Equal(["red", "blue"], gw.Networks);

        var red = gw["red"];
        Assert.Equal(("eth0", new Endpoint("r1", "eth2")), (red.Interface, red.Endpoint));
        Assert.Equal("192.168.100.2/30", Assert.Single(red.Addresses).ToString());
        Assert.Equal(new GatewayNatSpec(Prefix("10.0.1.0/24"), Prefix("172.16.1.0/24")), Assert.Single(red.Nat));
        var route = Assert.Single(red.Routes);
        Assert.Equal((Prefix("172.16.1.0/24"), Address("192.168.100.1"), "eth0"), (route.Prefix, route.Via, route.Port));
        Assert.Empty(route.PushLabels);
        Assert.Equal(("eth1", new Endpoint("r1", "eth2")), (gw["blue"].Interface, gw["blue"].Endpoint));

        Assert.Equal(new GatewayRuleSpec("red", "blue", Prefix("10.0.1.0/24"), Prefix("10.0.2.10/32"), GatewayProtocol.Tcp, PortRange.Single(80)), Assert.Single(gw.Rules));
        Assert.Equal(new GatewayLimitSpec("red", "blue", 10_000, 100_000_000, TimeSpan.FromMilliseconds(10)), Assert.Single(gw.Limits));
    }

    [Fact]
    public void The_documented_gateway_is_the_examples()
    {
        var markdown = File.ReadAllText(RepositoryFiles.PathOf("docs/topology.md"));
        var start = markdown.IndexOf("```yaml\ngateways:", StringComparison.Ordinal) + "```yaml\n".Length;
        var documented = markdown[start..markdown.IndexOf("```", start, StringComparison.Ordinal)];
        var example = File.ReadAllText(RepositoryFiles.PathOf("examples/gateway.yaml"));
        var networks = example[..example.IndexOf("gateways:", StringComparison.Ordinal)];
        Assert.Equal(Describe(TopologyLoader.Parse(example, "example").Gateways), Describe(TopologyLoader.Parse(networks + documented, "docs").Gateways));
    }

    [Fact]
    public void A_file_without_gateways_has_none() =>
        Assert.Empty(TopologyLoader.Load(RepositoryFiles.PathOf("examples/two-hosts-router.yaml")).Gateways);

    [Fact]
    public void Defaults_ranges_suffixes_and_lists_of_mappings()
    {
        const string text = """
            networks:
              - name: a
                architecture: mpls
                tokens: 1
                devices:
                  - name: r1
                    kind: router
                    interfaces:
                      - name: eth0
                        addresses: ["192.168.1.1/30", "2001:db8:ff::1/64"]
              - name: b
                architecture: ipv6
                tokens: 1
                hosts:
                  - name: h1
                    address: 2001:db8:fe::1/64
            gateways:
              - name: edge
                tokens: 3
                sides:
                  - network: a
                    interface: to-a
                    addresses: ["192.168.1.2/30", "2001:db8:ff::2/64"]
                    endpoint: r1:eth0
                    nat:
                      - { real: 10.0.0.0/24, mapped: 10.9.0.0/24 }
                      - { real: "2001:db8:1::/64", mapped: "2001:db8:9::/64" }
                  - network: b
                    interface: to-b
                    addresses: ["2001:db8:fe::2/64"]
                    endpoint: h1:eth0
                    routes:
                      - { prefix: "2001:db8:2::/48", via: "2001:db8:fe::1" }
                rules:
                  - { from: b, to: a }
                  - { from: a, to: b, source: any, destination: "2001:db8:2::/48", protocol: udp, ports: 5000-5999 }
                  - { from: a, to: b, protocol: icmp }
                limits:
                  - { from: b, to: a, bps: 2G }
                  - { from: a, to: b, pps: 1500, burst: 250us }
            """;
        var edge = Assert.Single(TopologyLoader.Parse(text, "edge.yaml").Gateways);
        Assert.Equal(2, edge["a"].Nat.Count);
        Assert.Equal(Prefix("2001:db8:9::/64"), edge["a"].Nat[1].Mapped);
        Assert.Equal("to-b", Assert.Single(edge["b"].Routes).Port);
        Assert.Equal(
            [
                new GatewayRuleSpec("b", "a", null, null, GatewayProtocol.Any, null),
                new GatewayRuleSpec("a", "b", null, Prefix("2001:db8:2::/48"), GatewayProtocol.Udp, new PortRange(5000, 5999)),
                new GatewayRuleSpec("a", "b", null, null, GatewayProtocol.Icmp, null),
            ],
            edge.Rules);
        Assert.Equal(
            [
                new GatewayLimitSpec("b", "a", null, 2_000_000_000, GatewayLimitSpec.DefaultBurst),
                new GatewayLimitSpec("a", "b", 1500, null, TimeSpan.FromMicroseconds(250)),
            ],
            edge.Limits);
    }

    /// <summary>Every field of the gateways, lists included, as text.</summary>
    private static List<string> Describe(IReadOnlyList<GatewaySpec> gateways) =>
        [.. gateways.SelectMany(g => new[] { $"{g.Name} {g.Tokens}" }
            .Concat(g.Sides.Select(s => $"{s.Network} {s.Interface} {string.Join(',', s.Addresses)} {s.Endpoint} {string.Join(',', s.Nat)} {string.Join(',', s.Routes.Select(r => $"{r.Prefix} {r.Via} {r.Port}"))}"))
            .Concat(g.Rules.Select(r => r.ToString()))
            .Concat(g.Limits.Select(l => l.ToString())))];

    private static IpPrefix Prefix(string text) => IpPrefix.TryParse(text, out var prefix) ? prefix : throw new FormatException(text);

    private static IpAddress Address(string text) => IpAddress.TryParse(text, out var address) ? address : throw new FormatException(text);
}
