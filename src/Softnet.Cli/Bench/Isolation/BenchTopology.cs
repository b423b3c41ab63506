using Softnet.DataPlane;
using Softnet.Hypervisor.Runtime;
using Softnet.Hypervisor.Scheduling;
using Softnet.Hypervisor.Topology;
using Softnet.Wire;

namespace Softnet.Cli.Bench.Isolation;

/// <summary>One software network of the bench: its name, base tokens and priority.</summary>
internal sealed record BenchNetwork(string Name, int Tokens, PriorityKind Priority = PriorityKind.None);

/// <summary>
/// The bench's topology file: every network is h1 — r1 — h2 on in-memory physical ports, all with the same
/// addresses (each network's address space is its own), read by the real loader.
/// </summary>
internal static class BenchTopology
{
    public static readonly Ipv4Address SenderAddress = new(10, 0, 1, 10);
    public static readonly Ipv4Address SinkAddress = new(10, 0, 2, 10);

    public static TopologyFile Build(IReadOnlyList<BenchNetwork> networks) =>
        TopologyLoader.Parse("networks:\n" + string.Concat(networks.Select(Network)), "bench-isolation.yaml");

    private static string Network(BenchNetwork network) => $"""
          - name: {network.Name}
            architecture: ipv4
            tokens: {network.Tokens}
            priority: {network.Priority.ToString().ToLowerInvariant()}
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
                address: {SenderAddress}/24
                gateway: 10.0.1.1
                phy: memory
              - name: h2
                address: {SinkAddress}/24
                gateway: 10.0.2.1
                phy: memory
            links:
              - endpoints: ["h1:eth0", "r1:eth0"]
              - endpoints: ["h2:eth0", "r1:eth1"]

        """;
}

/// <summary>Host ports of a topology whose hosts are all in memory (the hypervisor makes those itself): any other kind is refused.</summary>
internal sealed class MemoryHostsOnly : IHostPortProvider
{
    public IPhysicalPort Attach(SoftwareNetwork network, HostSpec host, PhysicalPortKind kind, PacketPool pool) =>
        throw new InvalidOperationException($"The isolation bench runs in-memory hosts only; {network.Name}/{host.Name} asked for a {kind} port.");

    public void Detach(SoftwareNetwork network, HostSpec host)
    {
    }
}
