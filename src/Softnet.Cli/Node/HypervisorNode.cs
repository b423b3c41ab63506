using System.Threading.Channels;
using Grpc.Core;
using StatusCodes = Microsoft.AspNetCore.Http.StatusCodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Softnet.Control.Client;
using Softnet.Hypervisor.Linux;
using Softnet.Hypervisor.Runtime;
using Softnet.Hypervisor.Topology;
using SoftnetHypervisor = Softnet.Hypervisor.Runtime.Hypervisor;

namespace Softnet.Cli.Node;

/// <summary>
/// The node's hypervisor behind the control API: not ready while it starts (its progress steps are the status), ready
/// once <see cref="MarkReady"/> says the state file describes it, or, following a controller, once it runs the
/// controller's first state. Each state the controller sends is applied live; <c>state.json</c> (at
/// <paramref name="statePath"/>) names the namespaces to come before they are made, and what runs after.
/// <para>
/// The node is the authority for its links: it holds down the links an operator took down (<see cref="SetLinkAsync"/>)
/// and those whose host's interface lost its carrier (<see cref="OnCarrier"/>), cuts them in the hypervisor (again
/// after a state rebuilt their network), and reports each change to the controller it follows (<see cref="Follow"/>),
/// whose subscription sends the whole view again on every dial.
/// </para>
/// </summary>
public sealed class HypervisorNode(string topologyFile, string statePath) : INodeService, IProgress<string>, IDisposable
{
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;
    private volatile SoftnetHypervisor? _hypervisor;
    private volatile bool _ready;
    private readonly List<string> _steps = [];
    private ILogger _log = NullLogger.Instance;
    private readonly SemaphoreSlim _linkGate = new(1, 1);
    private readonly Lock _linksLock = new();
    private readonly Dictionary<(string Network, LinkSpec Link), (DateTimeOffset Since, LinkCause Cause)> _down = [];
    private readonly Channel<HostCarrier> _carrier = Channel.CreateUnbounded<HostCarrier>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private volatile NodeSubscription? _controller;
    private Task? _carrierLoop;

    public NodeStatus Status
    {
        get
        {
            lock (_steps) return new(_ready, Environment.ProcessId, topologyFile, _started, [.. _steps]);
        }
    }

    private SoftnetHypervisor Running => _hypervisor ?? throw new InvalidOperationException("The hypervisor has not started.");

    /// <summary>Starts the hypervisor on the calling thread, logging each step to <paramref name="log"/>.</summary>
    public void Start(TopologyFile topology, IHostPortProvider hosts, HypervisorOptions options, ILogger log)
    {
        _log = log;
        _hypervisor = SoftnetHypervisor.Start(topology, hosts, options, this);
        _carrierLoop = Task.Run(() => FollowCarriersAsync(_stopping.Token));
    }

    /// <summary>Reports the links held down now, and every change of a link from now on, to <paramref name="subscription"/>'s controller.</summary>
    public void Follow(NodeSubscription subscription)
    {
        _linkGate.Wait();
        try
        {
            _controller = subscription;
            List<(string Network, LinkSpec Link)> held;
            lock (_linksLock) held = [.. _down.Keys];
            foreach (var (network, link) in held) _ = LogReportAsync(subscription.ReportLinkAsync(network, link.A, link.B, up: false, CancellationToken.None), network, link, up: false);
        }
        finally
        {
            _linkGate.Release();
        }
    }

    /// <summary>
    /// A host's interface stopped or started carrying frames (<see cref="LinuxHostPorts"/>' callback, on its monitor's
    /// thread): handed on at once, and taken as the host's link going down or up in turn.
    /// </summary>
    public void OnCarrier(HostCarrier change) => _carrier.Writer.TryWrite(change);

    /// <summary>What <c>state.json</c> records before <see cref="Start"/>: the namespaces the hypervisor is going to make.</summary>
    public NodeState PlannedState(TopologyFile topology) => NodeState.Planned(Environment.ProcessId, topologyFile, _started, topology);

    /// <summary>What <c>state.json</c> records about the running hypervisor.</summary>
    public NodeState State() => NodeState.Of(Environment.ProcessId, topologyFile, _started, Running.Topology, Running.Inspect());

    public void MarkReady()
    {
        _ready = true;
        Report("ready");
    }

    public HypervisorSnapshot Inspect() => Running.Inspect();

    /// <summary>Runs the controller's <paramref name="state"/>: changes only what differs from what runs now.</summary>
    public Task ConvergeAsync(DesiredState state, CancellationToken cancellation)
    {
        var hypervisor = Running;
        var planned = NodeState.Planned(Environment.ProcessId, topologyFile, _started, state.Topology);
        State().Including(planned).Save(statePath);
        var changes = hypervisor.Apply(state.Topology, state.Plans, this);
        HoldLinksDown(hypervisor);
        State().Save(statePath);
        Report($"version {state.Version}: " + Describe(changes));
        if (!_ready) MarkReady();
        return Task.CompletedTask;
    }

    private static string Describe(AppliedChanges changes)
    {
        var parts = new List<string>();
        if (changes.Added.Count > 0) parts.Add($"added {string.Join(", ", changes.Added)}");
        if (changes.Rebuilt.Count > 0) parts.Add($"rebuilt {string.Join(", ", changes.Rebuilt)}");
        if (changes.Removed.Count > 0) parts.Add($"removed {string.Join(", ", changes.Removed)}");
        if (changes.Replanned.Count > 0) parts.Add($"new forwarding on {string.Join(", ", changes.Replanned)}");
        return parts.Count == 0 ? "nothing to change" : string.Join("; ", parts);
    }

    public IDisposable Capture(string port, Stream output) => Running.Capture(port, output);

    public IReadOnlyList<NodeLink> Links()
    {
        var topology = Running.Topology;
        lock (_linksLock)
            return [.. topology.Networks.SelectMany(n => n.Links.Select(l => Describe(n.Name, l)))];
    }

    public async Task<LinkChange> SetLinkAsync(string? network, string a, string b, bool up, CancellationToken cancellation)
    {
        var hypervisor = Running;
        var (spec, link) = ResolveLink(hypervisor.Topology, network, a, b);
        Task<ulong>? report;
        bool changed;
        await _linkGate.WaitAsync(cancellation);
        try
        {
            changed = Change(hypervisor, spec, link, up, LinkCause.Operator);
            // Started under the gate: the subscription takes the reports into its view in the order of the changes.
            report = _controller?.ReportLinkAsync(spec.Name, link.A, link.B, up, CancellationToken.None);
        }
        finally
        {
            _linkGate.Release();
        }
        if (changed) _log.LogInformation("{Network}: link {Link} {State} (operator)", spec.Name, Text(link), up ? "up" : "down");
        NodeLink now;
        lock (_linksLock) now = Describe(spec.Name, link);
        if (report is null) return new LinkChange(now, changed, null, null);
        try
        {
            return new LinkChange(now, changed, await report, null);
        }
        catch (RpcException e)
        {
            return new LinkChange(now, changed, null, $"the controller was not told ({e.StatusCode}: {e.Status.Detail}); it will be when the node subscribes again");
        }
    }

    /// <summary>
    /// The link between <paramref name="a"/> and <paramref name="b"/> of <paramref name="network"/>, or of the one
    /// network that has it when <paramref name="network"/> is null.
    /// </summary>
    /// <exception cref="NodeRequestException">400: a malformed end or an ambiguous link; 404: no such network or link.</exception>
    public static (SoftwareNetwork Network, LinkSpec Link) ResolveLink(TopologyFile topology, string? network, string a, string b)
    {
        var (first, second) = (ParseEnd(a), ParseEnd(b));
        var networks = network is null ? topology.Networks : [.. topology.Networks.Where(n => n.Name == network)];
        if (networks.Count == 0)
            throw new NodeRequestException(StatusCodes.Status404NotFound, network is null
                ? "No network runs here."
                : $"There is no network '{network}' (networks: {string.Join(", ", topology.Networks.Select(n => n.Name))}).");
        var matches = networks.SelectMany(n => n.Links.Where(l => (l.A == first && l.B == second) || (l.A == second && l.B == first)).Select(l => (n, l))).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new NodeRequestException(StatusCodes.Status404NotFound, network is null
                ? $"No network has a link {first} -- {second}."
                : $"Network '{network}' has no link {first} -- {second} (its links: {string.Join(", ", networks[0].Links.Select(Text))})."),
            _ => throw new NodeRequestException(StatusCodes.Status400BadRequest,
                $"Networks {string.Join(", ", matches.Select(m => m.n.Name))} each have a link {first} -- {second}; name the network: softnet link down {matches[0].n.Name} {first} {second}."),
        };
    }

    private static Endpoint ParseEnd(string text)
    {
        var colon = text.IndexOf(':');
        if (colon <= 0 || colon == text.Length - 1 || text.IndexOf(':', colon + 1) >= 0 || text.Any(char.IsWhiteSpace))
            throw new NodeRequestException(StatusCodes.Status400BadRequest, $"'{text}' is not a link end; write node:port, such as r1:eth1.");
        return new Endpoint(text[..colon], text[(colon + 1)..]);
    }

    private static string Text(LinkSpec link) => $"{link.A} -- {link.B}";

    /// <summary>Under <see cref="_linksLock"/>.</summary>
    private NodeLink Describe(string network, LinkSpec link) => _down.TryGetValue((network, link), out var down)
        ? new NodeLink(network, Text(link), false, down.Since, down.Cause)
        : new NodeLink(network, Text(link), true, null, null);

    /// <summary>
    /// Moves the link to <paramref name="up"/> for <paramref name="cause"/>, in the hypervisor and in the node's
    /// record; false when that changes nothing. An operator's word goes; a carrier neither brings back a link an
    /// operator took down nor takes over one that is down already. Under <see cref="_linkGate"/>.
    /// </summary>
    private bool Change(SoftnetHypervisor hypervisor, SoftwareNetwork network, LinkSpec link, bool up, LinkCause cause)
    {
        var key = (network.Name, link);
        lock (_linksLock)
        {
            var isDown = _down.TryGetValue(key, out var held);
            if (isDown && !up && cause == LinkCause.Operator) _down[key] = held with { Cause = cause };
            if (isDown != up || (isDown && cause == LinkCause.Carrier && held.Cause == LinkCause.Operator)) return false;
        }
        Cut(hypervisor, network, link, up);
        lock (_linksLock)
        {
            if (up) _down.Remove(key);
            else _down[key] = (DateTimeOffset.UtcNow, cause);
        }
        return true;
    }

    private static void Cut(SoftnetHypervisor hypervisor, SoftwareNetwork network, LinkSpec link, bool up)
    {
        if (network.Hosts.FirstOrDefault(h => h.Name == link.A.Node || h.Name == link.B.Node) is { } host) hypervisor.SetHostLink(network.Name, host.Name, up);
        else hypervisor.SetLink(network.Name, link.A, link.B, up);
    }

    /// <summary>
    /// After a state was applied: forgets the links the topology no longer has, and cuts again those the hypervisor
    /// no longer has cut (their network was built anew).
    /// </summary>
    private void HoldLinksDown(SoftnetHypervisor hypervisor)
    {
        _linkGate.Wait();
        try
        {
            var cut = hypervisor.CutLinks().Select(c => (c.Network, c.Link)).ToHashSet();
            List<(string Network, LinkSpec Link)> held;
            lock (_linksLock) held = [.. _down.Keys];
            foreach (var key in held)
            {
                var network = hypervisor.Topology.Networks.FirstOrDefault(n => n.Name == key.Network);
                if (network is null || !network.Links.Contains(key.Link))
                {
                    lock (_linksLock) _down.Remove(key);
                    _log.LogInformation("{Network}: link {Link} is gone from the topology; the node no longer holds it down", key.Network, Text(key.Link));
                }
                else if (!cut.Contains(key)) Cut(hypervisor, network, key.Link, up: false);
            }
        }
        finally
        {
            _linkGate.Release();
        }
    }

    private async Task FollowCarriersAsync(CancellationToken stopping)
    {
        try
        {
            await foreach (var change in _carrier.Reader.ReadAllAsync(stopping))
            {
                var hypervisor = Running;
                if (hypervisor.Topology.Networks.FirstOrDefault(n => n.Name == change.Network) is not { } network
                    || network.Links.FirstOrDefault(l => l.A.Node == change.Host || l.B.Node == change.Host) is not { } link) continue;
                Task<ulong>? report = null;
                await _linkGate.WaitAsync(stopping);
                try
                {
                    if (Change(hypervisor, network, link, change.Up, LinkCause.Carrier))
                        report = _controller?.ReportLinkAsync(network.Name, link.A, link.B, change.Up, CancellationToken.None);
                    else continue;
                }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException or TimeoutException)
                {
                    _log.LogWarning("{Network}: the carrier of {Host} went {State}, but its link could not follow: {Reason}", change.Network, change.Host, change.Up ? "up" : "down", e.Message);
                    continue;
                }
                finally
                {
                    _linkGate.Release();
                }
                _log.LogInformation("{Network}: link {Link} {State} (carrier of {Host})", network.Name, Text(link), change.Up ? "up" : "down", change.Host);
                if (report is not null) _ = LogReportAsync(report, network.Name, link, change.Up);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Disposed: the node stops.
        }
    }

    private async Task LogReportAsync(Task<ulong> report, string network, LinkSpec link, bool up)
    {
        try
        {
            _log.LogInformation("{Network}: the controller routes with link {Link} {State} from version {Version}", network, Text(link), up ? "up" : "down", await report);
        }
        catch (RpcException e)
        {
            _log.LogWarning("{Network}: the controller was not told of link {Link} ({Reason}); it will be when the node subscribes again", network, Text(link), e.Status.Detail);
        }
    }

    public void Report(string value)
    {
        lock (_steps) _steps.Add(value);
        _log.LogInformation("{Step}", value);
    }

    /// <summary>Stops the workers and removes every namespace and link the hypervisor made.</summary>
    public void Dispose()
    {
        _ready = false;
        _stopping.Cancel();
        _carrier.Writer.TryComplete();
        _carrierLoop?.GetAwaiter().GetResult();
        Interlocked.Exchange(ref _hypervisor, null)?.Dispose();
    }
}
