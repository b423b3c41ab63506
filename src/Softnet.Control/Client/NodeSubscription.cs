using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Softnet.Control.Controller;
using Softnet.Control.Protos;
using Softnet.Hypervisor.Topology;
using V1 = Softnet.Control.V1;

namespace Softnet.Control.Client;

/// <summary>How a <see cref="NodeSubscription"/> waits between attempts: from <see cref="InitialBackoff"/>, doubling up to <see cref="MaxBackoff"/>.</summary>
public sealed record NodeSubscriptionOptions
{
    public static NodeSubscriptionOptions Default { get; } = new();

    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(100);
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// A node's side of the controller's gRPC subscription (<c>softnet.control.v1.Controller/Subscribe</c>): dials the
/// controller, reports the node's version and capacity, and hands every <see cref="DesiredState"/> it receives to the
/// callback, one at a time. When the controller goes away (stopped, crashed, unreachable) it dials again with a
/// backoff that doubles up to a cap and resumes from <see cref="Version"/>, so a controller that comes back with the
/// same state sends nothing; the node keeps running what it has meanwhile. When the callback throws, or a state
/// cannot be decoded, the subscription logs it, drops the stream and dials again: the controller then sends the
/// state again, so a failed install is retried. <see cref="ReportLinkAsync"/> tells the controller of a link that went
/// down or came back up, on the same connection. The node is the authority for what it observes: the subscription
/// keeps every link last reported down (<see cref="DownLinks"/>, whether or not the controller took the report) and
/// sends that whole view with every dial, and again, link by link, after the first state of each subscription and
/// after every state with a new topology, for the links that topology has, so that a
/// controller that lost the reports, or never had them, converges to the node's view.
/// </summary>
public sealed class NodeSubscription : IAsyncDisposable
{
    /// <summary>Largest state accepted from the controller (gRPC's default is 4 MiB; plans of big networks exceed it).</summary>
    public const int MaxStateBytes = 256 * 1024 * 1024;

    private static readonly TimeSpan ReportTimeout = TimeSpan.FromSeconds(10);

    private readonly V1.SubscribeRequest _request;
    private readonly Func<DesiredState, CancellationToken, Task> _onState;
    private readonly NodeSubscriptionOptions _options;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly GrpcChannel _channel;
    private readonly V1.Controller.ControllerClient _client;
    private readonly Task _loop;
    private readonly Lock _downLock = new();
    private readonly List<LinkDown> _down = [];
    private ulong _version;
    private int _connected;
    private int _connections;

    private NodeSubscription(Uri controller, string node, NodeCapacity capacity, Func<DesiredState, CancellationToken, Task> onState, ulong version,
        NodeSubscriptionOptions options, ILogger log)
    {
        Controller = controller;
        Node = node;
        _version = version;
        _onState = onState;
        _options = options;
        _log = log;
        _request = new V1.SubscribeRequest
        {
            Node = node,
            Capacity = new V1.Capacity { Workers = (uint)capacity.Workers, PacketBuffers = (uint)capacity.PacketBuffers, BufferSize = (uint)capacity.BufferSize },
        };
        _channel = GrpcChannel.ForAddress(Controller, new GrpcChannelOptions
        {
            MaxReceiveMessageSize = MaxStateBytes,
            HttpHandler = new SocketsHttpHandler
            {
                ConnectTimeout = TimeSpan.FromSeconds(5),
                // A controller whose machine vanished sends no FIN: pings find out.
                KeepAlivePingDelay = TimeSpan.FromSeconds(10),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(5),
                KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
            },
        });
        _client = new V1.Controller.ControllerClient(_channel);
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>The controller's gRPC address, such as <c>http://127.0.0.1:7471</c>.</summary>
    public Uri Controller { get; }

    public string Node { get; }

    /// <summary>The last version the callback completed (or the one given to <see cref="Start"/>); reported on every dial.</summary>
    public ulong Version => Volatile.Read(ref _version);

    /// <summary>Whether a subscription is open now (the controller answered the last dial and has not gone away).</summary>
    public bool IsConnected => Volatile.Read(ref _connected) != 0;

    /// <summary>How many times a subscription was opened: 1 after the first dial succeeded, one more per reconnection.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>The links this node last reported down, in the order reported; each with its ends as reported.</summary>
    public IReadOnlyList<LinkDown> DownLinks
    {
        get
        {
            lock (_downLock) return [.. _down];
        }
    }

    /// <summary>Starts subscribing in the background; dispose to stop.</summary>
    /// <param name="controller">The controller's gRPC endpoint (HTTP/2 without TLS), <c>http://127.0.0.1:7471</c>.</param>
    /// <param name="node">The node's name, unique among the controller's nodes.</param>
    /// <param name="capacity">What the node can carry (<see cref="NodeCapacity.Of"/> of its hypervisor options).</param>
    /// <param name="onState">Installs a state; called once per version received, never concurrently; its token is
    /// cancelled when the subscription is disposed.</param>
    /// <param name="version">The version the node already runs (0: none).</param>
    public static NodeSubscription Start(Uri controller, string node, NodeCapacity capacity, Func<DesiredState, CancellationToken, Task> onState,
        ulong version = 0, NodeSubscriptionOptions? options = null, ILogger? log = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(node);
        ArgumentNullException.ThrowIfNull(onState);
        ArgumentOutOfRangeException.ThrowIfLessThan(Math.Min(capacity.Workers, Math.Min(capacity.PacketBuffers, capacity.BufferSize)), 1, nameof(capacity));
        return new NodeSubscription(controller, node, capacity, onState, version, options ?? NodeSubscriptionOptions.Default, log ?? NullLogger.Instance);
    }

    /// <summary>The desired state a <see cref="V1.NodeState"/> carries.</summary>
    /// <exception cref="InvalidDataException">The message is not a state the controller writes (a plan missing or
    /// repeated, an undecodable plan).</exception>
    /// <exception cref="TopologyException">Its topology does not load.</exception>
    public static DesiredState Decode(V1.NodeState message) => Decode(message, null);

    /// <summary>
    /// Reports to the controller that the link between <paramref name="a"/> and <paramref name="b"/> of
    /// <paramref name="network"/> went down (or, with <paramref name="up"/>, came back up), as this node saw it. The
    /// controller answers once it has published the version that routes around the links down; that version reaches
    /// the node through the subscription, like any other. The link joins (or leaves) <see cref="DownLinks"/> before the
    /// report is sent: a controller that cannot be reached now learns it on the next dial.
    /// </summary>
    /// <returns>The version that takes the report into account (the current one when the report changed nothing).</returns>
    /// <exception cref="RpcException">The controller refused the report (InvalidArgument, NotFound), or did not take it
    /// within 10 s or at all (DeadlineExceeded; Unavailable: unreachable, or its store failed).</exception>
    public async Task<ulong> ReportLinkAsync(string network, Endpoint a, Endpoint b, bool up, CancellationToken ct)
    {
        var link = new LinkDown(network, a, b);
        lock (_downLock)
        {
            _down.RemoveAll(link.SameLink);
            if (!up) _down.Add(link);
        }
        return await SendReportAsync(link, up, ct);
    }

    private async Task<ulong> SendReportAsync(LinkDown link, bool up, CancellationToken ct)
    {
        var report = new V1.LinkReport { Node = Node, Network = link.Network, A = link.A.ToString(), B = link.B.ToString(), Up = up };
        var reply = await _client.ReportLinkAsync(report, deadline: DateTime.UtcNow + ReportTimeout, cancellationToken: ct);
        return reply.Version;
    }

    /// <param name="known">The last topology decoded and its text: taken again rather than parsed when the text is the
    /// same (as after a link report, which changes plans only).</param>
    private static DesiredState Decode(V1.NodeState message, (string Yaml, TopologyFile Topology)? known)
    {
        var source = $"{ControllerService.ComposedSource} v{message.Version}";
        var topology = message.TopologyYaml.Length == 0 ? new TopologyFile(source, [])
            : known is { } k && k.Yaml == message.TopologyYaml ? k.Topology with { SourceName = source }
            : TopologyLoader.Parse(message.TopologyYaml, source);
        var plans = new Dictionary<string, Hypervisor.Forwarding.NetworkPlan>(StringComparer.Ordinal);
        foreach (var plan in message.Plans.Select(PlanCodec.ToPlan))
            if (!plans.TryAdd(plan.Network, plan)) throw new InvalidDataException($"version {message.Version} has two plans of network '{plan.Network}'");
        if (topology.Networks.FirstOrDefault(n => !plans.ContainsKey(n.Name)) is { } unplanned)
            throw new InvalidDataException($"version {message.Version} has no plan of network '{unplanned.Name}'");
        if (plans.Count != topology.Networks.Count)
            throw new InvalidDataException($"version {message.Version} has plans of networks it does not declare");
        return new DesiredState(message.Version, topology, plans);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _channel.Dispose();
        _stop.Dispose();
    }

    /// <summary>
    /// Reports again the links down that <paramref name="topology"/> has, after the first state of a subscription and
    /// after each state with a new topology: a controller whose topology did not have them when the node dialled (it
    /// had lost its state, and was given the file again since) learns them now. A report the controller holds already
    /// changes nothing.
    /// </summary>
    private async Task ReportAgainAsync(TopologyFile topology, CancellationToken stop)
    {
        foreach (var link in DownLinks.Where(l => topology.Networks.Any(n => n.Name == l.Network && n.Links.Any(l.Is))))
        {
            try
            {
                await SendReportAsync(link, up: false, stop);
            }
            catch (RpcException e) when (!stop.IsCancellationRequested)
            {
                _log.LogWarning("reporting {Network} link {A} -- {B} down again failed: {Reason}", link.Network, link.A, link.B, e.Status.Detail);
            }
        }
    }

    private async Task RunAsync(CancellationToken stop)
    {
        (string Yaml, TopologyFile Topology)? known = null;
        var failures = 0;
        while (!stop.IsCancellationRequested)
        {
            var connected = false;
            var installed = true;
            try
            {
                _request.Version = Version;
                _request.Links = new V1.LinkView();
                foreach (var link in DownLinks) _request.Links.Down.Add(new V1.LinkEnds { Network = link.Network, A = link.A.ToString(), B = link.B.ToString() });
                using var call = _client.Subscribe(_request, cancellationToken: stop);
                await call.ResponseHeadersAsync;
                connected = true;
                Volatile.Write(ref _connected, 1);
                Interlocked.Increment(ref _connections);
                _log.LogInformation("subscribed to {Controller} as {Node} at version {Version}", Controller, Node, Version);
                var firstState = true;
                await foreach (var message in call.ResponseStream.ReadAllAsync(stop))
                {
                    installed = false;
                    var reportAgain = firstState || known?.Yaml != message.TopologyYaml;
                    firstState = false;
                    var state = Decode(message, known);
                    known = (message.TopologyYaml, state.Topology);
                    await _onState(state, stop);
                    Volatile.Write(ref _version, state.Version);
                    installed = true;
                    if (reportAgain) await ReportAgainAsync(state.Topology, stop);
                }
                _log.LogWarning("the controller at {Controller} ended the subscription; the node keeps version {Version}", Controller, Version);
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                _log.LogWarning("subscription to {Controller} lost ({Reason}); the node keeps version {Version}",
                    Controller, e is RpcException rpc ? rpc.Status.Detail : e.Message, Version);
            }
            finally
            {
                Volatile.Write(ref _connected, 0);
            }
            // A dial that failed, or a state that did not install, waits longer each time; a subscription that worked
            // until the controller went away dials again soon.
            failures = connected && installed ? 0 : failures + 1;
            var backoff = TimeSpan.FromTicks(Math.Min(_options.InitialBackoff.Ticks << Math.Min(failures, 20), _options.MaxBackoff.Ticks));
            try
            {
                await Task.Delay(backoff, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }
}

/// <summary>A link of <paramref name="Network"/> a node sees down, by its two ends as the topology file writes them.</summary>
public sealed record LinkDown(string Network, Endpoint A, Endpoint B)
{
    /// <summary>Whether <paramref name="link"/> is this one, written either way round.</summary>
    public bool Is(LinkSpec link) => (link.A == A && link.B == B) || (link.A == B && link.B == A);

    /// <summary>Whether <paramref name="other"/> names the same link of the same network, either way round.</summary>
    public bool SameLink(LinkDown other) => other.Network == Network && ((other.A == A && other.B == B) || (other.A == B && other.B == A));
}
