using Softnet.Hypervisor.Scheduling;
using Softnet.Hypervisor.Topology;
using Softnet.Wire;

namespace Softnet.Cli.Bench.Isolation;

/// <summary>One software network of the bench: its name, base tokens and priority.</summary>
internal sealed record BenchNetwork(string Name, int Tokens, PriorityKind Priority = PriorityKind.None);

/// <summary>
/// The bench's topology file: every network is h1 — r1 — h2, all with the same addresses (each network's address
/// space is its own), read by the real loader. The hosts ask for AF_PACKET ports, which sends them to the host port
/// provider; the bench's (<see cref="LoopHosts"/>) serves each with an end of the network's in-memory loop.
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
                phy: af_packet
              - name: h2
                address: {SinkAddress}/24
                gateway: 10.0.2.1
                phy: af_packet
            links:
              - endpoints: ["h1:eth0", "r1:eth0"]
              - endpoints: ["h2:eth0", "r1:eth1"]

        """;
}
