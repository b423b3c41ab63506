using System.Net;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using Softnet.Control.Client;
using Softnet.Control.Controller;
using Softnet.Control.Routing;
using Softnet.Devices.Ip;
using Softnet.Hypervisor.Forwarding;
using Softnet.Hypervisor.Runtime;
using Softnet.Hypervisor.Topology;
using Softnet.Wire;
using SoftnetHypervisor = Softnet.Hypervisor.Runtime.Hypervisor;
using Softnet.Tests.Shared;

namespace Softnet.Control.Tests.Controller;

/// <summary>
/// Link state in the control plane: a node reports a link down (or up again), the controller replans that network
/// alone around the links down and publishes a version with the same topology, which the node applies in place.
/// </summary>
public sealed class LinkReportTests : IAsyncLifetime
{
    /// <summary>The triangle of <see cref="TriangleTopology"/> as network <c>ring</c>, its hosts in memory.</summary>
    internal static readonly string Ring = TriangleTopology.Yaml("ring", "memory");

    internal static readonly LinkSpec R1R2 = new(new("r1", "eth1"), new("r2", "eth0"));
    private static readonly LinkSpec R2R3 = new(new("r2", "eth1"), new("r3", "eth0"));

    internal static readonly string[] R1Direct =
    [
        "10.0.2.0/24 via 192.168.12.2 port eth1 (computed)",
        "192.168.23.0/30 via 192.168.12.2 port eth1, via 192.168.13.2 port eth2 (computed)",
    ];

    internal static readonly string[] R1AroundR1R2 =
    [
        "10.0.2.0/24 via 192.168.13.2 port eth2 (computed)",
        "192.168.23.0/30 via 192.168.13.2 port eth2 (computed)",
    ];

    private static readonly NodeSubscriptionOptions QuickRetry = new() { InitialBackoff = TimeSpan.FromMilliseconds(20), MaxBackoff = TimeSpan.FromMilliseconds(200) };

    private RunningController _controller = null!;

    private ControllerService Service => _controller.Service;

    public async Task InitializeAsync() => _controller = await RunningController.StartAsync();

    public async Task DisposeAsync() => await _controller.DisposeAsync();

    [Fact]
    public async Task ALinkDownReplansItsNetworkAloneAroundItAndUpRestoresThePlan()
    {
        await Service.ApplyAsync(Ring + "\n" + Files.Lab()["networks:\n".Length..], "two.yaml", dryRun: false, default);
        var before = Service.State;
        Assert.Equal(R1Direct, Routes(before.Plans["ring"], "r1"));

        var down = await Service.ReportLinkAsync("node-a", "ring", "r2:eth0", "r1:eth1", up: false, default);

        Assert.Equal(("ring", R1R2, false, (ulong?)2UL, 2UL), (down.Network, down.Link, down.Up, down.NewVersion, down.Version));
        Assert.Equal([(R1R2, "node-a")], down.Down.Select(d => (d.Link, d.Node)));
        var after = Service.State;
        Assert.Equal(2UL, after.Version);
        Assert.Equal(before.TopologyYaml, after.TopologyYaml);
        Assert.Same(before.Topology, after.Topology);
        Assert.Same(before.Plans["lab"], after.Plans["lab"]);
        Assert.Equal(R1AroundR1R2, Routes(after.Plans["ring"], "r1"));
        var ring = before.Topology["ring"];
        Assert.Equal(ForwardingPlanner.Plan(ring with { Links = [.. ring.Links.Where(l => l != R1R2)] }), after.Plans["ring"]);
        Assert.Equal("r1:eth1 -- r2:eth0", Assert.Single(after.DownLinks["ring"]).Text);
        Assert.Equal(2UL, (await _controller.Store.LoadAsync(default))!.Version);

        var again = await Service.ReportLinkAsync("node-b", "ring", "r1:eth1", "r2:eth0", up: false, default);
        Assert.Null(again.NewVersion);
        Assert.Equal(2UL, again.Version);
        Assert.Equal("node-a", Assert.Single(again.Down).Node);

        var second = await Service.ReportLinkAsync("node-a", "ring", "r2:eth1", "r3:eth0", up: false, default);
        Assert.Equal(3UL, second.NewVersion);
        Assert.Equal([R1R2, R2R3], second.Down.Select(d => d.Link));
        Assert.Equal(["192.168.23.0/30 via 192.168.13.2 port eth2 (computed)"], Routes(Service.State.Plans["ring"], "r1"));

        var up = await Service.ReportLinkAsync("node-a", "ring", "r1:eth1", "r2:eth0", up: true, default);
        Assert.Equal(4UL, up.NewVersion);
        Assert.Equal([R2R3], up.Down.Select(d => d.Link));
        var last = await Service.ReportLinkAsync("node-a", "ring", "r3:eth0", "r2:eth1", up: true, default);
        Assert.Equal(5UL, last.NewVersion);
        Assert.Empty(last.Down);
        Assert.Equal(before.Plans["ring"], Service.State.Plans["ring"]);
        Assert.False(Service.State.DownLinks.ContainsKey("ring"));
        Assert.Equal(before.TopologyYaml, Service.State.TopologyYaml);
    }

    [Fact]
    public async Task AReportOfAnUnknownNetworkLinkOrEndpointIsRefusedAndChangesNothing()
    {
        var none = await Assert.ThrowsAsync<ControllerException>(() => Service.ReportLinkAsync("node-a", "ring", "r1:eth1", "r2:eth0", up: false, default));
        Assert.Equal((RefusalKind.NotFound, "there is no network 'ring'; no network is applied"), (none.Kind, none.Message));
        await Service.ApplyAsync(Ring, "ring.yaml", dryRun: false, default);

        var network = await Assert.ThrowsAsync<ControllerException>(() => Service.ReportLinkAsync("node-a", "lab", "r1:eth1", "r2:eth0", up: false, default));
        Assert.Equal((RefusalKind.NotFound, "there is no network 'lab'; networks: ring"), (network.Kind, network.Message));
        var link = await Assert.ThrowsAsync<ControllerException>(() => Service.ReportLinkAsync("node-a", "ring", "r1:eth1", "r3:eth0", up: false, default));
        Assert.Equal(RefusalKind.NotFound, link.Kind);
        Assert.Equal("network 'ring' has no link r1:eth1 -- r3:eth0; its links: h1:eth0 -- r1:eth0, r1:eth1 -- r2:eth0, r2:eth1 -- r3:eth0, r3:eth1 -- r1:eth2, r2:eth2 -- h2:eth0",
            link.Message);
        var endpoint = await Assert.ThrowsAsync<ControllerException>(() => Service.ReportLinkAsync("node-a", "ring", "r1", "r2:eth0", up: false, default));
        Assert.Equal((RefusalKind.Invalid, "'r1' is not a link endpoint; write node:port, such as r1:eth0"), (endpoint.Kind, endpoint.Message));
        var node = await Assert.ThrowsAsync<ControllerException>(() => Service.ReportLinkAsync(" ", "ring", "r1:eth1", "r2:eth0", up: false, default));
        Assert.Equal((RefusalKind.Invalid, "name the node that reports the link"), (node.Kind, node.Message));

        var unchanged = await Service.ReportLinkAsync("node-a", "ring", "r1:eth1", "r2:eth0", up: true, default);
        Assert.Null(unchanged.NewVersion);
        Assert.Equal(1UL, Service.Version);
        Assert.Empty(Service.State.DownLinks);
    }

    [Fact]
    public async Task LinksDownOutliveAnApplyThatKeepsThemAndARestartOfTheController()
    {
        await Service.ApplyAsync(Ring, "ring.yaml", dryRun: false, default);
        await Service.ReportLinkAsync("node-a", "ring", "r1:eth1", "r2:eth0", up: false, default);
        await Service.ReportLinkAsync("node-a", "ring", "r2:eth1", "r3:eth0", up: false, default);

        // Tokens change the network's text: it is planned again, still without both links.
        var retokened = await Service.ApplyAsync(Ring.Replace("tokens: 10", "tokens: 12", StringComparison.Ordinal), "ring.yaml", dryRun: false, default);
        Assert.Equal(4UL, retokened.NewVersion);
        Assert.Equal([R1R2, R2R3], Service.State.DownLinks["ring"].Select(d => d.Link));
        var ring = Service.State.Topology["ring"];
        Assert.Equal(ForwardingPlanner.Plan(ring with { Links = [.. ring.Links.Where(l => l != R1R2 && l != R2R3)] }), Service.State.Plans["ring"]);

        // The file now writes r1 — r2 the other way round and drops r2 — r3: the first stays down, the second is gone.
        var rewritten = Ring.Replace("tokens: 10", "tokens: 12", StringComparison.Ordinal)
            .Replace("[\"r1:eth1\", \"r2:eth0\"]", "[\"r2:eth0\", \"r1:eth1\"]", StringComparison.Ordinal)
            .Replace("      - endpoints: [\"r2:eth1\", \"r3:eth0\"]\n", "", StringComparison.Ordinal);
        Assert.Equal(5UL, (await Service.ApplyAsync(rewritten, "ring.yaml", dryRun: false, default)).NewVersion);
        var kept = Assert.Single(Service.State.DownLinks["ring"]);
        Assert.Equal(new LinkSpec(new("r2", "eth0"), new("r1", "eth1")), kept.Link);
        Assert.Equal(["192.168.23.0/30 via 192.168.13.2 port eth2 (computed)"], Routes(Service.State.Plans["ring"], "r1"));

        var plan = Service.State.Plans["ring"];

        await _controller.StopAsync();
        await _controller.StartAgainAsync();

        Assert.Equal(5UL, Service.Version);
        Assert.Equal(kept, Assert.Single(Service.State.DownLinks["ring"]));
        Assert.Equal(plan, Service.State.Plans["ring"]);
    }

    [Fact]
    public async Task TheRestApiTakesReportsAndShowsTheLinksDown()
    {
        using var api = _controller.Api();
        using var http = new HttpClient { BaseAddress = _controller.RestAddress };
        await api.ApplyAsync(Ring, "ring.yaml", dryRun: false, default);

        var reply = await api.ReportLinkAsync("node-a", "ring", "r2:eth0", "r1:eth1", up: false, default);

        Assert.Equal(("ring", "r1:eth1 -- r2:eth0", false, (ulong?)2UL, 2UL), (reply.Network, reply.Link, reply.Up, reply.NewVersion, reply.Version));
        Assert.Equal(("r1:eth1 -- r2:eth0", "node-a"), (Assert.Single(reply.Down).Link, reply.Down[0].Node));
        var state = await api.StateAsync(default);
        var network = Assert.Single(state.Networks);
        Assert.Equal(["r1:eth1 -- r2:eth0"], network.DownLinks.Select(d => d.Link));
        Assert.Equal(R1AroundR1R2, network.Plan.Single(d => d.Device == "r1").Routes);
        var listed = Assert.Single(await api.DownLinksAsync(default));
        Assert.Equal(("ring", "r1:eth1 -- r2:eth0", "node-a", reply.Down[0].Since), (listed.Network, listed.Link, listed.Node, listed.Since));
        var metrics = await http.GetStringAsync("metrics");
        Assert.Contains("softnet_controller_links_down 1", metrics);
        Assert.Contains("softnet_controller_link_reports_total{state=\"down\"} 1", metrics);

        var json = await http.PostAsync("v1/links", new StringContent(
            """{"node": "node-a", "network": "ring", "a": "r1:eth1", "b": "r2:eth0", "up": true}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        using (var body = JsonDocument.Parse(await json.Content.ReadAsStringAsync()))
        {
            Assert.Equal(3UL, body.RootElement.GetProperty("newVersion").GetUInt64());
            Assert.Equal(0, body.RootElement.GetProperty("down").GetArrayLength());
        }
        Assert.Empty(await api.DownLinksAsync(default));

        await AssertRefused(http.PostAsync("v1/links", Json("""{"node": "node-a", "network": "ring", "a": "r1:eth1", "b": "r2:eth0"}""")),
            HttpStatusCode.BadRequest, "Say whether the link is up");
        await AssertRefused(http.PostAsync("v1/links", Json("""{"node": "node-a", "network": "ring", "a": "r1:eth1", "b": "r3:eth0", "up": false}""")),
            HttpStatusCode.NotFound, "network 'ring' has no link r1:eth1 -- r3:eth0");
        await AssertRefused(http.PostAsync("v1/links", Json("""{"network": "ring", "a": "r1:eth1", "b": "r2:eth0", "up": false}""")),
            HttpStatusCode.BadRequest, "name the node that reports the link");
        await AssertRefused(http.PostAsync("v1/links", new StringContent("node-a ring r1:eth1 r2:eth0 down", Encoding.UTF8, "text/plain")),
            HttpStatusCode.UnsupportedMediaType, "takes application/json");
        Assert.Equal(3UL, (await api.StateAsync(default)).Version);
    }

    [Fact]
    public async Task ANodeReportsOverItsSubscriptionAndReceivesTheReplannedState()
    {
        var received = System.Threading.Channels.Channel.CreateUnbounded<DesiredState>();
        await Service.ApplyAsync(Ring, "ring.yaml", dryRun: false, default);
        await using var node = NodeSubscription.Start(_controller.GrpcAddress, "node-a", new NodeCapacity(1, 8192, 2048),
            async (state, ct) => await received.Writer.WriteAsync(state, ct), options: QuickRetry);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var first = await received.Reader.ReadAsync(timeout.Token);

        var version = await node.ReportLinkAsync("ring", new("r1", "eth1"), new("r2", "eth0"), up: false, default);

        Assert.Equal(2UL, version);
        var second = await received.Reader.ReadAsync(timeout.Token);
        Assert.Equal(2UL, second.Version);
        Assert.Same(first.Topology.Networks[0], second.Topology.Networks[0]);
        Assert.Equal("controller v2", second.Topology.SourceName);
        Assert.Equal(R1AroundR1R2, Routes(second.Plans["ring"], "r1"));
        Assert.Equal("node-a", Assert.Single(Service.State.DownLinks["ring"]).Node);

        var refused = await Assert.ThrowsAsync<RpcException>(() => node.ReportLinkAsync("ring", new("r1", "eth1"), new("r3", "eth0"), up: false, default));
        Assert.Equal(StatusCode.NotFound, refused.StatusCode);
        Assert.StartsWith("network 'ring' has no link r1:eth1 -- r3:eth0", refused.Status.Detail);
        var unknown = await Assert.ThrowsAsync<RpcException>(() => node.ReportLinkAsync("", new("r1", "eth1"), new("r2", "eth0"), up: false, default));
        Assert.Equal(StatusCode.InvalidArgument, unknown.StatusCode);
        Assert.Equal(2UL, Service.Version);
    }

    [Fact]
    public async Task TrafficFlowsAgainAroundACutLinkOnceTheNodeReportsItAndTheNodeRebuildsNothing()
    {
        var options = new HypervisorOptions { Workers = 1, PacketBuffers = 4096, BufferSize = 2048 };
        using var hypervisor = SoftnetHypervisor.Start(new TopologyFile("controller", []), new NoHostPorts(), options);
        var applied = new List<AppliedChanges>();
        await using var node = NodeSubscription.Start(_controller.GrpcAddress, "node-a", NodeCapacity.Of(options),
            (state, _) =>
            {
                lock (applied) applied.Add(hypervisor.Apply(state.Topology, state.Plans));
                return Task.CompletedTask;
            },
            options: QuickRetry);
        await Service.ApplyAsync(Ring, "ring.yaml", dryRun: false, default);
        var hosts = new MemoryHosts(hypervisor);
        Assert.True(hosts.RunUntil(() => node.Version == 1, Patience), "the node did not take the first state");
        var h1 = hosts.Add("h1", "10.0.1.10/24", "10.0.1.1");
        hosts.Add("h2", "10.0.2.10/24", "10.0.2.1");
        Assert.Equal(62, PingTtl(hosts, h1, sequence: 1));

        hypervisor.SetLink("ring", R1R2.A, R1R2.B, up: false);
        var version = await node.ReportLinkAsync("ring", R1R2.A, R1R2.B, up: false, default);
        Assert.True(hosts.RunUntil(() => node.Version == version, Patience), "the node did not take the replanned state");

        // h2 -> r2 -> r3 -> r1 -> h1: one router more. Only r1 and r2 route differently (r3 reaches both ends of the cut link still).
        Assert.Equal(61, PingTtl(hosts, h1, sequence: 2));
        AppliedChanges change;
        lock (applied) change = applied[^1];
        Assert.Equal((0, 0, 0), (change.Added.Count, change.Rebuilt.Count, change.Removed.Count));
        Assert.Equal(["ring"], change.Untouched);
        Assert.Equal(["ring/r1", "ring/r2"], change.Replanned.Order(StringComparer.Ordinal));

        hypervisor.SetLink("ring", R1R2.A, R1R2.B, up: true);
        version = await node.ReportLinkAsync("ring", R1R2.B, R1R2.A, up: true, default);
        Assert.True(hosts.RunUntil(() => node.Version == version, Patience), "the node did not take the restored state");
        Assert.Equal(62, PingTtl(hosts, h1, sequence: 3));
    }

    /// <summary>The TTL of the echo reply h2 sends to h1's ping: 64 less one per router on the way back.</summary>
    private static int PingTtl(MemoryHosts hosts, Host h1, ushort sequence)
    {
        Assert.True(h1.Ping(Ipv4Address.Parse("10.0.2.10"), identifier: 7, sequence));
        EchoReply? reply = null;
        Assert.True(hosts.RunUntil(() => h1.Endpoints.TryReceiveEchoReply(out reply) && reply.SequenceNumber == sequence, Patience), $"no echo reply to ping {sequence}");
        return reply!.Ttl;
    }

    /// <summary>How long the hosts wait for the node or a reply.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static IEnumerable<string> Routes(NetworkPlan plan, string device) =>
        plan.Devices.Single(d => d.Device == device).Routes.Select(r => r.ToString());

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    private static async Task AssertRefused(Task<HttpResponseMessage> request, HttpStatusCode status, string expected)
    {
        using var response = await request;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {status}, got {response.StatusCode}: {text}");
        Assert.Contains(expected, JsonSerializer.Deserialize<ErrorReply>(text, ControllerJson.Options)!.Error);
    }
}
