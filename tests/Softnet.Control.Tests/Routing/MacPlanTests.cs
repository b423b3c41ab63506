using Softnet.Control.Routing;
using Softnet.DataPlane;
using Softnet.DataPlane.Ports;
using Softnet.Devices;
using Softnet.Devices.Switching;
using Softnet.Hypervisor.Forwarding;
using Softnet.Hypervisor.Runtime;
using Softnet.Hypervisor.Topology;
using Softnet.Wire;
using static Softnet.Control.Tests.Routing.Topologies;

namespace Softnet.Control.Tests.Routing;

/// <summary>The switches' static MAC entries: every station, towards it, per VLAN.</summary>
public sealed class MacPlanTests
{
    /// <summary>
    /// s1 and s2 joined by a trunk carrying VLANs 10 and 20: h1 (VLAN 10) and h3 (VLAN 20) on s1, h2 (VLAN 10, its MAC
    /// given) and r1 (VLAN 20) on s2.
    /// </summary>
    private const string TwoSwitches = """
        networks:
          - name: lan
            architecture: ipv4
            tokens: 1
            devices:
              - name: s1
                kind: switch
                ports:
                  - { name: eth1, vlan: 10 }
                  - { name: eth2, vlan: 20 }
                  - { name: eth3, trunk: [10, 20] }
              - name: s2
                kind: switch
                ports:
                  - { name: eth1, vlan: 10 }
                  - { name: eth2, vlan: 20 }
                  - { name: eth3, trunk: [10, 20] }
              - { name: r1, kind: router, interfaces: [{ name: eth0, addresses: ["10.0.2.1/24"] }] }
            hosts:
              - { name: h1, address: 10.0.1.10/24 }
              - { name: h2, address: 10.0.1.11/24, mac: "02:00:00:00:00:22" }
              - { name: h3, address: 10.0.2.10/24, gateway: 10.0.2.1 }
            links:
              - endpoints: ["h1:eth0", "s1:eth1"]
              - endpoints: ["h3:eth0", "s1:eth2"]
              - endpoints: ["s1:eth3", "s2:eth3"]
              - endpoints: ["h2:eth0", "s2:eth1"]
              - endpoints: ["r1:eth0", "s2:eth2"]
        """;

    private static readonly MacAddress H2 = MacAddress.Parse("02:00:00:00:00:22");

    private static List<string> Macs(NetworkPlan plan, string device) => [.. plan[device].Macs.Select(m => m.ToString())];

    [Fact]
    public void EachSwitchPointsEveryStationOfItsVlansTowardsIt()
    {
        var network = Parse(TwoSwitches);
        var plan = ForwardingPlanner.Plan(network);

        var (h1, h3, r1) = (MacAddresses.For("h1", 0), MacAddresses.For("h3", 0), MacAddresses.For("r1", 0));
        Assert.Equal(H2, network.Hosts[1].Mac);
        Assert.Equal(h1, network.Hosts[0].Mac);
        // Sorted by VLAN, then MAC: 02:00:00:00:00:22 sorts before the hashed ones, which the test orders itself.
        string[] Sorted(int vlan, params (MacAddress Mac, string Port)[] entries) =>
            [.. entries.OrderBy(e => e.Mac.Value).Select(e => $"vlan {vlan} {e.Mac} port {e.Port}")];
        Assert.Equal([.. Sorted(10, (h1, "eth1"), (H2, "eth3")), .. Sorted(20, (h3, "eth2"), (r1, "eth3"))], Macs(plan, "s1"));
        Assert.Equal([.. Sorted(10, (h1, "eth3"), (H2, "eth1")), .. Sorted(20, (h3, "eth3"), (r1, "eth2"))], Macs(plan, "s2"));
        Assert.Empty(plan["r1"].Macs);
    }

    [Fact]
    public void TheShortestL2PathWinsWhateverTheOrderOfTheLinks()
    {
        // A loop s1 - s2 - s3 - s1: s1 reaches h2 (on s3) directly by eth2 rather than through s2 by eth1, and s3
        // reaches h1 (on s4, beyond s1) by eth1 rather than through s2; s2 reaches h1 through s1, not s3.
        var network = Parse("""
            networks:
              - name: ring
                architecture: ethernet
                tokens: 1
                devices:
                  - { name: s1, kind: switch, ports: [{ name: eth1 }, { name: eth2 }, { name: eth3 }] }
                  - { name: s2, kind: switch, ports: [{ name: eth1 }, { name: eth2 }] }
                  - { name: s3, kind: switch, ports: [{ name: eth1 }, { name: eth2 }, { name: eth3 }] }
                  - { name: s4, kind: switch, ports: [{ name: eth1 }, { name: eth2 }] }
                hosts:
                  - { name: h1 }
                  - { name: h2 }
                links:
                  - endpoints: ["s1:eth1", "s2:eth1"]
                  - endpoints: ["s1:eth2", "s3:eth1"]
                  - endpoints: ["s2:eth2", "s3:eth2"]
                  - endpoints: ["s1:eth3", "s4:eth1"]
                  - endpoints: ["h1:eth0", "s4:eth2"]
                  - endpoints: ["h2:eth0", "s3:eth3"]
            """);

        var plan = ForwardingPlanner.Plan(network);

        var (h1, h2) = (MacAddresses.For("h1", 0), MacAddresses.For("h2", 0));
        Assert.Equal($"vlan 1 {h2} port eth2", plan["s1"].Macs.Single(m => m.Mac == h2).ToString());
        Assert.Equal($"vlan 1 {h1} port eth1", plan["s3"].Macs.Single(m => m.Mac == h1).ToString());
        Assert.Equal($"vlan 1 {h1} port eth1", plan["s2"].Macs.Single(m => m.Mac == h1).ToString());
        Assert.Equal(plan, ForwardingPlanner.Plan(network with { Links = [.. network.Links.Reverse()] }));
    }

    [Theory]
    [InlineData("\"01:00:5e:00:00:01\"", "mac 01:00:5e:00:00:01 must be a unicast address other than 00:00:00:00:00:00 (the first octet's lowest bit clear)")]
    [InlineData("\"00:00:00:00:00:00\"", "mac 00:00:00:00:00:00 must be a unicast address other than 00:00:00:00:00:00 (the first octet's lowest bit clear)")]
    [InlineData("\"02:00:00:00:22\"", "mac '02:00:00:00:22' is not a MAC address (expected six hex octets such as 02:00:00:00:00:01)")]
    public void AHostMacThatCannotBeIsAnErrorAtItsPlace(string mac, string problem)
    {
        var text = TwoSwitches.Replace("mac: \"02:00:00:00:00:22\"", $"mac: {mac}");

        var error = Assert.Single(Assert.Throws<TopologyException>(() => TopologyLoader.Parse(text, "lan.yaml")).Errors);

        Assert.Equal(new TopologyError(21, 49, problem), error);
    }

    [Fact]
    public void TwoStationsWithOneMacOnASegmentCannotBePlanned()
    {
        var network = Parse(TwoSwitches.Replace("{ name: h1, address: 10.0.1.10/24 }", "{ name: h1, address: 10.0.1.10/24, mac: \"02:00:00:00:00:22\" }"));

        var error = Assert.Throws<ForwardingPlanException>(() => ForwardingPlanner.Plan(network));

        Assert.Equal("network 'lan': s2: h2:eth0 and h1:eth0 both have MAC 02:00:00:00:00:22 in VLAN 10", error.Message);
    }

    /// <summary>
    /// The plan installed on the real switches: a frame from h1 to h2, whom no switch has heard yet, leaves s1 by its
    /// trunk only (tagged VLAN 10) and s2 by h2's port only, untagged, byte for byte as h1 sent it: nothing is flooded.
    /// </summary>
    [Fact]
    public void AnInstalledPlanSendsAUnicastFrameOutOfExactlyOnePort()
    {
        var network = Parse(TwoSwitches);
        var plan = ForwardingPlanner.Plan(network);
        var pool = new PacketPool(64);
        var loop = new DeviceLoop(TimeProvider.System);
        var switches = new Dictionary<string, L2Switch>();
        foreach (var name in new[] { "s1", "s2" })
        {
            var device = (L2Switch)DeviceFactory.Create(network, network.Devices.Single(d => d.Name == name), pool);
            PlanInstaller.Install(device, plan[name]);
            switches[name] = loop.Add(device);
        }
        var trunk = new InMemoryLink();
        switches["s1"].Port("eth3").Attach(trunk.A);
        switches["s2"].Port("eth3").Attach(trunk.B);
        var probes = new Dictionary<string, InMemoryLink.End>();
        foreach (var (name, port) in new[] { ("s1", "eth1"), ("s1", "eth2"), ("s2", "eth1"), ("s2", "eth2") })
        {
            var link = new InMemoryLink();
            switches[name].Port(port).Attach(link.A);
            probes[$"{name}:{port}"] = link.B;
        }

        var frame = new byte[60];
        new EthernetRepr(H2, MacAddresses.For("h1", 0), 0x88B5).Emit(EthernetFrame.CreateUnchecked(frame));
        for (var i = EthernetFrame.HeaderLength; i < frame.Length; i++) frame[i] = (byte)i;
        Assert.True(pool.TryAllocate(frame, out var packet));
        Assert.Equal(1, probes["s1:eth1"].Transmit([packet]));
        loop.RunUntilIdle();

        var received = probes.ToDictionary(p => p.Key, p => Drain(pool, p.Value));
        Assert.Equal(frame, Assert.Single(received["s2:eth1"]));
        Assert.All(received.Where(r => r.Key != "s2:eth1"), r => Assert.Empty(r.Value));
        Assert.Equal(1, switches["s1"].Port("eth3").Counters.TxPackets);
        Assert.Equal(64, switches["s1"].Port("eth3").Counters.TxBytes);
        Assert.Equal(1, switches["s2"].Port("eth1").Counters.TxPackets);
        foreach (var (name, port) in new[] { ("s1", "eth1"), ("s1", "eth2"), ("s2", "eth2"), ("s2", "eth3") })
            Assert.Equal(0, switches[name].Port(port).Counters.TxPackets);
        foreach (var device in switches.Values)
        {
            var forward = device.Graph.Elements.Single(e => e is L2Forward);
            Assert.Equal(0, forward.Counters.Emitted(L2Forward.Flooded));
            Assert.Equal(1, forward.Counters.Emitted(L2Forward.Unicast));
        }
    }

    private static List<byte[]> Drain(PacketPool pool, InMemoryLink.End end)
    {
        var handles = new int[16];
        var n = end.Receive(handles);
        var frames = new List<byte[]>();
        foreach (var handle in handles.AsSpan(0, n))
        {
            frames.Add(pool.Data(handle).ToArray());
            pool.Free(handle);
        }
        return frames;
    }
}
