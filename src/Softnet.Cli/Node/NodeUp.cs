using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Softnet.Hypervisor.Topology;

namespace Softnet.Cli.Node;

/// <summary>
/// <c>softnet up FILE</c> (or <c>up --controller URL</c>): starts the node's hypervisor as a detached
/// <c>softnet node run</c>, waits until it is ready (following a controller: until it runs the controller's first
/// state), then checks that every host reaches its IPv4 gateway.
/// </summary>
public static class NodeUp
{
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private const int LogTailLines = 20, PingAttempts = 3;

    /// <param name="progress">Each step, as the hypervisor reports it while it starts.</param>
    /// <exception cref="NodeException">Not root (exit code 2); the file is invalid; a hypervisor already runs; it failed to start (the message ends with its log's tail).</exception>
    /// <param name="ratedCapacity">The node's rated capacity (byte-equivalents a second), or null (<see cref="HypervisorOptions.RatedCapacity"/>).</param>
    public static async Task<UpResult> RunAsync(string? file, Uri? controller, NodeDirectory directory, int workers, IProgress<string> progress, CancellationToken cancellation,
        long? ratedCapacity = null)
    {
        NodeProcess.RequireRoot("softnet up");
        if (workers < 1) throw new NodeException($"--workers must be at least 1, found {workers}.");
        if ((file is null) == (controller is null)) throw new NodeException("Give either a topology FILE or --controller URL (the controller's gRPC endpoint), not both or neither.");
        string? path = null;
        if (file is not null)
        {
            path = Path.GetFullPath(file);
            try
            {
                TopologyLoader.Load(path);
            }
            catch (Exception e) when (e is TopologyException or IOException or UnauthorizedAccessException)
            {
                throw new NodeException(e.Message, inner: e);
            }
        }
        Directory.CreateDirectory(directory.Path);
        await MakeRoomAsync(directory, progress, cancellation);

        using var process = NodeProcess.Start(path, controller, directory, workers, ratedCapacity);
        progress.Report($"hypervisor process {process.Id} started; log in {directory.LogPath}");
        using var client = new NodeClient(directory.SocketPath);
        var clock = Stopwatch.StartNew();
        var reported = 0;
        while (true)
        {
            var status = await client.TryStatusAsync(cancellation);
            for (; status is not null && reported < status.Steps.Count; reported++) progress.Report(status.Steps[reported]);
            if (status is { Ready: true }) break;
            if (process.HasExited) throw await FailedAsync(directory, $"The hypervisor exited with code {process.ExitCode} before it was ready.", killed: false, cancellation);
            if (clock.Elapsed > ReadyTimeout)
            {
                NodeProcess.Kill(process.Id);
                await process.WaitForExitAsync(cancellation);
                throw await FailedAsync(directory, $"The hypervisor was not ready within {ReadyTimeout.TotalSeconds:0} s; it was killed.", killed: true, cancellation);
            }
            await Task.Delay(100, cancellation);
        }
        var state = NodeState.Load(directory.StatePath) ?? throw new NodeException($"The hypervisor reported ready but wrote no {directory.StatePath}.");
        progress.Report("checking that every host reaches its gateway");
        var checks = await Task.WhenAll(state.Networks.SelectMany(n => n.Hosts.Select(h => (n.Name, h)))
            .Where(x => x.h.Namespace is not null)
            .SelectMany(x => x.h.Gateways.Where(IsIpv4).Select(g => CheckAsync(x.Name, x.h, g, cancellation))));
        return new UpResult(state, checks);
    }

    /// <summary>Refuses when a hypervisor of this directory runs or starts; cleans up after one that died.</summary>
    private static async Task MakeRoomAsync(NodeDirectory directory, IProgress<string> progress, CancellationToken cancellation)
    {
        NodeState? state;
        try
        {
            state = NodeState.Load(directory.StatePath);
        }
        catch (NodeException)
        {
            state = null; // unreadable: a leftover like any other, removed below
        }
        using (var client = new NodeClient(directory.SocketPath))
        {
            if (await client.TryStatusAsync(cancellation) is { } status)
                throw new NodeException($"A hypervisor is already {(status.Ready ? "running" : "starting")} (pid {status.Pid}, {status.TopologyFile}, since {status.Started.ToLocalTime():yyyy-MM-dd HH:mm:ss}); stop it with `softnet down` first.");
        }
        if (state is not null && NodeProcess.IsNode(state.Pid, directory))
            throw new NodeException($"A hypervisor is already running (pid {state.Pid}, {state.TopologyFile}) but does not answer on {directory.SocketPath}; stop it with `softnet down` first.");
        if (File.Exists(directory.StatePath))
        {
            var down = await NodeDown.RunAsync(directory, all: false, cancellation);
            progress.Report($"cleaned up after a hypervisor that is gone: {down.Removed.Namespaces.Count} namespace(s), {down.Removed.Links.Count} link(s)");
        }
    }

    /// <summary>
    /// The error for a start that failed, ending with the log's tail. A hypervisor that gave up has undone its own
    /// work; one that was <paramref name="killed"/> has not, and what it made is removed here.
    /// </summary>
    private static async Task<NodeException> FailedAsync(NodeDirectory directory, string reason, bool killed, CancellationToken cancellation)
    {
        var tail = File.Exists(directory.LogPath) ? (await File.ReadAllLinesAsync(directory.LogPath, cancellation)).TakeLast(LogTailLines) : [];
        var cleaned = "";
        if (killed && await NodeDown.RunAsync(directory, all: false, cancellation) is { Removed.IsEmpty: false } down)
            cleaned = $" Removed what it had made: {string.Join(", ", down.Removed.Namespaces.Concat(down.Removed.Links))}.";
        return new NodeException($"{reason}{cleaned}{Environment.NewLine}Last lines of {directory.LogPath}:{Environment.NewLine}{string.Join(Environment.NewLine, tail)}");
    }

    private static bool IsIpv4(string address) => IPAddress.TryParse(address, out var ip) && ip.AddressFamily == AddressFamily.InterNetwork;

    /// <summary>One <c>ping -c 1 -W 1</c> from the host's namespace, tried up to <see cref="PingAttempts"/> times (the first may wait for ARP).</summary>
    private static async Task<GatewayCheck> CheckAsync(string network, HostState host, string gateway, CancellationToken cancellation)
    {
        for (var attempt = 1; ; attempt++)
        {
            var ping = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in new[] { "netns", "exec", host.Namespace!, "ping", "-c", "1", "-W", "1", gateway }) ping.ArgumentList.Add(argument);
            using var process = Process.Start(ping)!;
            var output = process.StandardOutput.ReadToEndAsync(cancellation);
            var errors = process.StandardError.ReadToEndAsync(cancellation);
            await process.WaitForExitAsync(cancellation);
            var reached = process.ExitCode == 0;
            if (reached || attempt == PingAttempts)
                return new GatewayCheck(network, host.Name, host.Namespace!, gateway, reached, reached ? "" : ((await output) + (await errors)).Trim());
        }
    }
}

/// <summary>What <c>up</c> started: the state of the running hypervisor and whether each host reached its gateway.</summary>
public sealed record UpResult(NodeState State, IReadOnlyList<GatewayCheck> Checks)
{
    public bool AllReached => Checks.All(c => c.Reached);
}

/// <summary>One host's ping to one of its gateways; <see cref="Output"/> is ping's output when it failed.</summary>
public sealed record GatewayCheck(string Network, string Host, string Namespace, string Gateway, bool Reached, string Output);
