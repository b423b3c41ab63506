using System.Threading.Channels;
using Softnet.Control.Client;
using Softnet.Control.Controller;
using Softnet.Control.Routing;
using Softnet.Hypervisor.Topology;
using V1 = Softnet.Control.V1;

namespace Softnet.Control.Tests.Controller;

public sealed class SubscriptionTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly NodeSubscriptionOptions QuickRetry = new() { InitialBackoff = TimeSpan.FromMilliseconds(20), MaxBackoff = TimeSpan.FromMilliseconds(200) };

    private readonly Channel<DesiredState> _received = Channel.CreateUnbounded<DesiredState>();
    private RunningController _controller = null!;
    private ControllerApi _api = null!;

    public async Task InitializeAsync()
    {
        _controller = await RunningController.StartAsync();
        _api = _controller.Api();
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _controller.DisposeAsync();
    }

    [Fact]
    public async Task ASubscriberReceivesTheCurrentStateThenEachNewVersion()
    {
        await _api.ApplyAsync(Files.Lab(), "lab.yaml", dryRun: false, default);
        await using var node = Subscribe();

        var first = await NextAsync();
        Assert.Equal(1UL, first.Version);
        Assert.Equal(["lab"], first.Topology.Networks.Select(n => n.Name));
        Assert.Equal(10, first.Topology["lab"].Tokens);
        Assert.Equal(["lab"], first.Plans.Keys);

        await _api.ApplyAsync(Files.Lab(tokens: 20), "lab.yaml", dryRun: false, default);
        var second = await NextAsync();
        Assert.Equal(2UL, second.Version);
        Assert.Equal(20, second.Topology["lab"].Tokens);

        await _api.ConnectUserAsync("alice", Files.Lab("t", tokens: 5), "personal.yaml", default);
        var third = await NextAsync();
        Assert.Equal(3UL, third.Version);
        Assert.Equal(["lab", "user-alice"], third.Topology.Networks.Select(n => n.Name));
        Assert.Equal(ForwardingPlanner.Plan(third.Topology["user-alice"]), third.Plans["user-alice"]);

        await _api.DisconnectUserAsync("alice", default);
        Assert.Equal(["lab"], (await NextAsync()).Topology.Networks.Select(n => n.Name));
        Assert.Equal(4UL, node.Version);
        var seen = Assert.Single(_controller.Service.Nodes());
        Assert.Equal(("node-a", 1, 4UL, 2), (seen.Node, seen.Subscriptions, seen.Version, seen.Capacity.Workers));
    }

    [Fact]
    public async Task ANodeThatIsCurrentIsSentNothingAndAnEmptyControllerSendsNothing()
    {
        await using (var early = Subscribe())
        {
            await WaitForAsync(() => early.IsConnected);
            Assert.Equal(1, _controller.Service.Subscribers);
            await _api.ApplyAsync(Files.Lab(), "lab.yaml", dryRun: false, default);
            Assert.Equal(1UL, (await NextAsync()).Version);
        }
        await WaitForAsync(() => _controller.Service.Subscribers == 0);

        await using var current = Subscribe(version: 1);
        await WaitForAsync(() => current.IsConnected);
        await _api.ApplyAsync(Files.Lab(tokens: 11), "lab.yaml", dryRun: false, default);

        Assert.Equal(2UL, (await NextAsync()).Version);
        Assert.False(_received.Reader.TryRead(out _));
    }

    [Fact]
    public async Task ANodeResumesAfterTheControllerRestartsWithoutADuplicate()
    {
        await _api.ApplyAsync(Files.Lab(), "lab.yaml", dryRun: false, default);
        await using var node = Subscribe();
        Assert.Equal(1UL, (await NextAsync()).Version);
        await _api.ApplyAsync(Files.Lab(tokens: 12), "lab.yaml", dryRun: false, default);
        Assert.Equal(2UL, (await NextAsync()).Version);

        await _controller.StopAsync();
        await WaitForAsync(() => !node.IsConnected);
        Assert.Equal(2UL, node.Version);
        await _controller.StartAgainAsync();
        await WaitForAsync(() => node.Connections == 2 && _controller.Service.Subscribers == 1);

        Assert.Equal(2UL, _controller.Service.Version);
        Assert.False(_received.Reader.TryRead(out _));
        await _api.ApplyAsync(Files.Lab(tokens: 13), "lab.yaml", dryRun: false, default);
        var next = await NextAsync();
        Assert.Equal(3UL, next.Version);
        Assert.Equal(13, next.Topology["lab"].Tokens);
        Assert.False(_received.Reader.TryRead(out _));
    }

    [Fact]
    public async Task PlansArriveExactlyAsThePlannerMadeThem()
    {
        await _api.ApplyAsync(Files.MplsCore, "core.yaml", dryRun: false, default);
        await _api.ConnectUserAsync("alice", Files.Lab("t", tokens: 5), "personal.yaml", default);
        await using var node = Subscribe();

        var state = await NextAsync();

        var expected = TopologyLoader.Parse(Files.MplsCore, "core.yaml")["core"];
        var plan = ForwardingPlanner.Plan(expected);
        Assert.Equal(plan, state.Plans["core"]);
        Assert.Equal(Lines(plan), Lines(state.Plans["core"]));
        var routes = plan.Devices.SelectMany(d => d.Routes).ToList();
        var labels = plan.Devices.SelectMany(d => d.Labels).ToList();
        Assert.Contains(routes, r => r.NextHops.Count == 2);
        Assert.Contains(routes, r => !r.Prefix.IsIpv4);
        Assert.Contains(routes, r => r.NextHops.Any(h => h.Push is not null));
        Assert.Contains(routes, r => r.Origin == Hypervisor.Forwarding.RouteOrigin.Static);
        Assert.Contains(labels, l => l.Action == LabelAction.Swap);
        Assert.Contains(labels, l => l.Action == LabelAction.Pop);
        Assert.Equal(ForwardingPlanner.Plan(state.Topology["user-alice"]), state.Plans["user-alice"]);
        Assert.Equal(state.Topology["core"].Devices.Select(d => d.Name), expected.Devices.Select(d => d.Name));
    }

    [Fact]
    public void AStateIsDecodedOnlyWhenEveryNetworkHasItsPlan()
    {
        Assert.Empty(NodeSubscription.Decode(new V1.NodeState { Version = 7 }).Topology.Networks);
        var lab = TopologyLoader.Parse(Files.Lab(), "lab.yaml")["lab"];
        var message = new V1.NodeState { Version = 8, TopologyYaml = Files.Lab() };

        Assert.Equal("version 8 has no plan of network 'lab'", Assert.Throws<InvalidDataException>(() => NodeSubscription.Decode(message)).Message);
        message.Plans.Add(Protos.PlanCodec.ToMessage(ForwardingPlanner.Plan(lab)));
        Assert.Equal(ForwardingPlanner.Plan(lab), NodeSubscription.Decode(message).Plans["lab"]);
        message.Plans.Add(Protos.PlanCodec.ToMessage(ForwardingPlanner.Plan(lab)));
        Assert.Equal("version 8 has two plans of network 'lab'", Assert.Throws<InvalidDataException>(() => NodeSubscription.Decode(message)).Message);
    }

    private static IEnumerable<string> Lines(Hypervisor.Forwarding.NetworkPlan plan) =>
        plan.Devices.SelectMany(d => d.Routes.Select(r => $"{d.Device} {r}").Concat(d.Labels.Select(l => $"{d.Device} {l}")));

    private NodeSubscription Subscribe(ulong version = 0) => NodeSubscription.Start(
        _controller.GrpcAddress, "node-a", new NodeCapacity(2, 8192, 2048),
        async (state, ct) => await _received.Writer.WriteAsync(state, ct),
        version, QuickRetry);

    private async Task<DesiredState> NextAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        return await _received.Reader.ReadAsync(timeout.Token);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!condition()) await Task.Delay(10, timeout.Token);
    }
}
