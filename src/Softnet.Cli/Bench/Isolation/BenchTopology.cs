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

    /// <summary>Where the first network of <see cref="WithGateway"/> sends across: the second's h2, under the gateway's NAT.</summary>
    public static readonly Ipv4Address AcrossAddress = new(172, 16, 2, 10);

    public static TopologyFile Build(IReadOnlyList<BenchNetwork> networks) =>
        TopologyLoader.Parse("networks:\n" + string.Concat(networks.Select(n => Network(n, ""))), "bench-isolation.yaml");

    /// <summary>
    /// Two networks joined by a secure gateway <c>gw</c> of <paramref name="gatewayTokens"/> tokens, as
    /// examples/gateway.yaml joins red and blue: each r1's eth2 faces the gateway; the first network's 10.0.1.0/24 appears
    /// in the second as 172.16.1.0/24 and the second's 10.0.2.0/24 in the first as 172.16.2.0/24 (so the first's h1
    /// reaches the second's h2 at <see cref="AcrossAddress"/>). The policy admits UDP from the first's 10.0.1.0/24 to the
    /// second's h2, port 5001 only, at most <paramref name="limitPps"/> packets a second.
    /// </summary>
    public static TopologyFile WithGateway(BenchNetwork from, BenchNetwork to, int gatewayTokens, long limitPps) =>
        TopologyLoader.Parse("networks:\n" + Network(from, Facing("192.168.100.1", "172.16.2.0/24", "192.168.100.2"))
            + Network(to, Facing("192.168.200.1", "172.16.1.0/24", "192.168.200.2")) + $"""
            gateways:
              - name: gw
                tokens: {gatewayTokens}
                sides:
                  - network: {from.Name}
                    interface: eth0
                    addresses: ["192.168.100.2/30"]
                    endpoint: r1:eth2
                    nat:
                      real: 10.0.1.0/24
                      mapped: 172.16.1.0/24
                    routes:
                      - prefix: 172.16.1.0/24
                        via: 192.168.100.1
                  - network: {to.Name}
                    interface: eth1
                    addresses: ["192.168.200.2/30"]
                    endpoint: r1:eth2
                    nat:
                      real: 10.0.2.0/24
                      mapped: 172.16.2.0/24
                    routes:
                      - prefix: 172.16.2.0/24
                        via: 192.168.200.1
                rules:
                  - from: {from.Name}
                    to: {to.Name}
                    source: 10.0.1.0/24
                    destination: {SinkAddress}/32
                    protocol: udp
                    ports: 5001
                limits:
                  - from: {from.Name}
                    to: {to.Name}
                    pps: {limitPps}
                    burst: 10ms

            """, "bench-gateway.yaml");

    /// <summary>r1's third interface, facing the gateway at <paramref name="peer"/>, and the route across through it.</summary>
    private static string Facing(string address, string across, string peer) => $"""
                  - name: eth2
                    addresses: ["{address}/30"]
                routes:
                  - prefix: {across}
                    via: {peer}

        """;

    private static string Network(BenchNetwork network, string gatewaySide) => $"""
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
        {gatewaySide}    hosts:
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
