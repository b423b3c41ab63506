using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Softnet.Hypervisor.Runtime;
using Softnet.Hypervisor.Topology;
using SoftnetHypervisor = Softnet.Hypervisor.Runtime.Hypervisor;

namespace Softnet.Cli.Node;

/// <summary>
/// The node's hypervisor behind the control API: not ready while it starts (its progress steps are the status), ready
/// once <see cref="MarkReady"/> says the state file describes it.
/// </summary>
public sealed class HypervisorNode(string topologyFile) : INodeService, IProgress<string>, IDisposable
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
