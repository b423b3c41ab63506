using Softnet.Hypervisor.Topology;

namespace Softnet.Hypervisor.Tests.Topology;

public sealed class TopologyErrorTests
{
    private const string Header = """
        networks:
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
                    addresses: ["10.0.2.1/24"]
            hosts:
              - name: h1
                address: 10.0.1.10/24
                gateway: 10.0.1.1
        """;

    private static TopologyException Fail(string text)
    {
        var e = Assert.Throws<TopologyException>(() => TopologyLoader.Parse(text, "x.yaml"));
        Assert.NotEmpty(e.Errors);
        return e;
    }

    private static void AssertSingle(string text, int line, int column, string message)
    {
        var error = Assert.Single(Fail(text).Errors);
        Assert.Equal((line, column, message), (error.Line, error.Column, error.Message));
    }

    [Fact]
    public void ValidHeaderLoads() => Assert.Equal("blue", TopologyLoader.Parse(Header, "x.yaml").Networks[0].Name);

    [Fact]
    public void DanglingEndpointNamesTheDevices()
    {
        var e = Fail(Header + "\n    links:\n      - endpoints: [\"h1:eth0\", \"r9:eth0\"]\n");
        var error = Assert.Single(e.Errors);
        Assert.Equal("x.yaml:18:32: link endpoint 'r9:eth0' names no device of network 'blue' (devices: h1, r1); did you mean 'r1'?", error.Format("x.yaml"));
        Assert.Equal(error.Format("x.yaml"), e.Message);
    }

    [Fact]
    public void MissingInterface() => AssertSingle(Header + "\n    links:\n      - endpoints: [\"h1:eth0\", \"r1:eth7\"]\n",
        18, 32, "link endpoint 'r1:eth7': r1 has no interface 'eth7' (interfaces: eth0, eth1)");

    [Fact]
    public void InterfaceLinkedTwice() => AssertSingle(
        Header + "\n    links:\n      - endpoints: [\"h1:eth0\", \"r1:eth0\"]\n      - endpoints: [\"r1:eth1\", \"r1:eth0\"]\n",
        19, 32, "interface r1:eth0 is already linked at line 18; an interface takes at most one link");

    [Fact]
    public void LinkNeedsTwoEndpoints() => AssertSingle(Header + "\n    links:\n      - endpoints: [\"h1:eth0\"]\n",
        18, 20, "a link joins exactly two endpoints, found 1");

    [Fact]
    public void MalformedEndpoint() => AssertSingle(Header + "\n    links:\n      - endpoints: [\"h1-eth0\", \"r1:eth0\"]\n",
        18, 21, "endpoint 'h1-eth0' must be written device:interface, such as \"r1:eth0\"");

    [Fact]
    public void YamlSyntaxError()
    {
        var error = Assert.Single(Fail("networks:\n  - name: blue\n    tokens: [1, 2\n").Errors);
        Assert.Equal((4, 1), (error.Line, error.Column));
        Assert.StartsWith("YAML syntax error: ", error.Message);
    }

    [Fact]
    public void BadIndentationIsASyntaxError()
    {
        var error = Assert.Single(Fail("networks:\n  - name: blue\n   tokens: 1\n").Errors);
        Assert.StartsWith("YAML syntax error: ", error.Message);
        Assert.Equal(3, error.Line);
    }

    [Fact]
    public void ScannerFailureInFlowSequenceIsASyntaxError()
    {
        var error = Assert.Single(Fail("networks:\n  - links:\n      - endpoints: [\"h1:eth0\"\n        p, \"s1:eth1\"]\n").Errors);
        Assert.StartsWith("YAML syntax error after this point: ", error.Message);
        Assert.Equal((3, 20), (error.Line, error.Column));
    }

    [Fact]
    public void DuplicateYamlKey()
    {
        var error = Assert.Single(Fail("networks:\n  - name: blue\n    name: red\n").Errors);
        Assert.Equal(3, error.Line);
        Assert.StartsWith("YAML syntax error: ", error.Message);
    }

    [Fact]
    public void WrongTypeForTokens() => AssertSingle(Header.Replace("tokens: 4", "tokens: many"), 4, 13, "tokens must be an integer, found 'many'");

    [Fact]
    public void TokensMustBePositive() => AssertSingle(Header.Replace("tokens: 4", "tokens: 0"), 4, 13, "tokens must be at least 1, found 0");

    [Fact]
    public void ListWhereScalarExpected() => AssertSingle(Header.Replace("name: blue", "name: [blue]"), 2, 11, "name must be a scalar value, found a list");

    [Fact]
    public void UnknownKeyWithSuggestion() => AssertSingle(Header.Replace("tokens: 4", "tokens: 4\n    priorty: relative"), 5, 5,
        "unknown key 'priorty' in network 'blue' (expected: name, architecture, tokens, priority, devices, hosts, links); did you mean 'priority'?");

    [Fact]
    public void UnknownKeyWithoutSuggestion() => AssertSingle(Header.Replace("kind: router", "kind: router\n        colour: red"), 8, 9,
        "unknown key 'colour' in router 'r1' (expected: name, kind, interfaces, routes)");

    [Fact]
    public void DuplicateDeviceName() => AssertSingle(Header.Replace("- name: h1", "- name: r1"), 14, 15,
        "name 'r1' is already used in network 'blue' at line 6");

    [Fact]
    public void DuplicateNetworkName()
    {
        var text = Header + "\n" + Header["networks:\n".Length..];
        AssertSingle(text, 17, 11, "network name 'blue' is already used at line 2");
    }

    [Fact]
    public void BadRoutePrefix() => AssertSingle(WithRouterLines("        routes:\n          - prefix: 10.0.3.1/24\n            via: 10.0.2.2"),
        14, 21, "'10.0.3.1/24' is not a prefix (expected network/length with no host bits set, such as 10.0.3.0/24)");

    [Fact]
    public void RouteNextHopMustBeConnected() => AssertSingle(WithRouterLines("        routes:\n          - prefix: 10.0.3.0/24\n            via: 10.0.9.2"),
        15, 18, "next hop 10.0.9.2 is not on a connected subnet of this device");

    private static string WithRouterLines(string lines) =>
        Header.Replace("addresses: [\"10.0.2.1/24\"]", "addresses: [\"10.0.2.1/24\"]\n" + lines);

    private static string Mpls(string lines) =>
        WithRouterLines(lines).Replace("architecture: ipv4", "architecture: mpls").Replace("kind: router", "kind: lsr");

    [Fact]
    public void BadInterfaceAddress() => AssertSingle(Header.Replace("10.0.2.1/24", "10.0.2.300/24"), 12, 25,
        "'10.0.2.300/24' is not an interface address (expected address/length such as 10.0.1.1/24 or 2001:db8::1/64)");

    [Fact]
    public void OverlappingAddressesOnOneDevice() => AssertSingle(Header.Replace("10.0.2.1/24", "10.0.1.2/16"), 9, 11,
        "router 'r1': address 10.0.1.2/16 on eth1 overlaps 10.0.1.1/24 on eth0");

    [Fact]
    public void GatewayNotOnConnectedSubnet() => AssertSingle(Header.Replace("gateway: 10.0.1.1", "gateway: 10.0.2.1"), 16, 18,
        "gateway 10.0.2.1 is not on a connected subnet of host 'h1' (addresses: 10.0.1.10/24)");

    [Fact]
    public void LsrNeedsMplsArchitecture() => AssertSingle(Header.Replace("kind: router", "kind: lsr"), 7, 15,
        "a lsr cannot be part of a network with architecture ipv4 (label switching needs architecture mpls)");

    [Fact]
    public void RouterNotInEthernetNetwork() => AssertSingle(Header.Replace("architecture: ipv4", "architecture: ethernet"), 7, 15,
        "a router cannot be part of a network with architecture ethernet (only switches forward Ethernet)");

    [Fact]
    public void UnknownArchitectureWithSuggestion() => AssertSingle(Header.Replace("architecture: ipv4", "architecture: ipv5"), 3, 19,
        "unknown architecture 'ipv5' (expected one of: ethernet, ipv4, ipv6, mpls); did you mean 'ipv4'?");

    [Fact]
    public void UnknownPhysicalPortKind() => AssertSingle(Header.Replace("address: 10.0.1.10/24", "address: 10.0.1.10/24\n        phy: tapp"), 16, 14,
        "unknown phy 'tapp' (expected one of: tap, af_packet, memory); did you mean 'tap'?");

    [Fact]
    public void Ipv6AddressInIpv4Network() => AssertSingle(Header.Replace("address: 10.0.1.10/24\n        gateway: 10.0.1.1", "address: 2001:db8::10/64"), 15, 18,
        "address '2001:db8::10/64' is IPv6 but the network's architecture is ipv4");

    [Fact]
    public void UnknownTopLevelKey() => Assert.Equal(
        ["x.yaml:1:1: unknown key 'network' in the topology file (expected: networks, gateways); did you mean 'networks'?", "x.yaml:1:1: the topology file has no 'networks' list"],
        Fail("network:\n  - name: blue\n").Errors.Select(e => e.Format("x.yaml")));

    [Fact]
    public void TrunkAndAccessVlanTogether()
    {
        var text = """
            networks:
              - name: green
                architecture: ethernet
                tokens: 1
                devices:
                  - name: s1
                    kind: switch
                    ports:
                      - name: eth1
                        vlan: 10
                        trunk: [10, 4095]
            """;
        var errors = Fail(text).Errors;
        Assert.Equal(
            [(11, 20, "a port is either access ('vlan') or trunk ('trunk'), not both"), (11, 25, "trunk vlan must be between 1 and 4094, found 4095")],
            errors.Select(e => (e.Line, e.Column, e.Message)));
    }

    [Fact]
    public void SwapNeedsAConnectedNextHop() => AssertSingle(
        Mpls("        labels:\n          - in: 100\n            out: 200\n            via: 10.0.1.9\n            port: eth1"),
        16, 18, "next hop 10.0.1.9 is not on a connected subnet of interface eth1");

    [Fact]
    public void PushNeedsMplsArchitecture() => AssertSingle(
        WithRouterLines("        routes:\n          - prefix: 10.0.3.0/24\n            via: 10.0.2.2\n            push: [100]"),
        16, 19, "'push' needs a network with architecture mpls");

    [Fact]
    public void EmptyFile() => AssertSingle("", 1, 1, "the file is empty (expected a mapping with key 'networks')");

    [Fact]
    public void EveryErrorIsCollectedInFileOrder()
    {
        var text = Header.Replace("tokens: 4", "tokens: -1").Replace("10.0.2.1/24", "bogus") + "\n    links:\n      - endpoints: [\"h1:eth0\", \"r9:eth0\"]\n";
        var errors = Fail(text).Errors;
        Assert.Equal([(4, 13), (12, 25), (18, 32)], errors.Select(e => (e.Line, e.Column)));
    }

    [Fact]
    public void LabelBindingNeedsExactlyOneAction()
    {
        var text = Mpls("        labels:\n          - in: 100\n            out: 200\n            pop: true\n            via: 10.0.2.2");
        AssertSingle(text, 14, 13, "label binding has 'out' and 'pop'; give exactly one action");
    }

    [Fact]
    public void ReservedIncomingLabel()
    {
        var text = Mpls("        labels:\n          - in: 3\n            lookup: true");
        AssertSingle(text, 14, 17, "incoming label 3 is reserved (labels 0-15); bind 16 or above");
    }
}
