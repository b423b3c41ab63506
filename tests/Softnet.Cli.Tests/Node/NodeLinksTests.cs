using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Softnet.Cli.Node;
using Softnet.Control.Client;
using Softnet.Control.Controller;
using Softnet.Control.Store;
using Softnet.DataPlane;
using Softnet.Hypervisor.Linux;
using Softnet.Hypervisor.Runtime;
using Softnet.Hypervisor.Topology;
using Softnet.Tests.Shared;

namespace Softnet.Cli.Tests.Node;

/// <summary>
/// The node's links with a real controller (file store, loopback ports) and a <see cref="HypervisorNode"/> following
/// it: an operator takes links down and up, a host's carrier does, and the controller is told each time. With
/// in-memory hosts, and as root with real namespaces whose eth0 is taken down.
/// </summary>
public sealed class NodeLinksTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly string _directory = Directory.CreateTempSubdirectory("softnet-node-links-").FullName;
    private readonly string _network = "lk" + Guid.NewGuid().ToString("N")[..6];
    private FileStateStore _store = null!;
    private ControllerHost _controller = null!;
    private HypervisorNode? _node;
    private NodeSubscription? _subscription;

    public async Task InitializeAsync()
    {
        _store = new FileStateStore(Path.Combine(_directory, "controller"));
        _controller = await ControllerHost.StartAsync(
            new ControllerHostOptions(new IPEndPoint(IPAddress.Loopback, 0), new IPEndPoint(IPAddress.Loopback, 0), _store), CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_subscription is not null) await _subscription.DisposeAsync();
        try
        {
            _node?.Dispose();
        }
        finally
        {
            KernelObjects.Of([.. new[] { "h1", "h2" }.Select(h => HostNames.Namespace(_network, h))]).Remove();
            await _controller.DisposeAsync();
            await _store.DisposeAsync();
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task An_operator_takes_a_link_down_and_up_and_the_controller_routes_accordingly()
    {
        var node = await FollowAsync(NewNode(), "memory", new NoHosts());

        var down = await node.SetLinkAsync(null, "r2:eth0", "r1:eth1", up: false, CancellationToken.None);

        Assert.Equal((_network, "r1:eth1 -- r2:eth0", false, LinkCause.Operator, true), (down.Link.Network, down.Link.Link, down.Link.Up, down.Link.Cause, down.Changed));
        Assert.Equal(_controller.Service.Version, down.ControllerVersion);
        var held = Assert.Single(_controller.Service.State.DownLinks[_network]);
        Assert.Equal(("r1:eth1 -- r2:eth0", "node-t"), (held.Text, held.Node));
        Assert.Equal([down.Link], node.Links().Where(l => !l.Up));
        Assert.Equal(5, node.Links().Count);
        await Until(() => _subscription!.Version == down.ControllerVersion, "the node did not take the replanned state");

        var again = await node.SetLinkAsync(_network, "r1:eth1", "r2:eth0", up: false, CancellationToken.None);
        Assert.False(again.Changed);
        Assert.Equal(down.ControllerVersion, again.ControllerVersion);

        var refused = await Assert.ThrowsAsync<NodeRequestException>(() => node.SetLinkAsync(_network, "r1:eth1", "r3:eth0", up: false, CancellationToken.None));
        Assert.Equal(404, refused.Status);
        Assert.Equal(down.ControllerVersion, _controller.Service.Version);

        var up = await node.SetLinkAsync(_network, "r1:eth1", "r2:eth0", up: true, CancellationToken.None);
        Assert.True(up.Changed);
        Assert.All(node.Links(), l => Assert.True(l.Up));
        Assert.False(_controller.Service.State.DownLinks.ContainsKey(_network));
        Assert.Equal(down.ControllerVersion + 1, up.ControllerVersion);
    }

    [Fact]
    public async Task A_host_s_carrier_takes_its_link_down_and_up_but_never_brings_back_an_operator_s_link()
    {
        var node = await FollowAsync(NewNode(), "memory", new NoHosts());

        node.OnCarrier(new HostCarrier(_network, "h1", Up: false));
        await Until(() => _controller.Service.State.DownLinks.ContainsKey(_network), "the controller was not told of h1's link");
        var link = Assert.Single(node.Links(), l => !l.Up);
        Assert.Equal(("h1:eth0 -- r1:eth0", LinkCause.Carrier), (link.Link, link.Cause));
        Assert.Equal("h1:eth0 -- r1:eth0", Assert.Single(_controller.Service.State.DownLinks[_network]).Text);

        // The operator takes over the link while it is down; the carrier's return leaves it down.
        var taken = await node.SetLinkAsync(_network, "h1:eth0", "r1:eth0", up: false, CancellationToken.None);
        Assert.Equal((false, LinkCause.Operator, link.Since), (taken.Changed, taken.Link.Cause, taken.Link.Since));
        node.OnCarrier(new HostCarrier(_network, "h1", Up: true));
        node.OnCarrier(new HostCarrier(_network, "h2", Up: false));
        await Until(() => node.Links().Count(l => !l.Up) == 2, "h2's link did not go down");
        Assert.Equal([("h1:eth0 -- r1:eth0", LinkCause.Operator), ("r2:eth2 -- h2:eth0", LinkCause.Carrier)],
            node.Links().Where(l => !l.Up).Select(l => (l.Link, l.Cause!.Value)));

        node.OnCarrier(new HostCarrier(_network, "h2", Up: true));
        await Until(() => node.Links().Count(l => !l.Up) == 1, "h2's link did not come back");
        await Until(() => _controller.Service.State.DownLinks[_network].Count == 1, "the controller was not told of h2's link coming back");
    }

    [Theory]
    [InlineData("tap")]
    [InlineData("af_packet")]
    public async Task A_real_host_taking_eth0_down_takes_its_link_down_at_the_node_and_the_controller_and_up_again(string phy)
    {
        var node = NewNode();
        using var hosts = new LinuxHostPorts(node.OnCarrier);
        await FollowAsync(node, phy, hosts);
        Assert.Contains("2 received", Exec("h1", "ping", "-c", "2", "-i", "0.2", "-W", "2", "10.0.2.10"));

        Exec("h1", "ip", "link", "set", "eth0", "down");

        await Until(() => node.Links().Any(l => !l.Up), "the node did not see h1's eth0 go down");
        var link = Assert.Single(node.Links(), l => !l.Up);
        Assert.Equal(("h1:eth0 -- r1:eth0", LinkCause.Carrier), (link.Link, link.Cause));
        await Until(() => _controller.Service.State.DownLinks.ContainsKey(_network), "the controller was not told");
        Assert.Equal(("h1:eth0 -- r1:eth0", "node-t"), (_controller.Service.State.DownLinks[_network][0].Text, _controller.Service.State.DownLinks[_network][0].Node));

        Exec("h1", "ip", "link", "set", "eth0", "up");

        await Until(() => node.Links().All(l => l.Up), "the node did not see h1's eth0 come back up");
        await Until(() => !_controller.Service.State.DownLinks.ContainsKey(_network), "the controller was not told of the link coming back");
        await Until(() => _subscription!.Version == _controller.Service.Version, "the node did not take the restored state");
        Assert.Contains("2 received", Exec("h1", "ping", "-c", "2", "-i", "0.2", "-W", "2", "10.0.2.10"));
    }

    private HypervisorNode NewNode() => _node = new HypervisorNode("controller", Path.Combine(_directory, "state.json"));

    /// <summary>Starts the node (no network yet), applies the triangle with hosts of <paramref name="phy"/> and waits until the node runs it.</summary>
    private async Task<HypervisorNode> FollowAsync(HypervisorNode node, string phy, IHostPortProvider hosts)
    {
        node.Start(new TopologyFile("controller", []), hosts, new HypervisorOptions { Workers = 1 }, NullLogger.Instance);
        _subscription = NodeSubscription.Start(_controller.GrpcAddress, "node-t", new NodeCapacity(1, 8192, 2048), node.ConvergeAsync,
            options: new NodeSubscriptionOptions { InitialBackoff = TimeSpan.FromMilliseconds(20), MaxBackoff = TimeSpan.FromMilliseconds(200) });
        node.Follow(_subscription);
        var applied = await _controller.Service.ApplyAsync(Triangle(phy), "triangle.yaml", dryRun: false, CancellationToken.None);
        await Until(() => _subscription.Version == applied.NewVersion, "the node did not take the first state");
        return node;
    }

    private string Triangle(string phy) => TriangleTopology.Yaml(_network, phy);

    private string Exec(string host, params string[] command) => Ip.Run(["netns", "exec", HostNames.Namespace(_network, host), .. command]);

    private static async Task Until(Func<bool> condition, string failure)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(10);
        }
    }

    /// <summary>In-memory hosts only: the hypervisor makes those itself.</summary>
    private sealed class NoHosts : IHostPortProvider
    {
        public IPhysicalPort Attach(SoftwareNetwork network, HostSpec host, PhysicalPortKind kind, PacketPool pool) =>
            throw new InvalidOperationException($"the test's topology asked for a {kind} host");

        public void Detach(SoftwareNetwork network, HostSpec host)
        {
        }
    }
}
