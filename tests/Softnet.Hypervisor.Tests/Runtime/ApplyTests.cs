using Softnet.Devices.Ip;
using Softnet.Hypervisor.Forwarding;
using Softnet.Hypervisor.Runtime;
using Softnet.Hypervisor.Topology;
using Softnet.Wire;
using SoftnetHypervisor = Softnet.Hypervisor.Runtime.Hypervisor;
using Softnet.Tests.Shared;

namespace Softnet.Hypervisor.Tests.Runtime;

/// <summary>Live changes: a running hypervisor moved to another topology and forwarding state, with in-memory hosts.</summary>
public sealed class ApplyTests
{
    private static string Lab(string name, int tokens = 10, string eth1 = "\"10.0.2.1/24\"") => $"""
          - name: {name}
            architecture: ipv4
            tokens: {tokens}
            devices:
              - name: r1
                kind: router
                interfaces:
                  - name: eth0
                    addresses: ["10.0.1.1/24"]
                  - name: eth1
                    addresses: [{eth1}]
            hosts:
              - name: h1
                address: 10.0.1.10/24
                gateway: 10.0.1.1
                phy: memory
              - name: h2
                address: 10.0.2.10/24
                gateway: 10.0.2.1
                phy: memory
            links:
              - endpoints: ["h1:eth0", "r1:eth0"]
              - endpoints: ["h2:eth0", "r1:eth1"]

        """;

    /// <summary>h1 — r1 — r2 — h2 with no static route: the routers know only their connected subnets until a plan arrives.</summary>
    private const string TwoRouters = """
          - name: wan
            architecture: ipv4
            tokens: 5
            devices:
              - name: r1
                kind: router
                interfaces:
                  - name: eth0
                    addresses: ["10.1.1.1/24"]
                  - name: eth1
                    addresses: ["192.168.0.1/30"]
              - name: r2
                kind: router
                interfaces:
                  - name: eth0
                    addresses: ["192.168.0.2/30"]
                  - name: eth1
                    addresses: ["10.1.2.1/24"]
            hosts:
              - name: h1
                address: 10.1.1.10/24
                gateway: 10.1.1.1
                phy: memory
              - name: h2
                address: 10.1.2.10/24
                gateway: 10.1.2.1
                phy: memory
            links:
              - endpoints: ["h1:eth0", "r1:eth0"]
              - endpoints: ["r1:eth1", "r2:eth0"]
              - endpoints: ["r2:eth1", "h2:eth0"]

        """;

    private const string Eth1WithASecondAddress = "\"10.0.2.1/24\", \"10.0.3.1/24\"";

    private static TopologyFile File(params string[] networks) => TopologyLoader.Parse("networks:\n" + string.Concat(networks), "apply.yaml");

    private static SoftnetHypervisor Start(TopologyFile topology) =>
        SoftnetHypervisor.Start(topology, new NoHostPorts(), new HypervisorOptions { Workers = 2, PacketBuffers = 4096, BufferSize = 2048 });

    [Fact]
    public async Task AnUntouchedNetworkLosesNoPacketWhileOthersAreAddedChangedAndRemoved()
    {
        using var hypervisor = Start(File(Lab("steady"), Lab("other")));
        var hosts = new MemoryHosts(hypervisor);
        var h1 = hosts.Add("steady/h1", "10.0.1.10/24", "10.0.1.1");
        var h2 = hosts.Add("steady/h2", "10.0.2.10/24", "10.0.2.1");
        h2.Endpoints.BindUdp(5001);
        Assert.Single(hosts.Ping(h1, "10.0.2.10", 1));
        var steps = new[]
        {
            File(Lab("steady"), Lab("other"), Lab("added")),
            File(Lab("steady"), Lab("other", eth1: Eth1WithASecondAddress), Lab("added")),
            File(Lab("steady", tokens: 20), Lab("added")),
            File(Lab("steady", tokens: 20)),
        };
        var sent = 0;
        var received = 0;
        var payload = new byte[32];
        foreach (var step in steps)
        {
            var apply = Task.Run(() => hypervisor.Apply(step));
            // Stream through the whole change, and a little beyond it.
            var extra = 0;
            while (!apply.IsCompleted || extra++ < 200)
            {
                BitConverter.TryWriteBytes(payload, sent);
                Assert.True(h1.SendUdp(Ipv4Address.Parse("10.0.2.10"), 40000, 5001, payload));
                sent++;
                if (sent % 16 == 0) Assert.True(hosts.RunUntil(() => Drain() >= sent - 16), $"{received} of {sent} datagrams arrived");
            }
            var changes = await apply;
            Assert.Contains("steady", changes.Untouched);
        }
        Assert.True(hosts.RunUntil(() => Drain() == sent), $"{received} of {sent} datagrams arrived");

        var snapshot = hypervisor.Inspect();
        Assert.Equal(["steady"], snapshot.Networks.Select(n => n.Name));
        Assert.Equal(20, snapshot.Networks.Single().BaseTokens);

        int Drain()
        {
            while (h2.Endpoints.TryReceiveUdp(5001, out var datagram))
            {
                // In order and none missing: the steady network's rings and domains were never touched.
                Assert.Equal(received, BitConverter.ToInt32(datagram.Payload));
                received++;
            }
            return received;
        }
    }

    [Fact]
    public void ANetworkAddedLiveCarriesTrafficAndARemovedOneGivesBackItsBuffers()
    {
        using var hypervisor = Start(File(Lab("first")));
        var inUse = hypervisor.Buffers.InUse;

        var changes = hypervisor.Apply(File(Lab("first"), Lab("second")));

        Assert.Equal(["second"], changes.Added);
        var hosts = new MemoryHosts(hypervisor);
        var h1 = hosts.Add("second/h1", "10.0.1.10/24", "10.0.1.1");
        hosts.Add("second/h2", "10.0.2.10/24", "10.0.2.1");
        Assert.Equal(3, hosts.Ping(h1, "10.0.2.10", 3).Count);

        changes = hypervisor.Apply(File(Lab("first")));

        Assert.Equal(["second"], changes.Removed);
        Assert.Equal(["first"], hypervisor.Inspect().Networks.Select(n => n.Name));
        Assert.True(hosts.RunUntil(() => hypervisor.Buffers.InUse <= inUse), $"{hypervisor.Buffers.InUse} buffers in use, {inUse} before");
    }

    [Fact]
    public void ARebuiltNetworkKeepsItsUnchangedHostsPorts()
    {
        using var hypervisor = Start(File(Lab("lab")));
        var h1End = hypervisor.MemoryHost("h1");

        var changes = hypervisor.Apply(File(Lab("lab", eth1: Eth1WithASecondAddress)));

        Assert.Equal(["lab"], changes.Rebuilt);
        Assert.Same(h1End, hypervisor.MemoryHost("h1"));
        var hosts = new MemoryHosts(hypervisor);
        var h1 = hosts.Add("h1", "10.0.1.10/24", "10.0.1.1");
        hosts.Add("h2", "10.0.2.10/24", "10.0.2.1");
        Assert.Equal(2, hosts.Ping(h1, "10.0.2.10", 2).Count);
        Assert.Equal("10.0.3.1/24", hypervisor.Topology["lab"].Devices.OfType<RouterSpec>().Single().Interfaces[1].Addresses[1].ToString());
    }

    [Fact]
    public void AFileThatCannotRunChangesNothing()
    {
        using var hypervisor = Start(File(Lab("lab")));
        var hosts = new MemoryHosts(hypervisor);
        var h1 = hosts.Add("h1", "10.0.1.10/24", "10.0.1.1");
        hosts.Add("h2", "10.0.2.10/24", "10.0.2.1");
        var hostsOnly = TopologyLoader.Parse("""
            networks:
              - name: broken
                architecture: ipv4
                tokens: 1
                devices:
                  - name: s1
                    kind: switch
                    ports:
                      - name: p1
                hosts:
                  - name: a
                    address: 10.9.0.1/24
                    phy: memory
                  - name: b
                    address: 10.9.0.2/24
                    phy: memory
                links:
                  - endpoints: ["a:eth0", "b:eth0"]
            """, "broken.yaml");
        var merged = new TopologyFile("merged.yaml", [.. hypervisor.Topology.Networks, .. hostsOnly.Networks]);

        var e = Assert.Throws<InvalidOperationException>(() => hypervisor.Apply(merged));

        Assert.Contains("joins two hosts", e.Message);
        Assert.Equal(["lab"], hypervisor.Inspect().Networks.Select(n => n.Name));
        Assert.Equal(2, hosts.Ping(h1, "10.0.2.10", 2).Count);
    }

    [Fact]
    public void APlanAppliedToARunningNetworkOpensThePath()
    {
        var topology = File(TwoRouters);
        using var hypervisor = Start(topology);
        var hosts = new MemoryHosts(hypervisor);
        var h1 = hosts.Add("h1", "10.1.1.10/24", "10.1.1.1");
        hosts.Add("h2", "10.1.2.10/24", "10.1.2.1");
        Assert.Empty(hosts.Ping(h1, "10.1.2.10", 1));

        var plan = new NetworkPlan("wan",
        [
            new DevicePlan("r1", [Route("10.1.2.0/24", "eth1", "192.168.0.2")], []),
            new DevicePlan("r2", [Route("10.1.1.0/24", "eth0", "192.168.0.1")], []),
        ]);
        var changes = hypervisor.Apply(topology, new Dictionary<string, NetworkPlan> { ["wan"] = plan });

        Assert.Equal(["wan/r1", "wan/r2"], changes.Replanned);
        Assert.Equal(2, hosts.Ping(h1, "10.1.2.10", 2).Count);

        // The same plan again changes nothing; without r2's way back, replies stop.
        Assert.Empty(hypervisor.Apply(topology, new Dictionary<string, NetworkPlan> { ["wan"] = plan }).Replanned);
        var oneWay = new NetworkPlan("wan", [plan.Devices[0], new DevicePlan("r2", [], [])]);
        Assert.Equal(["wan/r2"], hypervisor.Apply(topology, new Dictionary<string, NetworkPlan> { ["wan"] = oneWay }).Replanned);
        Assert.Empty(hosts.Ping(h1, "10.1.2.10", 1));
    }

    [Fact]
    public void ACutLinkLosesItsFramesUntilItIsRestored()
    {
        var topology = File(TwoRouters);
        using var hypervisor = Start(topology);
        var plan = new NetworkPlan("wan",
        [
            new DevicePlan("r1", [Route("10.1.2.0/24", "eth1", "192.168.0.2")], []),
            new DevicePlan("r2", [Route("10.1.1.0/24", "eth0", "192.168.0.1")], []),
        ]);
        hypervisor.Apply(topology, new Dictionary<string, NetworkPlan> { ["wan"] = plan });
        var hosts = new MemoryHosts(hypervisor);
        var h1 = hosts.Add("h1", "10.1.1.10/24", "10.1.1.1");
        hosts.Add("h2", "10.1.2.10/24", "10.1.2.1");
        Assert.Single(hosts.Ping(h1, "10.1.2.10", 1));
        hypervisor.SetLink("wan", new Endpoint("r1", "eth1"), new Endpoint("r2", "eth0"), up: false);

        Assert.Empty(hosts.Ping(h1, "10.1.2.10", 1));
        var r1 = hypervisor.Inspect().Networks.Single().Domains.Single(d => d.Name == "r1");
        Assert.True(r1.Ports.Single(p => p.Name == "eth1").TxDropped >= 1, "r1 sent nothing into the cut link");

        hypervisor.SetLink("wan", new Endpoint("r2", "eth0"), new Endpoint("r1", "eth1"), up: true);

        Assert.Single(hosts.Ping(h1, "10.1.2.10", 1));
        Assert.Equal(topology, hypervisor.Topology);
        var e = Assert.Throws<ArgumentException>(() => hypervisor.SetLink("wan", new Endpoint("h1", "eth0"), new Endpoint("r1", "eth0"), up: false));
        Assert.Contains("only a link between two devices", e.Message);
    }

    private static PlannedRoute Route(string prefix, string port, string via)
    {
        Assert.True(IpPrefix.TryParse(prefix, out var destination));
        Assert.True(IpAddress.TryParse(via, out var gateway));
        return new(destination, [new PlannedNextHop(port, gateway, null)], RouteOrigin.Computed);
    }
}
