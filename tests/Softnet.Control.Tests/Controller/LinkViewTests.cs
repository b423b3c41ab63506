using System.Net;
using Softnet.Control.Client;
using Softnet.Control.Controller;
using Softnet.Control.Routing;
using Softnet.Control.Store;
using Softnet.Control.Tests.Store;
using Softnet.Hypervisor.Forwarding;
using Softnet.Hypervisor.Topology;
using static Softnet.Control.Tests.Controller.LinkReportTests;

namespace Softnet.Control.Tests.Controller;

/// <summary>
/// Link state across restarts: the controller keeps the links reported down in its store (file or etcd), and a node
/// that subscribes again sends its own view of its links, so a controller that lost the reports converges to it.
/// </summary>
public sealed class LinkViewTests : IAsyncLifetime
{
    private static readonly NodeSubscriptionOptions QuickRetry = new() { InitialBackoff = TimeSpan.FromMilliseconds(20), MaxBackoff = TimeSpan.FromMilliseconds(200) };

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private RunningController _controller = null!;

    private ControllerService Service => _controller.Service;

    public async Task InitializeAsync() => _controller = await RunningController.StartAsync();

    public async Task DisposeAsync() => await _controller.DisposeAsync();

    [Fact]
    public async Task ARestartedControllerSendsANewNodeItsFirstStateAlreadyWithoutTheLinksDown()
    {
        await Service.ApplyAsync(Ring, "ring.yaml", dryRun: false, default);
        var reported = await Service.ReportLinkAsync("node-a", "ring", "r2:eth0", "r1:eth1", up: false, default);
        var stored = (await _controller.Store.LoadAsync(default))!;
        Assert.Equal([new StoredLink("ring", "r1:eth1", "r2:eth0", "node-a", reported.Down[0].Since)], stored.DownLinks);

        await _controller.StopAsync();
        await _controller.StartAgainAsync();

        Assert.Equal(2UL, Service.Version);
        Assert.Equal(reported.Down, Service.State.DownLinks["ring"]);
        var states = new List<DesiredState>();
        await using var node = NodeSubscription.Start(_controller.GrpcAddress, "node-b", new NodeCapacity(1, 8192, 2048), (state, _) =>
        {
            lock (states) states.Add(state);
            return Task.CompletedTask;
        }, options: QuickRetry);
        await Until(() => node.Version == 2, "the node did not receive version 2");
        var first = Assert.Single(states);
        Assert.Equal(R1AroundR1R2, Routes(first.Plans["ring"], "r1"));
    }

    [Fact]
    public async Task LinksDownSurviveARestartOnEtcd()
    {
        using var etcd = await EtcdServer.StartAsync();
        await using var store = new EtcdStateStore(etcd.Endpoint, "/softnet/links/");
        var options = new ControllerHostOptions(new IPEndPoint(IPAddress.Loopback, 0), new IPEndPoint(IPAddress.Loopback, 0), store);
        IReadOnlyList<DownLink> down;
        await using (var first = await ControllerHost.StartAsync(options, default))
        {
            await first.Service.ApplyAsync(Ring, "ring.yaml", dryRun: false, default);
            down = (await first.Service.ReportLinkAsync("node-a", "ring", "r1:eth1", "r2:eth0", up: false, default)).Down;
        }

        await using var second = await ControllerHost.StartAsync(options, default);

        Assert.Equal(2UL, second.Service.Version);
        Assert.Equal(down, second.Service.State.DownLinks["ring"]);
        Assert.Equal(R1AroundR1R2, Routes(second.Service.State.Plans["ring"], "r1"));
        var up = await second.Service.ReportLinkAsync("node-a", "ring", "r1:eth1", "r2:eth0", up: true, default);
        Assert.Equal(3UL, up.NewVersion);
        Assert.Empty((await store.LoadAsync(default))!.DownLinks);
    }

    [Fact]
    public async Task ANodeBringsItsLinksDownBackToAControllerRestartedWithAnEmptyStore()
    {
        await Service.ApplyAsync(Ring, "ring.yaml", dryRun: false, default);
        await using var node = NodeSubscription.Start(_controller.GrpcAddress, "node-a", new NodeCapacity(1, 8192, 2048), (_, _) => Task.CompletedTask, options: QuickRetry);
        await Until(() => node.Version == 1, "the node did not receive version 1");
        Assert.Equal(2UL, await node.ReportLinkAsync("ring", R1R2.A, R1R2.B, up: false, default));
        await Until(() => node.Version == 2, "the node did not receive version 2");

        await _controller.StopAsync();
        File.Delete(((FileStateStore)_controller.Store).FilePath);
        await _controller.StartAgainAsync();
        Assert.Equal(0UL, Service.Version);
        await Until(() => node.IsConnected && node.Connections == 2, "the node did not subscribe again");
        // The node's view names a network this controller does not have yet: nothing to take.
        Assert.Empty(Service.State.DownLinks);

        // The operator gives the controller its file again: the node reports again what it sees down.
        await Service.ApplyAsync(Ring, "ring.yaml", dryRun: false, default);
        await Until(() => Service.State.DownLinks.ContainsKey("ring"), "the node did not report its link down again");

        Assert.Equal(2UL, Service.Version);
        Assert.Equal((R1R2, "node-a"), (Service.State.DownLinks["ring"][0].Link, Service.State.DownLinks["ring"][0].Node));
        Assert.Equal(R1AroundR1R2, Routes(Service.State.Plans["ring"], "r1"));
        await Until(() => node.Version == 2, "the node did not receive the replanned state");
        Assert.Equal([new LinkDown("ring", R1R2.A, R1R2.B)], node.DownLinks);
    }

    [Fact]
    public async Task ANodeSubscribingAgainSetsTheControllerToItsViewBeforeTheFirstState()
    {
        await Service.ApplyAsync(Ring, "ring.yaml", dryRun: false, default);
        var states = new List<DesiredState>();
        await using var node = NodeSubscription.Start(_controller.GrpcAddress, "node-a", new NodeCapacity(1, 8192, 2048), (state, _) =>
        {
            lock (states) states.Add(state);
            return Task.CompletedTask;
        }, options: QuickRetry);
        await Until(() => node.Version == 1, "the node did not receive version 1");
        await node.ReportLinkAsync("ring", R1R2.B, R1R2.A, up: false, default);
        await Until(() => node.Version == 2, "the node did not receive version 2");

        // While the controller is away its store comes to hold another view: node-a's report of r1 — r2 is lost, and
        // r3 — r1 is down on node-a's report (which node-a sees up), r2 — r3 on node-b's.
        await _controller.StopAsync();
        var since = DateTimeOffset.UtcNow;
        var saved = (await _controller.Store.LoadAsync(default))!;
        await _controller.Store.SaveAsync(saved with
        {
            DownLinks = [new StoredLink("ring", "r2:eth1", "r3:eth0", "node-b", since), new StoredLink("ring", "r1:eth2", "r3:eth1", "node-a", since)],
        }, default);
        await _controller.StartAgainAsync();
        Assert.Equal(["r2:eth1 -- r3:eth0", "r3:eth1 -- r1:eth2"], Service.State.DownLinks["ring"].Select(d => d.Text));
        lock (states) states.Clear();

        await Until(() => node.Version == 3, "the node did not receive version 3");

        Assert.Equal([("r2:eth1 -- r3:eth0", "node-b"), ("r1:eth1 -- r2:eth0", "node-a")], Service.State.DownLinks["ring"].Select(d => (d.Text, d.Node)));
        var ring = Service.State.Topology["ring"];
        var expected = ForwardingPlanner.Plan(ring with { Links = [.. ring.Links.Where(l => l != R1R2 && l.A != new Endpoint("r2", "eth1"))] });
        Assert.Equal(expected, Service.State.Plans["ring"]);
        DesiredState first;
        lock (states) first = Assert.Single(states);
        Assert.Equal((3UL, expected), (first.Version, first.Plans["ring"]));
        Assert.Equal(3UL, (await _controller.Store.LoadAsync(default))!.Version);
    }

    private static IEnumerable<string> Routes(NetworkPlan plan, string device) =>
        plan.Devices.Single(d => d.Device == device).Routes.Select(r => r.ToString());

    private static async Task Until(Func<bool> condition, string failure)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(10);
        }
    }
}
