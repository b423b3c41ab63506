using Softnet.Control.Diff;
using Softnet.Control.Tests.Routing;
using Softnet.Hypervisor.Topology;

namespace Softnet.Control.Tests.Diff;

public sealed class TopologyDiffTests
{
    private const string Base = """
        networks:
          - name: lab
            architecture: ipv4
            tokens: 10
            devices:
              - name: r1
                kind: router
                interfaces:
                  - { name: eth0, addresses: ["10.0.1.1/24"] }
                  - { name: eth1, addresses: ["10.0.12.1/30"] }
                routes:
                  - { prefix: 10.0.3.0/24, via: 10.0.12.2 }
              - name: r2
                kind: router
                interfaces:
                  - { name: eth0, addresses: ["10.0.12.2/30"] }
                  - { name: eth1, addresses: ["10.0.2.1/24"] }
              - name: s1
                kind: switch
                ports:
                  - { name: eth1 }
                  - { name: eth2 }
                  - { name: eth3, vlan: 10 }
            hosts:
              - { name: h1, address: 10.0.1.10/24, gateway: 10.0.1.1 }
              - { name: h2, address: 10.0.2.10/24, gateway: 10.0.2.1 }
            links:
              - endpoints: ["h1:eth0", "s1:eth1"]
              - endpoints: ["s1:eth2", "r1:eth0"]
              - endpoints: ["r1:eth1", "r2:eth0"]
              - endpoints: ["r2:eth1", "h2:eth0"]
          - name: core
            architecture: mpls
            tokens: 5
            priority: relative
            devices:
              - name: p1
                kind: lsr
                interfaces:
                  - { name: eth0, addresses: ["192.168.12.2/30"] }
                  - { name: eth1, addresses: ["192.168.23.1/30"] }
                labels:
                  - { in: 100, pop: true, via: 192.168.23.2, port: eth1 }
                  - { in: 200, out: 201, via: 192.168.12.1 }
          - name: idle
            architecture: ethernet
            tokens: 1
            devices:
              - name: s1
                kind: switch
                ports: [{ name: eth1 }]
        """;

    /// <summary>What starts an item of a device's list (interfaces, ports, routes, labels) in <see cref="Base"/>, and an item of a network's list.</summary>
    private const string Item = "\n          - ";
    private const string Node = "\n      - ";

    private static TopologyFile Parse(string yaml) => TopologyLoader.Parse(yaml, "test.yaml");

    /// <summary>The base file with each (old, new) text replaced; every old text must be there.</summary>
    private static string Edit(params (string Old, string New)[] edits)
    {
        var text = Base;
        foreach (var (old, replacement) in edits)
        {
            Assert.Contains(old, text);
            text = text.Replace(old, replacement, StringComparison.Ordinal);
        }
        return text;
    }

    private static TopologyChanges Diff(string after) => TopologyDiff.Between(Parse(Base), Parse(after));

    private static List<string> Lines(string after) => [.. Diff(after).Changes.Select(c => c.ToString())];

    [Fact]
    public void AFileDiffersFromItselfInNothing()
    {
        var changes = Diff(Base);

        Assert.True(changes.IsEmpty);
        Assert.Empty(changes.TouchedNetworks);
        Assert.Equal("", changes.ToString());
        foreach (var example in Topologies.Examples)
            Assert.True(TopologyDiff.Between(TopologyLoader.Load(example), TopologyLoader.Load(example)).IsEmpty, example);
    }

    [Fact]
    public void ALinkIsTheSameWhicheverEndIsWrittenFirst()
    {
        Assert.True(Diff(Edit(("[\"r1:eth1\", \"r2:eth0\"]", "[\"r2:eth0\", \"r1:eth1\"]"))).IsEmpty);
    }

    [Fact]
    public void NetworksAddedAndRemoved()
    {
        var changes = Diff(Edit(("name: idle", "name: spare")));

        Assert.Equal(["- network idle", "+ network spare"], changes.Changes.Select(c => c.ToString()));
        Assert.Equal(new TopologyChange(ChangeKind.Removed, "idle", "", ""), changes.Changes[0]);
        Assert.Equal(new TopologyChange(ChangeKind.Added, "spare", "", ""), changes.Changes[1]);
        Assert.Equal(["idle", "spare"], changes.TouchedNetworks);

        const string only = "networks:\n  - { name: spare, architecture: ethernet, tokens: 1 }\n";
        Assert.Equal(["- network lab", "- network core", "- network idle", "+ network spare"], Lines(only));
    }

    [Fact]
    public void TokensPriorityAndArchitecture()
    {
        var changes = Diff(Edit(("tokens: 10", "tokens: 20"), ("architecture: ipv4", "architecture: mpls"), ("priority: relative", "priority: accentuated")));

        Assert.Equal(["~ lab: architecture ipv4 -> mpls", "~ lab: tokens 10 -> 20", "~ core: priority relative -> accentuated"], changes.Changes.Select(c => c.ToString()));
        Assert.Equal(new TopologyChange(ChangeKind.Changed, "lab", "", "tokens 10 -> 20"), changes.Changes[1]);
        Assert.Equal(["core", "lab"], changes.TouchedNetworks);
    }

    [Fact]
    public void DevicesAddedAndRemovedWithTheirLinks()
    {
        var after = Edit(
            ("name: r2", "name: r3"),
            (Item + "{ name: eth1, addresses: [\"10.0.2.1/24\"] }", ""),
            ("[\"r1:eth1\", \"r2:eth0\"]", "[\"r1:eth1\", \"r3:eth0\"]"),
            (Node + "endpoints: [\"r2:eth1\", \"h2:eth0\"]", ""));

        Assert.Equal(
            [
                "- lab/r2 (router)",
                "+ lab/r3 (router)",
                "- lab: link r1:eth1 -- r2:eth0",
                "- lab: link r2:eth1 -- h2:eth0",
                "+ lab: link r1:eth1 -- r3:eth0",
            ],
            Lines(after));
        Assert.Equal(new TopologyChange(ChangeKind.Added, "lab", "r3", "router"), Diff(after).Changes[1]);
    }

    [Fact]
    public void ADeviceChangingKindListsWhatItLoses()
    {
        var after = Edit(
            ("kind: lsr", "kind: router"),
            ("\n        labels:", ""),
            (Item + "{ in: 100, pop: true, via: 192.168.23.2, port: eth1 }", ""),
            (Item + "{ in: 200, out: 201, via: 192.168.12.1 }", ""));

        Assert.Equal(
            [
                "~ core/p1: kind lsr -> router",
                "~ core/p1: label 100 pop via 192.168.23.2 port eth1 removed",
                "~ core/p1: label 200 swap 201 via 192.168.12.1 removed",
            ],
            Lines(after));
    }

    [Fact]
    public void InterfacesTheirAddressesPhyAndOrder()
    {
        var after = Edit(
            ("{ name: eth0, addresses: [\"10.0.1.1/24\"] }", "{ name: eth0, addresses: [\"10.0.1.2/24\"] }"),
            ("{ name: eth1, addresses: [\"10.0.12.1/30\"] }", "{ name: eth1, addresses: [\"10.0.12.1/30\"], phy: memory }" + Item + "{ name: eth2, addresses: [\"10.0.9.1/24\"] }"),
            ("{ name: eth0, addresses: [\"10.0.12.2/30\"] }" + Item + "{ name: eth1, addresses: [\"10.0.2.1/24\"] }",
             "{ name: eth1, addresses: [\"10.0.2.1/24\"] }" + Item + "{ name: eth0, addresses: [\"10.0.12.2/30\"] }"));

        Assert.Equal(
            [
                "~ lab/r1: address 10.0.1.1/24 on eth0 removed",
                "~ lab/r1: address 10.0.1.2/24 on eth0 added",
                "~ lab/r1: interface eth1 phy default -> memory",
                "~ lab/r1: interface eth2 added (10.0.9.1/24)",
                "~ lab/r2: interfaces reordered: eth0, eth1 -> eth1, eth0",
            ],
            Lines(after));
        Assert.Equal(new TopologyChange(ChangeKind.Changed, "lab", "r1", "interface eth2 added (10.0.9.1/24)"), Diff(after).Changes[3]);
    }

    [Fact]
    public void AnInterfaceRemoved()
    {
        var after = Edit((Item + "{ name: eth1, addresses: [\"10.0.2.1/24\"] }", ""), (Node + "endpoints: [\"r2:eth1\", \"h2:eth0\"]", ""));

        Assert.Equal(["~ lab/r2: interface eth1 removed", "- lab: link r2:eth1 -- h2:eth0"], Lines(after));
    }

    [Fact]
    public void RoutesAreASet()
    {
        const string route = "{ prefix: 10.0.3.0/24, via: 10.0.12.2 }";
        var after = Edit((route, "{ prefix: 10.0.3.0/24, via: 10.0.12.2, port: eth1 }" + Item + "{ prefix: 10.0.4.0/24, via: 10.0.12.2 }"));

        Assert.Equal(
            [
                "~ lab/r1: route 10.0.3.0/24 via 10.0.12.2 removed",
                "~ lab/r1: route 10.0.3.0/24 via 10.0.12.2 port eth1 added",
                "~ lab/r1: route 10.0.4.0/24 via 10.0.12.2 added",
            ],
            Lines(after));
        Assert.Equal(["~ lab/r1: route 10.0.4.0/24 via 10.0.12.2 added"], Lines(Edit((route, "{ prefix: 10.0.4.0/24, via: 10.0.12.2 }" + Item + route))));
    }

    [Fact]
    public void LabelsByIncomingLabel()
    {
        var after = Edit(
            (Item + "{ in: 100, pop: true, via: 192.168.23.2, port: eth1 }", ""),
            ("{ in: 200, out: 201, via: 192.168.12.1 }", "{ in: 200, out: 202, via: 192.168.12.1 }" + Item + "{ in: 300, lookup: true }"));

        Assert.Equal(
            [
                "~ core/p1: label 100 pop via 192.168.23.2 port eth1 removed",
                "~ core/p1: label 200: swap 201 via 192.168.12.1 -> swap 202 via 192.168.12.1",
                "~ core/p1: label 300 lookup added",
            ],
            Lines(after));
        Assert.Equal(["core"], Diff(after).TouchedNetworks);
    }

    [Fact]
    public void SwitchPortsModesAndPhy()
    {
        var after = Edit(
            ("{ name: eth1 }" + Item + "{ name: eth2 }" + Item + "{ name: eth3, vlan: 10 }",
             "{ name: eth1, vlan: 1, phy: tap }" + Item + "{ name: eth2, vlan: 20 }" + Item + "{ name: eth4, trunk: [10, 20] }"));

        Assert.Equal(
            [
                "~ lab/s1: port eth3 removed",
                "~ lab/s1: port eth1 phy default -> tap",
                "~ lab/s1: port eth2 vlan 1 -> vlan 20",
                "~ lab/s1: port eth4 added (trunk 10,20)",
            ],
            Lines(after));
    }

    [Fact]
    public void HostsAddedRemovedAndChanged()
    {
        var after = Edit(
            ("{ name: h1, address: 10.0.1.10/24, gateway: 10.0.1.1 }", "{ name: h1, address: 10.0.1.20/24, gateway: 10.0.1.254, phy: af_packet, mac: 02:00:00:00:00:11 }"),
            ("{ name: h2, address: 10.0.2.10/24, gateway: 10.0.2.1 }", "{ name: h3, address: 10.0.2.30/24, gateway: 10.0.2.1 }"),
            ("[\"r2:eth1\", \"h2:eth0\"]", "[\"r2:eth1\", \"h3:eth0\"]"));

        Assert.Equal(
            [
                "- lab/h2 (host)",
                "~ lab/h1: address 10.0.1.10/24 removed",
                "~ lab/h1: address 10.0.1.20/24 added",
                "~ lab/h1: gateway 10.0.1.1 -> 10.0.1.254",
                "~ lab/h1: phy default -> af_packet",
                $"~ lab/h1: mac {Softnet.Devices.MacAddresses.For("h1", 0)} -> 02:00:00:00:00:11",
                "+ lab/h3 (host)",
                "- lab: link r2:eth1 -- h2:eth0",
                "+ lab: link r2:eth1 -- h3:eth0",
            ],
            Lines(after));
        Assert.Equal(new TopologyChange(ChangeKind.Removed, "lab", "h2", "host"), Diff(after).Changes[0]);
    }

    [Fact]
    public void TheOrderOfAddressesAndGatewaysIsAChange()
    {
        const string h1 = "{ name: h1, address: 10.0.1.10/24, gateway: 10.0.1.1 }";
        var before = Edit((h1, "{ name: h1, address: [10.0.1.10/24, 10.0.7.10/24], gateway: [10.0.1.1, 10.0.7.1] }"));
        var after = Edit((h1, "{ name: h1, address: [10.0.7.10/24, 10.0.1.10/24], gateway: [10.0.7.1] }"));

        Assert.Equal(
            ["~ lab/h1: addresses reordered: 10.0.1.10/24, 10.0.7.10/24 -> 10.0.7.10/24, 10.0.1.10/24", "~ lab/h1: gateway 10.0.1.1, 10.0.7.1 -> 10.0.7.1"],
            TopologyDiff.Between(Parse(before), Parse(after)).Changes.Select(c => c.ToString()));
    }

    [Fact]
    public void LinksAddedAndRemoved()
    {
        var changes = Diff(Edit(("[\"s1:eth2\", \"r1:eth0\"]", "[\"r1:eth0\", \"s1:eth3\"]")));

        Assert.Equal(["- lab: link s1:eth2 -- r1:eth0", "+ lab: link r1:eth0 -- s1:eth3"], changes.Changes.Select(c => c.ToString()));
        Assert.Equal(new TopologyChange(ChangeKind.Added, "lab", "", "link r1:eth0 -- s1:eth3"), changes.Changes[1]);
    }

    [Fact]
    public void EveryKindOfChangeAtOnceComesInAFixedOrder()
    {
        var after = Edit(
            ("tokens: 5", "tokens: 6"),
            ("name: idle", "name: spare"),
            ("{ name: h2, address: 10.0.2.10/24, gateway: 10.0.2.1 }", "{ name: h2, address: 10.0.2.10/24, gateway: 10.0.2.1, phy: memory }"),
            ("{ name: eth3, vlan: 10 }", "{ name: eth3, vlan: 11 }"),
            ("{ in: 200, out: 201, via: 192.168.12.1 }", "{ in: 200, out: 201, via: 192.168.12.1, port: eth0 }"));

        string[] expected =
        [
            "- network idle",
            "~ lab/s1: port eth3 vlan 10 -> vlan 11",
            "~ lab/h2: phy default -> memory",
            "~ core: tokens 5 -> 6",
            "~ core/p1: label 200: swap 201 via 192.168.12.1 -> swap 201 via 192.168.12.1 port eth0",
            "+ network spare",
        ];
        Assert.Equal(expected, Lines(after));
        Assert.Equal(Diff(after), Diff(after));
        Assert.Equal(string.Join('\n', expected), Diff(after).ToString());
        Assert.Equal(["core", "idle", "lab", "spare"], Diff(after).TouchedNetworks);
    }

    private static string GatewayExample => File.ReadAllText(Path.Combine(Topologies.Root, "examples", "gateway.yaml"));

    private static List<string> GatewayLines(params (string Old, string New)[] edits)
    {
        var text = GatewayExample;
        foreach (var (old, replacement) in edits)
        {
            Assert.Contains(old, text);
            text = text.Replace(old, replacement, StringComparison.Ordinal);
        }
        return [.. TopologyDiff.Between(Parse(GatewayExample), Parse(text)).Changes.Select(c => c.ToString())];
    }

    [Fact]
    public void AGatewayIsANodeOfEachNetworkItJoins()
    {
        var gateway = GatewayExample.IndexOf("gateways:", StringComparison.Ordinal);

        var removed = TopologyDiff.Between(Parse(GatewayExample), Parse(GatewayExample[..gateway]));
        var added = TopologyDiff.Between(Parse(GatewayExample[..gateway]), Parse(GatewayExample));

        Assert.Equal(["- red/gw (gateway)", "- blue/gw (gateway)"], removed.Changes.Select(c => c.ToString()));
        Assert.Equal(["+ red/gw (gateway)", "+ blue/gw (gateway)"], added.Changes.Select(c => c.ToString()));
        Assert.Equal(["blue", "red"], added.TouchedNetworks);
    }

    [Fact]
    public void AGatewaysTokensRulesAndLimitsShowInEachOfItsNetworks()
    {
        var lines = GatewayLines(("tokens: 2", "tokens: 3"), ("ports: 80", "ports: 8080"), ("pps: 10k", "pps: 20k"));

        string[] common =
        [
            "tokens 2 -> 3",
            "rule red -> blue tcp from 10.0.1.0/24 to 10.0.2.10/32 port 80 removed",
            "rule red -> blue tcp from 10.0.1.0/24 to 10.0.2.10/32 port 8080 added",
            "limit red -> blue: pps 10000, bps 100000000, burst 10ms -> pps 20000, bps 100000000, burst 10ms",
        ];
        Assert.Equal([.. common.Select(c => $"~ red/gw: {c}"), .. common.Select(c => $"~ blue/gw: {c}")], lines);
    }

    [Fact]
    public void AGatewaySidesChangesShowInItsNetworkOnly()
    {
        var lines = GatewayLines(
            ("addresses: [\"192.168.200.2/30\"]", "addresses: [\"192.168.200.6/30\"]"),
            ("nat: { real: 10.0.2.0/24, mapped: 172.16.2.0/24 }", "nat: { real: 10.0.2.0/24, mapped: 172.16.9.0/24 }"),
            ("          - prefix: 172.16.2.0/24\n            via: 192.168.200.1", "          - prefix: 172.16.9.0/24\n            via: 192.168.200.5"),
            ("addresses: [\"192.168.200.1/30\"]", "addresses: [\"192.168.200.5/30\"]"),
            ("via: 192.168.200.2", "via: 192.168.200.6"));

        Assert.Equal(
            [
                "~ blue/r1: address 192.168.200.1/30 on eth2 removed",
                "~ blue/r1: address 192.168.200.5/30 on eth2 added",
                "~ blue/r1: route 172.16.1.0/24 via 192.168.200.2 removed",
                "~ blue/r1: route 172.16.1.0/24 via 192.168.200.6 added",
                "~ blue/gw: address 192.168.200.2/30 removed",
                "~ blue/gw: address 192.168.200.6/30 added",
                "~ blue/gw: nat 10.0.2.0/24 as 172.16.2.0/24 removed",
                "~ blue/gw: nat 10.0.2.0/24 as 172.16.9.0/24 added",
                "~ blue/gw: route 172.16.2.0/24 via 192.168.200.1 port eth1 removed",
                "~ blue/gw: route 172.16.9.0/24 via 192.168.200.5 port eth1 added",
            ],
            lines);
    }
}
