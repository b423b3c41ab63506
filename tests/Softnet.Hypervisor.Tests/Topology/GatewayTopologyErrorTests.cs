using Softnet.Hypervisor.Topology;

namespace Softnet.Hypervisor.Tests.Topology;

/// <summary>Mistakes in the <c>gateways</c> section, each reported once, at its line and column, saying what is wrong.</summary>
public sealed class GatewayTopologyErrorTests
{
    /// <summary>Two networks, each h1 — r1 with r1:eth1 left free for the gateway (lines 1-35).</summary>
    private const string Networks = """
        networks:
          - name: red
            architecture: ipv4
            tokens: 4
            devices:
              - name: r1
                kind: router
                interfaces:
                  - name: eth0
                    addresses: ["10.0.1.1/24"]
                  - name: eth1
                    addresses: ["192.168.1.1/30"]
            hosts:
              - name: h1
                address: 10.0.1.10/24
                gateway: 10.0.1.1
            links:
              - endpoints: ["h1:eth0", "r1:eth0"]
          - name: blue
            architecture: ipv4
            tokens: 4
            devices:
              - name: r1
                kind: router
                interfaces:
                  - name: eth0
                    addresses: ["10.0.1.1/24"]
                  - name: eth1
                    addresses: ["192.168.2.1/30"]
            hosts:
              - name: h1
                address: 10.0.1.10/24
                gateway: 10.0.1.1
            links:
              - endpoints: ["h1:eth0", "r1:eth0"]

        """;

    /// <summary>A valid gateway between them (lines 36-53).</summary>
    private const string Gateway = """
        gateways:
          - name: gw
            tokens: 1
            sides:
              - network: red
                interface: eth0
                addresses: ["192.168.1.2/30"]
                endpoint: r1:eth1
                nat: { real: 10.0.1.0/24, mapped: 172.16.1.0/24 }
              - network: blue
                interface: eth1
                addresses: ["192.168.2.2/30"]
                endpoint: r1:eth1
                nat: { real: 10.0.1.0/24, mapped: 172.16.2.0/24 }
            rules:
              - { from: red, to: blue, destination: 10.0.1.10/32, protocol: tcp, ports: 80 }
            limits:
              - { from: red, to: blue, pps: 1000 }
        """;

    private const string Valid = Networks + Gateway;

    private static void AssertSingle(string text, int line, int column, string message)
    {
        var e = Assert.Throws<TopologyException>(() => TopologyLoader.Parse(text, "gw.yaml"));
        var error = Assert.Single(e.Errors);
        Assert.Equal((line, column, message), (error.Line, error.Column, error.Message));
    }

    private static string Edit(string from, string to)
    {
        Assert.Contains(from, Gateway);
        return Networks + Gateway.Replace(from, to);
    }

    [Fact]
    public void The_base_file_is_valid() => Assert.Equal("gw", Assert.Single(TopologyLoader.Parse(Valid, "gw.yaml").Gateways).Name);

    [Fact]
    public void Unknown_network_with_suggestion() => AssertSingle(Edit("network: blue", "network: blu"), 45, 18,
        "gateway 'gw': no network is called 'blu' (networks: blue, red); did you mean 'blue'?");

    [Fact]
    public void A_side_naming_a_network_that_failed_to_load_adds_no_error()
    {
        var text = Valid.Replace("    tokens: 4\n    devices:\n      - name: r1\n        kind: router\n        interfaces:\n          - name: eth0\n            addresses: [\"10.0.1.1/24\"]\n          - name: eth1\n            addresses: [\"192.168.2.1/30\"]",
            "    tokens: 0\n    devices:\n      - name: r1\n        kind: router\n        interfaces:\n          - name: eth0\n            addresses: [\"10.0.1.1/24\"]\n          - name: eth1\n            addresses: [\"192.168.2.1/30\"]");
        AssertSingle(text, 21, 13, "tokens must be at least 1, found 0");
    }

    [Fact]
    public void Endpoint_names_no_device() => AssertSingle(Edit("addresses: [\"192.168.1.2/30\"]\n        endpoint: r1:eth1", "addresses: [\"192.168.1.2/30\"]\n        endpoint: r2:eth1"), 43, 19,
        "side 'red' of gateway 'gw': endpoint 'r2:eth1' names no device of network 'red' (devices: h1, r1); did you mean 'r1'?");

    [Fact]
    public void Endpoint_names_no_interface() => AssertSingle(Edit("addresses: [\"192.168.1.2/30\"]\n        endpoint: r1:eth1", "addresses: [\"192.168.1.2/30\"]\n        endpoint: r1:eth7"), 43, 19,
        "side 'red' of gateway 'gw': endpoint 'r1:eth7': r1 has no interface 'eth7' (interfaces: eth0, eth1)");

    [Fact]
    public void Endpoint_already_linked_in_its_network() => AssertSingle(Edit("addresses: [\"192.168.2.2/30\"]\n        endpoint: r1:eth1", "addresses: [\"192.168.2.2/30\"]\n        endpoint: r1:eth0"), 48, 19,
        "side 'blue' of gateway 'gw': interface r1:eth0 is already linked in network 'blue'; a gateway side needs a free interface (free on r1: eth1)");

    [Fact]
    public void Endpoint_taken_by_another_gateway()
    {
        var second = Gateway["gateways:\n".Length..].Replace("name: gw", "name: gw2");
        var errors = Assert.Throws<TopologyException>(() => TopologyLoader.Parse(Valid + "\n" + second, "gw.yaml")).Errors;
        Assert.Equal(
            [
                (60, 19, "side 'red' of gateway 'gw2': interface r1:eth1 of network 'red' is already the endpoint of the gateway side at line 43"),
                (65, 19, "side 'blue' of gateway 'gw2': interface r1:eth1 of network 'blue' is already the endpoint of the gateway side at line 48"),
            ],
            errors.Select(e => (e.Line, e.Column, e.Message)));
    }

    [Fact]
    public void Side_address_must_share_a_subnet_with_its_endpoint() => AssertSingle(Edit("192.168.1.2/30", "192.168.9.2/30"), 43, 19,
        "side 'red' of gateway 'gw': no address of the side (192.168.9.2/30) shares a subnet with r1:eth1 (192.168.1.1/30)");

    [Fact]
    public void Side_address_must_not_be_its_endpoints() => AssertSingle(Edit("192.168.1.2/30", "192.168.1.1/30"), 43, 19,
        "side 'red' of gateway 'gw': address 192.168.1.1 is also the address of r1:eth1");

    [Fact]
    public void Side_needs_addresses() => AssertSingle(Edit("        addresses: [\"192.168.2.2/30\"]\n", ""), 45, 9,
        "side 'blue' of gateway 'gw' needs 'addresses': the gateway's own address(es) on the link to its endpoint");

    [Fact]
    public void One_side_per_network() => AssertSingle(Edit("network: blue", "network: red"), 45, 18,
        "network 'red' already has a side in gateway 'gw' at line 40; a gateway has one side per network");

    [Fact]
    public void Interface_names_are_unique() => AssertSingle(Edit("interface: eth1", "interface: eth0"), 46, 20,
        "interface 'eth0' of gateway 'gw' is already declared at line 41");

    [Fact]
    public void At_least_two_sides()
    {
        var text = Networks + "gateways:\n  - name: gw\n    tokens: 1\n    sides:\n      - network: red\n        interface: eth0\n        addresses: [\"192.168.1.2/30\"]\n        endpoint: r1:eth1\n";
        AssertSingle(text, 40, 7, "gateway 'gw' joins at least two networks, one side each; found 1");
    }

    [Fact]
    public void Tokens_are_required() => AssertSingle(Edit("    tokens: 1\n", ""), 37, 5, "gateway 'gw' is missing required key 'tokens'");

    [Fact]
    public void Gateway_name_differs_from_network_names() => AssertSingle(Edit("name: gw", "name: blue"), 37, 11,
        "gateway name 'blue' is already used by the network at line 19; a gateway is scheduled like a network and needs a name of its own");

    [Fact]
    public void Unknown_side_key_with_suggestion() => AssertSingle(Edit("interface: eth1", "interface: eth1\n        adress: 192.168.2.2/30"), 47, 9,
        "unknown key 'adress' in a gateway side (expected: network, interface, addresses, endpoint, nat, routes); did you mean 'addresses'?");

    [Fact]
    public void Nat_prefixes_have_one_family_and_length() => AssertSingle(Edit("mapped: 172.16.2.0/24", "mapped: 172.16.0.0/16"), 49, 43,
        "mapped prefix 172.16.0.0/16 must be as long as real prefix 10.0.1.0/24 (/24): the mapping is 1:1");

    [Fact]
    public void Nat_mappings_of_a_side_do_not_overlap() => AssertSingle(
        Edit("nat: { real: 10.0.1.0/24, mapped: 172.16.2.0/24 }", "nat:\n          - { real: 10.0.1.0/24, mapped: 172.16.2.0/24 }\n          - { real: 10.0.1.128/25, mapped: 172.16.3.0/25 }"),
        51, 21, "real prefix 10.0.1.128/25 overlaps real prefix 10.0.1.0/24 of another mapping of this side");

    [Fact]
    public void Mapped_prefixes_of_two_sides_do_not_overlap() => AssertSingle(Edit("mapped: 172.16.2.0/24", "mapped: 172.16.1.0/24"), 49, 43,
        "mapped prefix 172.16.1.0/24 overlaps mapped prefix 172.16.1.0/24 of side 'red' (line 44): the other sides could not tell the two networks apart");

    [Fact]
    public void Route_next_hop_is_on_the_sides_subnet() => AssertSingle(Edit("mapped: 172.16.2.0/24 }", "mapped: 172.16.2.0/24 }\n        routes:\n          - { prefix: 172.16.2.0/24, via: 192.168.1.1 }"), 51, 43,
        "next hop 192.168.1.1 is not on a connected subnet of interface eth1 (addresses: 192.168.2.2/30)");

    [Fact]
    public void A_prefix_is_routed_once_in_the_gateway()
    {
        var text = Edit("mapped: 172.16.1.0/24 }", "mapped: 172.16.1.0/24 }\n        routes: [{ prefix: 10.9.0.0/16, via: 192.168.1.1 }]")
            .Replace("mapped: 172.16.2.0/24 }", "mapped: 172.16.2.0/24 }\n        routes: [{ prefix: 10.9.0.0/16, via: 192.168.2.1 }]");
        AssertSingle(text, 51, 28, "gateway 'gw' already routes 10.9.0.0/16 at line 45; its sides share one routing table");
    }

    [Fact]
    public void Rule_names_a_side_that_does_not_exist() => AssertSingle(Edit("{ from: red, to: blue, destination", "{ from: red, to: green, destination"), 51, 26,
        "'to: green' names no side of gateway 'gw' (sides: blue, red)");

    [Fact]
    public void Rule_joins_two_different_sides() => AssertSingle(Edit("{ from: red, to: blue, destination", "{ from: red, to: red, destination"), 51, 26,
        "'from' and 'to' are both 'red'; a rule joins two different sides");

    [Fact]
    public void Rule_prefix_is_of_its_networks_family() => AssertSingle(Edit("destination: 10.0.1.10/32", "destination: 2001:db8::10/128"), 51, 45,
        "destination 2001:db8::10/128 is IPv6 but network 'blue' has architecture ipv4");

    [Fact]
    public void Rule_destination_is_written_as_its_network_numbers_it() => AssertSingle(Edit("destination: 10.0.1.10/32", "destination: 172.16.2.10/32"), 51, 45,
        "destination 172.16.2.10/32 is how the other sides see 'blue' (NAT 10.0.1.0/24 -> 172.16.2.0/24); a rule gives it as 'blue' numbers it: 10.0.1.10/32");

    [Fact]
    public void Rule_prefix_has_no_host_bits() => AssertSingle(Edit("destination: 10.0.1.10/32", "destination: 10.0.1.10/24"), 51, 45,
        "destination '10.0.1.10/24' is not a prefix (expected any, or network/length with no host bits set such as 10.0.2.0/24 or 10.0.2.10/32)");

    [Fact]
    public void Ports_only_for_tcp_and_udp() => AssertSingle(Edit("protocol: tcp", "protocol: icmp"), 51, 82, "'ports' applies to tcp and udp, not icmp");

    [Fact]
    public void Port_range_must_not_be_empty() => AssertSingle(Edit("ports: 80", "ports: 90-80"), 51, 81, "port range '90-80' is empty (its first port is above its last)");

    [Fact]
    public void Port_must_be_a_number() => AssertSingle(Edit("ports: 80", "ports: http"), 51, 81, "ports 'http' must be a port (0 to 65535) or a range such as 8000-8080");

    [Fact]
    public void Unknown_protocol_with_suggestion() => AssertSingle(Edit("protocol: tcp", "protocol: tcpp"), 51, 69,
        "unknown protocol 'tcpp' (expected one of: any, tcp, udp, icmp); did you mean 'tcp'?");

    [Fact]
    public void Limit_needs_a_rate() => AssertSingle(Edit("{ from: red, to: blue, pps: 1000 }", "{ from: red, to: blue }"), 53, 9,
        "a limit needs 'pps' (packets per second), 'bps' (bits per second) or both");

    [Fact]
    public void Limit_rate_is_an_integer_with_a_suffix() => AssertSingle(Edit("pps: 1000", "pps: 1.5M"), 53, 37,
        "pps must be a rate such as 10000, 500k, 100M or 10G, found '1.5M'");

    [Fact]
    public void Limit_burst_is_a_duration() => AssertSingle(Edit("pps: 1000", "pps: 1000, burst: 2m"), 53, 50,
        "burst must be a duration such as 500us, 10ms or 1s, found '2m'");

    [Fact]
    public void Limit_burst_is_bounded() => AssertSingle(Edit("pps: 1000", "pps: 1000, burst: 61s"), 53, 50, "burst must be between 1us and 60s, found '61s'");

    [Fact]
    public void One_limit_per_direction() => AssertSingle(Edit("{ from: red, to: blue, pps: 1000 }", "{ from: red, to: blue, pps: 1000 }\n      - { from: red, to: blue, bps: 1M }"), 54, 9,
        "direction red -> blue of gateway 'gw' is already limited at line 53");
}
