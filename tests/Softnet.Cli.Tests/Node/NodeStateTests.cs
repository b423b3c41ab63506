using System.Text.Json;
using Softnet.Cli.Node;
using Softnet.Hypervisor.Topology;

namespace Softnet.Cli.Tests.Node;

public sealed class NodeStateTests : IDisposable
{
    private const string Topology = """
        networks:
          - name: lab
            architecture: ipv4
            tokens: 10
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
              - name: h2
                address: 10.0.2.10/24
                gateway: 10.0.2.1
                phy: memory
            links:
              - endpoints: ["h1:eth0", "r1:eth0"]
              - endpoints: ["h2:eth0", "r1:eth1"]
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("softnet-state-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void The_state_file_round_trips()
    {
        var path = Path.Combine(_directory, "state.json");
        var state = new NodeState(4242, "/etc/softnet/lab.yaml", new DateTimeOffset(2026, 11, 25, 4, 13, 23, TimeSpan.Zero),
        [
            new NetworkState("lab", [new HostState("h1", "sn-lab-h1", ["10.0.1.10/24", "2001:db8:1::10/64"], ["10.0.1.1"]), new HostState("h2", null, ["10.0.2.10/24"], [])]),
            new NetworkState("blue", [new HostState("h1", "sn-blue-h1", ["10.0.1.10/24"], ["10.0.1.1"])]),
        ]);

        state.Save(path);
        var loaded = NodeState.Load(path)!;

        Assert.Equal(JsonSerializer.Serialize(state, NodeJson.Options), JsonSerializer.Serialize(loaded, NodeJson.Options));
        Assert.Equal(4242, loaded.Pid);
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 4, 13, 23, TimeSpan.Zero), loaded.Started);
        Assert.Equal(["10.0.1.10/24", "2001:db8:1::10/64"], loaded.Networks[0].Hosts[0].Addresses);
        Assert.Null(loaded.Networks[0].Hosts[1].Namespace);
        Assert.Contains("\"topologyFile\": \"/etc/softnet/lab.yaml\"", File.ReadAllText(path));
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public void No_file_is_no_state()
    {
        Assert.Null(NodeState.Load(Path.Combine(_directory, "state.json")));
        Assert.Null(NodeState.Load(Path.Combine(_directory, "missing", "state.json")));
    }

    [Fact]
    public void A_file_that_is_not_a_state_is_refused_by_name()
    {
        var path = Path.Combine(_directory, "state.json");
        File.WriteAllText(path, "{ not json");

        var error = Assert.Throws<NodeException>(() => NodeState.Load(path));

        Assert.StartsWith($"{path} is not a softnet state file (", error.Message);
    }

    [Fact]
    public void The_planned_state_gives_each_real_host_its_namespace_and_none_to_memory_hosts()
    {
        var state = NodeState.Planned(77, "/t.yaml", DateTimeOffset.UnixEpoch, TopologyLoader.Parse(Topology, "t.yaml"));

        var hosts = state.Networks.Single().Hosts;
        Assert.Equal(new HostState("h1", "sn-lab-h1", hosts[0].Addresses, hosts[0].Gateways), hosts[0]);
        Assert.Equal(["10.0.1.10/24"], hosts[0].Addresses);
        Assert.Equal(["10.0.1.1"], hosts[0].Gateways);
        Assert.Null(hosts[1].Namespace);
        Assert.Equal(["sn-lab-h1", "sn-lab-h2"], state.KernelNamespaces);
    }

    [Fact]
    public void The_running_state_takes_namespaces_from_the_snapshot_and_gateways_from_the_file()
    {
        var topology = TopologyLoader.Parse(Topology.Replace("        phy: memory\n", ""), "t.yaml");
        var snapshot = SampleSnapshot.Create() with { Networks = [SampleSnapshot.Create().Networks[0]] };

        var state = NodeState.Of(77, "/t.yaml", DateTimeOffset.UnixEpoch, topology, snapshot);

        var hosts = state.Networks.Single().Hosts;
        Assert.Equal(("h1", "sn-lab-h1", "10.0.1.10/24", "10.0.1.1"), (hosts[0].Name, hosts[0].Namespace, hosts[0].Addresses.Single(), hosts[0].Gateways.Single()));
        Assert.Equal(("h2", "sn-lab-h2", "10.0.2.10/24", "10.0.2.1"), (hosts[1].Name, hosts[1].Namespace, hosts[1].Addresses.Single(), hosts[1].Gateways.Single()));
    }
}
