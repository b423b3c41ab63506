using Softnet.Hypervisor.Linux;
using Softnet.Hypervisor.Runtime;
using Softnet.Hypervisor.Topology;
using SoftnetHypervisor = Softnet.Hypervisor.Runtime.Hypervisor;

namespace Softnet.Cli.Bench.E2e;

/// <summary>
/// h1 — r1 — h2 as a software network (<c>examples/two-hosts-router.yaml</c> named <c>e2e</c>): r1 a Softnet router
/// run by an in-process hypervisor with one worker, the hosts namespaces <c>sn-e2e-h1</c> and <c>sn-e2e-h2</c> whose
/// eth0 is a TAP port with virtio-net offloads. Disposing stops the hypervisor, which removes the namespaces.
/// </summary>
internal sealed class SoftnetRouterPath : IDisposable
{
    public const string Network = "e2e";

    private const string Topology = $"""
        networks:
          - name: {Network}
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
                address: {RoutedPath.ClientAddress}/24
                gateway: 10.0.1.1
                phy: tap
              - name: h2
                address: {RoutedPath.ServerAddress}/24
                gateway: 10.0.2.1
                phy: tap
            links:
              - endpoints: ["h1:eth0", "r1:eth0"]
              - endpoints: ["h2:eth0", "r1:eth1"]
        """;

    private readonly SoftnetHypervisor _hypervisor;

    private SoftnetRouterPath(SoftnetHypervisor hypervisor) => _hypervisor = hypervisor;

    public RoutedPath Path { get; } = new("softnet", HostNames.Namespace(Network, "h1"), HostNames.Namespace(Network, "h2"));

    public static SoftnetRouterPath Start(IProgress<string> progress) =>
        new(SoftnetHypervisor.Start(TopologyLoader.Parse(Topology, "bench e2e"), new LinuxHostPorts(), new HypervisorOptions { Workers = 1 }, progress));

    public HypervisorSnapshot Inspect() => _hypervisor.Inspect();

    public void Dispose() => _hypervisor.Dispose();
}
