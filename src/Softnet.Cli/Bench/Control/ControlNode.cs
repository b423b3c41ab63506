using System.Net;
using Softnet.Control.Client;
using Softnet.Control.Controller;
using Softnet.Control.Store;
using Softnet.DataPlane;
using Softnet.Hypervisor.Runtime;
using Softnet.Hypervisor.Topology;
using SoftnetHypervisor = Softnet.Hypervisor.Runtime.Hypervisor;

namespace Softnet.Cli.Bench.Control;

/// <summary>
/// The bench's system, in one process: a real controller (<see cref="ControllerHost"/> on loopback ports over a
/// <see cref="FileStateStore"/> in a temporary directory) and a real hypervisor that follows it through a
/// <see cref="NodeSubscription"/>, installing each state it receives as <c>softnet up --controller</c> does; the hosts
/// are in-memory (<see cref="Hosts"/>). Disposing stops all of it and deletes the directory, also after a failure.
/// </summary>
internal sealed class ControlNode : IAsyncDisposable
{
    public const string Name = "bench-node";

    /// <summary>How long the bench waits for any one step (an answer, an install, a datagram) before it gives up.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private static readonly NodeSubscriptionOptions QuickRetry = new() { InitialBackoff = TimeSpan.FromMilliseconds(20), MaxBackoff = TimeSpan.FromMilliseconds(200) };

    private readonly string _directory;
    private readonly FileStateStore _store;
    private ControllerHost? _controller;
    private IPEndPoint _rest = new(IPAddress.Loopback, 0);
    private IPEndPoint _grpc = new(IPAddress.Loopback, 0);
    private SoftnetHypervisor? _hypervisor;
    private NodeSubscription? _subscription;
    private ControllerApi? _api;

    private ControlNode(HypervisorOptions options)
    {
        Options = options;
        _directory = Directory.CreateTempSubdirectory("softnet-bench-control-").FullName;
        _store = new FileStateStore(_directory);
    }

    public HypervisorOptions Options { get; }

    public SoftnetHypervisor Hypervisor => _hypervisor ?? throw new InvalidOperationException("The node is not running.");

    public NodeSubscription Subscription => _subscription ?? throw new InvalidOperationException("The node is not subscribed.");

    public ControllerApi Api => _api ?? throw new InvalidOperationException("The controller is not running.");

    public BenchHosts Hosts { get; private set; } = null!;

    /// <summary>The version the node has installed.</summary>
    public ulong Version => Subscription.Version;

    public static async Task<ControlNode> StartAsync(HypervisorOptions options)
    {
        var node = new ControlNode(options);
        try
        {
            await node.StartControllerAsync();
            node._hypervisor = SoftnetHypervisor.Start(new TopologyFile(ControllerService.ComposedSource, []), new MemoryHostsOnly(), options);
            node.Hosts = new BenchHosts(node._hypervisor);
            node._subscription = NodeSubscription.Start(node._controller!.GrpcAddress, Name, NodeCapacity.Of(options), node.Install, options: QuickRetry);
            return node;
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    /// <summary>Applies <paramref name="yaml"/> through the REST API and waits, running the hosts, until the node installed it.</summary>
    /// <exception cref="InvalidOperationException">The file changed nothing.</exception>
    public ApplyReply Apply(string yaml, string source)
    {
        var reply = Hosts.Await(Api.ApplyAsync(yaml, source, dryRun: false, CancellationToken.None), Patience, $"the controller's answer to apply {source}");
        var version = reply.NewVersion ?? throw new InvalidOperationException($"applying {source} changed nothing.");
        AwaitVersion(version, $"apply {source}");
        return reply;
    }

    /// <summary>Runs the hosts until the node has installed <paramref name="version"/>.</summary>
    public void AwaitVersion(ulong version, string what) => Hosts.RunUntil(() => Version >= version, Patience, $"the node's install of version {version} ({what})");

    /// <summary>Stops the controller and starts it again on the same ports and store, as a restarted process would.</summary>
    public async Task RestartControllerAsync()
    {
        if (_controller is { } running)
        {
            _controller = null;
            await running.DisposeAsync();
        }
        await StartControllerAsync();
    }

    /// <summary>Takes every part down, each even when another failed to.</summary>
    public async ValueTask DisposeAsync()
    {
        var failures = new List<Exception>();
        async Task Step(Func<ValueTask> step)
        {
            try
            {
                await step();
            }
            catch (Exception e)
            {
                failures.Add(e);
            }
        }
        await Step(() => _subscription?.DisposeAsync() ?? ValueTask.CompletedTask);
        await Step(() =>
        {
            _hypervisor?.Dispose();
            _api?.Dispose();
            return ValueTask.CompletedTask;
        });
        await Step(() => _controller?.DisposeAsync() ?? ValueTask.CompletedTask);
        await Step(() => _store.DisposeAsync());
        await Step(() =>
        {
            Directory.Delete(_directory, recursive: true);
            return ValueTask.CompletedTask;
        });
        if (failures.Count > 0) throw new AggregateException("bench control: the node did not stop cleanly.", failures);
    }

    private Task Install(DesiredState state, CancellationToken ct)
    {
        Hypervisor.Apply(state.Topology, state.Plans);
        return Task.CompletedTask;
    }

    private async Task StartControllerAsync()
    {
        _controller = await ControllerHost.StartAsync(new ControllerHostOptions(_rest, _grpc, _store), CancellationToken.None);
        (_rest, _grpc) = (_controller.RestEndpoint, _controller.GrpcEndpoint);
        _api ??= new ControllerApi(_controller.RestAddress);
    }

    /// <summary>Every bench host is in memory; a file that asks for another kind is a mistake of the bench.</summary>
    private sealed class MemoryHostsOnly : IHostPortProvider
    {
        public IPhysicalPort Attach(SoftwareNetwork network, HostSpec host, PhysicalPortKind kind, PacketPool pool) =>
            throw new InvalidOperationException($"bench control serves in-memory hosts only; {network.Name}/{host.Name} asks for {kind}.");

        public void Detach(SoftwareNetwork network, HostSpec host)
        {
        }
    }
}
