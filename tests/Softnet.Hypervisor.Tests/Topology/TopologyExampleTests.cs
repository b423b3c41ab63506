using Softnet.Hypervisor.Scheduling;
using Softnet.Hypervisor.Topology;
using Softnet.Wire;

namespace Softnet.Hypervisor.Tests.Topology;

public sealed class TopologyExampleTests
{
    public static TheoryData<string> ExampleNames => [.. RepositoryFiles.Examples.Select(p => Path.GetFileName(p))];

    [Theory]
    [MemberData(nameof(ExampleNames))]
    public void EveryExampleLoads(string name)
    {
        var file = TopologyLoader.Load(RepositoryFiles.PathOf(Path.Combine("examples", name)));
        Assert.NotEmpty(file.Networks);
    }

    [Fact]
    public void AtLeastThreeExamples() => Assert.True(RepositoryFiles.Examples.Count() >= 3);

    [Fact]
    public void TwoHostsRouter()
    {
        var lab = Assert.Single(TopologyLoader.Load(RepositoryFiles.PathOf("examples/two-hosts-router.yaml")).Networks);
        Assert.Equal(("lab", NetworkArchitecture.Ipv4, 10, PriorityKind.None), (lab.Name, lab.Architecture, lab.Tokens, lab.Priority));
        var r1 = Assert.IsType<RouterSpec>(Assert.Single(lab.Devices));
        Assert.Equal(["eth0", "eth1"], r1.Interfaces.Select(i => i.Name));
        Assert.Equal("10.0.2.1/24", r1.Interfaces[1].Addresses.Single().ToString());
        Assert.Equal(Ipv4Prefix.Parse("10.0.2.0/24", null), r1.Interfaces[1].Addresses.Single().Subnet.V4);
        var h2 = lab.Hosts[1];
        Assert.Equal("h2", h2.Name);
        Assert.Equal(Ipv4Address.Parse("10.0.2.1", null), Assert.Single(h2.Gateways).V4);
        Assert.Equal([new LinkSpec(new("h1", "eth0"), new("r1", "eth0")), new LinkSpec(new("h2", "eth0"), new("r1", "eth1"))], lab.Links);
        Assert.Equal(PhysicalPortKind.Tap, lab.PortKindOf(new("r1", "eth1")));
    }

    [Fact]
    public void ThreeTenantsShareAddressSpace()
    {
        var file = TopologyLoader.Load(RepositoryFiles.PathOf("examples/three-tenants.yaml"));
        Assert.Equal(["gold", "silver", "bronze"], file.Networks.Select(n => n.Name));
        Assert.Equal([10, 5, 1], file.Networks.Select(n => n.Tokens));
        Assert.Equal([PriorityKind.Relative, PriorityKind.None, PriorityKind.None], file.Networks.Select(n => n.Priority));
        Assert.All(file.Networks, n => Assert.Equal("10.0.0.1/24", n.Hosts[0].Addresses[0].ToString()));
        var s1 = Assert.IsType<SwitchSpec>(file["gold"].Devices[0]);
        Assert.Equal(10, s1.SwitchPorts[0].AccessVlan);
        Assert.Equal([10, 20], s1.SwitchPorts[2].TrunkVlans);
        Assert.Equal(PhysicalPortKind.AfPacket, file["gold"].PortKindOf(new("s1", "eth3")));
        Assert.Equal(PhysicalPortKind.Memory, file["bronze"].PortKindOf(new("s1", "eth2")));
        var route = Assert.Single(Assert.IsType<RouterSpec>(file["silver"].Devices[0]).Routes);
        Assert.Equal(("172.16.0.0/16", "192.168.1.2", "eth1"), (route.Prefix.ToString(), route.Via.ToString(), route.Port));
    }

    [Fact]
    public void MplsCoreHasPenultimateHopPopping()
    {
        var core = Assert.Single(TopologyLoader.Load(RepositoryFiles.PathOf("examples/mpls-core.yaml")).Networks);
        Assert.Equal((NetworkArchitecture.Mpls, PriorityKind.Accentuated), (core.Architecture, core.Priority));
        var pe1 = Assert.IsType<RouterSpec>(core.Devices[0]);
        Assert.Equal([new MplsLabel(100)], pe1.Routes.Single().PushLabels);
        var p1 = Assert.IsType<LsrSpec>(core.Devices[1]);
        Assert.Equal(new LabelBinding(new MplsLabel(100), LabelAction.Pop, null, IpAddress.From(Ipv4Address.Parse("192.168.23.2", null)), "eth1"), p1.Labels[0]);
        Assert.Equal(4, core.Links.Count);
        Assert.Equal(PhysicalPortKind.Memory, core.PortKindOf(new("p1", "eth0")));
    }

    [Fact]
    public void Ipv6NetworkWithSeveralAddressesAndGateways()
    {
        const string text = """
            networks:
              - name: v6
                architecture: ipv6
                tokens: 2
                devices:
                  - name: r1
                    kind: router
                    interfaces:
                      - name: eth0
                        addresses: ["2001:db8:1::1/64", "2001:db8:1:1::1/64"]
                        phy: af_packet
                    routes:
                      - prefix: 2001:db8:ff::/48
                        via: 2001:db8:1::2
                hosts:
                  - name: h1
                    address: ["2001:db8:1::10/64", "2001:db8:1:1::10/64"]
                    gateway: ["2001:db8:1::1", "2001:db8:1:1::1"]
                links:
                  - endpoints: ["r1:eth0", "h1:eth0"]
            """;
        var v6 = Assert.Single(TopologyLoader.Parse(text, "v6.yaml").Networks);
        var r1 = Assert.IsType<RouterSpec>(Assert.Single(v6.Devices));
        Assert.Equal(["2001:db8:1::1/64", "2001:db8:1:1::1/64"], r1.Interfaces[0].Addresses.Select(a => a.ToString()));
        Assert.Equal(Ipv6Prefix.Parse("2001:db8:ff::/48", null), r1.Routes[0].Prefix.V6);
        Assert.Equal(["2001:db8:1::1", "2001:db8:1:1::1"], v6.Hosts[0].Gateways.Select(g => g.ToString()));
        Assert.Equal(PhysicalPortKind.AfPacket, v6.PortKindOf(new("r1", "eth0")));
        Assert.Equal(PhysicalPortKind.Tap, v6.PortKindOf(new("h1", "eth0")));
    }
}
