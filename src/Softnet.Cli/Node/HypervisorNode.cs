using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Softnet.Control.Client;
using Softnet.Hypervisor.Runtime;
using Softnet.Hypervisor.Topology;
using SoftnetHypervisor = Softnet.Hypervisor.Runtime.Hypervisor;

namespace Softnet.Cli.Node;

/// <summary>
/// The node's hypervisor behind the control API: not ready while it starts (its progress steps are the status), ready
/// once <see cref="MarkReady"/> says the state file describes it, or, following a controller, once it runs the
/// controller's first state. Each state the controller sends is applied live; <c>state.json</c> (at
/// <paramref name="statePath"/>) names the namespaces to come before they are made, and what runs after.
/// </summary>
public sealed class HypervisorNode(string topologyFile, string statePath) : INodeService, IProgress<string>, IDisposable
{
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;
    private volatile SoftnetHypervisor? _hypervisor;
    private volatile bool _ready;
    private readonly List<string> _steps = [];
    private ILogger _log = NullLogger.Instance;

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
    }

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

    public void Report(string value)
    {
        lock (_steps) _steps.Add(value);
        _log.LogInformation("{Step}", value);
    }

    /// <summary>Stops the workers and removes every namespace and link the hypervisor made.</summary>
    public void Dispose()
    {
        _ready = false;
        Interlocked.Exchange(ref _hypervisor, null)?.Dispose();
    }
}
