using System.Diagnostics;
using Softnet.Control.Client;
using Softnet.Control.Controller;
using Softnet.Devices.Ip;
using Softnet.Hypervisor.Runtime;
using Softnet.Hypervisor.Topology;
using Softnet.Wire;
using SoftnetHypervisor = Softnet.Hypervisor.Runtime.Hypervisor;
using Softnet.Tests.Shared;

namespace Softnet.Control.Tests.Controller;

/// <summary>
/// A node that follows the controller: a real hypervisor (in-memory hosts) subscribed over gRPC to a real controller,
/// running the networks applied to the controller with the forwarding the controller computed (the file has no route).
/// </summary>
public sealed class NodeFollowsControllerTests : IAsyncLifetime
{
    /// <summary>h1 — r1 — r2 — h2: without routes from the controller, h1 cannot reach h2.</summary>
    private const string Wan = """
        networks:
          - name: wan
            architecture: ipv4
            tokens: 10
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

    private RunningController _controller = null!;
    private SoftnetHypervisor _hypervisor = null!;
    private NodeSubscription _subscription = null!;
    private MemoryHosts _hosts = null!;

    public async Task InitializeAsync()
    {
        _controller = await RunningController.StartAsync();
        _hypervisor = SoftnetHypervisor.Start(new TopologyFile("controller", []), new NoHostPorts(),
            new HypervisorOptions { Workers = 2, PacketBuffers = 4096, BufferSize = 2048 });
        _subscription = NodeSubscription.Start(_controller.GrpcAddress, "test-node", NodeCapacity.Of(new HypervisorOptions()),
            (state, _) =>
            {
                _hypervisor.Apply(state.Topology, state.Plans);
                return Task.CompletedTask;
            },
            options: new NodeSubscriptionOptions { InitialBackoff = TimeSpan.FromMilliseconds(20), MaxBackoff = TimeSpan.FromMilliseconds(200) });
        _hosts = new MemoryHosts(_hypervisor);
    }

    public async Task DisposeAsync()
    {
        await _subscription.DisposeAsync();
        _hypervisor.Dispose();
        await _controller.DisposeAsync();
    }

    [Fact]
    public async Task TheNodeRunsWhatIsAppliedWithTheControllersRoutesAndLosesNothingWhileTheControllerRestarts()
    {
        var applied = await _controller.Service.ApplyAsync(Wan, "wan.yaml", dryRun: false, CancellationToken.None);
        Assert.True(_hosts.RunUntil(() => _subscription.Version == applied.Version && _hypervisor.Topology.Networks.Count == 1), "the node did not take the first state");

        var h1 = _hosts.Add("h1", "10.1.1.10/24", "10.1.1.1");
        var h2 = _hosts.Add("h2", "10.1.2.10/24", "10.1.2.1");
        h2.Endpoints.BindUdp(5001);
        // Only the controller's plan gives r1 a route to 10.1.2.0/24 and r2 one back.
        Assert.True(h1.Ping(Ipv4Address.Parse("10.1.2.10"), identifier: 1, sequence: 1));
        EchoReply? echo = null;
        Assert.True(_hosts.RunUntil(() => h1.Endpoints.TryReceiveEchoReply(out echo)), "no echo reply: the routes did not arrive");
        Assert.Equal(62, echo!.Ttl);

        // Stream through a controller stop and start: the node keeps forwarding with what it has, then resyncs.
        var sent = 0;
        var received = 0;
        var payload = new byte[16];
        var connections = _subscription.Connections;
        var stop = _controller.StopAsync();
        Stream(() => stop.IsCompleted);
        await stop;
        Stream(() => !_subscription.IsConnected);
        var start = _controller.StartAgainAsync();
        Stream(() => start.IsCompleted);
        await start;
        Stream(() => _subscription.IsConnected && _subscription.Connections > connections);
        Assert.True(_hosts.RunUntil(() => Drain() == sent), $"{received} of {sent} datagrams arrived");
        Assert.True(sent > 100, $"only {sent} datagrams were sent");
        Assert.Equal(applied.Version, _subscription.Version);

        void Stream(Func<bool> until)
        {
            var deadline = Stopwatch.GetTimestamp() + 10 * Stopwatch.Frequency;
            do
            {
                BitConverter.TryWriteBytes(payload, sent);
                Assert.True(h1.SendUdp(Ipv4Address.Parse("10.1.2.10"), 40000, 5001, payload));
                sent++;
                Assert.True(_hosts.RunUntil(() => Drain() == sent), $"{received} of {sent} datagrams arrived");
            }
            while (!until() && Stopwatch.GetTimestamp() < deadline);
            Assert.True(until(), "the controller did not stop, start or reconnect within 10 s");
        }

        int Drain()
        {
            while (h2.Endpoints.TryReceiveUdp(5001, out var datagram))
            {
                Assert.Equal(received, BitConverter.ToInt32(datagram.Payload));
                received++;
            }
            return received;
        }
    }
}
