using Softnet.Hypervisor.Linux;

namespace Softnet.Cli.Node;

/// <summary>
/// <c>softnet down</c>: stops the node's hypervisor (politely through its control API, else SIGKILL), then removes
/// what is left of the namespaces and root links its state file names, and the state file. It works after a crash or
/// a <c>kill -9</c>, and is harmless when nothing runs. Softnet objects of other hypervisors (another state directory,
/// a test) are left alone unless <c>all</c> asks for the <see cref="NodeCleanup.Sweep"/> of every one.
/// </summary>
public static class NodeDown
{
    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan KillTimeout = TimeSpan.FromSeconds(5);

    /// <param name="all">Also remove every <c>sn-*</c> namespace and <c>snv*</c> link on the machine, whoever made it.</param>
    /// <exception cref="NodeException">Not root (exit code 2), or the process could not be killed.</exception>
    public static async Task<DownResult> RunAsync(NodeDirectory directory, bool all, CancellationToken cancellation)
    {
        NodeProcess.RequireRoot("softnet down");
        NodeState? state;
        try
        {
            state = NodeState.Load(directory.StatePath);
        }
        catch (NodeException)
        {
            state = null; // unreadable: removed below like the rest
        }
        var mine = state?.KernelNamespaces.ToList() ?? [];
        var before = all ? KernelObjects.All() : KernelObjects.Of(mine);

        int? pid = null;
        var stop = StopOutcome.NotRunning;
        using (var client = new NodeClient(directory.SocketPath))
        {
            if (await client.TryStatusAsync(cancellation) is { } status)
            {
                pid = status.Pid;
                stop = await StopAsync(client, status.Pid, cancellation);
            }
            else if (state is not null)
            {
                pid = state.Pid;
                if (NodeProcess.IsNode(state.Pid, directory))
                {
                    NodeProcess.Kill(state.Pid);
                    await NodeProcess.WaitForExitAsync(state.Pid, KillTimeout, cancellation);
                    stop = StopOutcome.KilledUnresponsive;
                }
                else stop = StopOutcome.AlreadyGone;
            }
        }

        KernelObjects.Of(mine).Remove();
        var swept = all ? NodeCleanup.Sweep() : 0;
        var removed = before.Without(all ? KernelObjects.All() : KernelObjects.Of(mine));
        var stateRemoved = File.Exists(directory.StatePath);
        if (Directory.Exists(directory.Path))
        {
            File.Delete(directory.StatePath);
            File.Delete(directory.SocketPath);
        }
        return new DownResult(pid, stop, removed, swept, stateRemoved, KernelObjects.All());
    }

    private static async Task<StopOutcome> StopAsync(NodeClient client, int pid, CancellationToken cancellation)
    {
        try
        {
            await client.ShutdownAsync(cancellation);
            if (await NodeProcess.WaitForExitAsync(pid, StopTimeout, cancellation)) return StopOutcome.Stopped;
        }
        catch (NodeException)
        {
            // It stopped answering between the two requests: it is killed below like one that never answered.
        }
        if (!NodeProcess.IsRunning(pid)) return StopOutcome.Stopped;
        NodeProcess.Kill(pid);
        await NodeProcess.WaitForExitAsync(pid, KillTimeout, cancellation);
        return StopOutcome.KilledSlow;
    }
}

/// <summary>How <c>down</c> found and stopped the hypervisor.</summary>
public enum StopOutcome
{
    /// <summary>No hypervisor answered and no state file named one.</summary>
    NotRunning,

    /// <summary>It answered, stopped and removed its own namespaces and links.</summary>
    Stopped,

    /// <summary>It did not answer on its socket; its process was killed.</summary>
    KilledUnresponsive,

    /// <summary>It answered but did not stop within <see cref="NodeDown.StopTimeout"/>; its process was killed.</summary>
    KilledSlow,

    /// <summary>The state file named a process that had already exited (a crash or <c>kill -9</c>).</summary>
    AlreadyGone,
}

/// <summary>
/// What <c>down</c> did: the hypervisor's pid (when there was one) and how it stopped; the namespaces and links that
/// are gone since <c>down</c> began (removed by the hypervisor, by <c>down</c>, or by the sweep of <c>--all</c>, which
/// removed <see cref="Swept"/>); whether a state file was removed; and the Softnet objects still in the kernel, which
/// belong to someone else.
/// </summary>
public sealed record DownResult(int? Pid, StopOutcome Stop, KernelObjects Removed, int Swept, bool StateRemoved, KernelObjects Remaining)
{
    public bool NothingToCleanUp => Stop == StopOutcome.NotRunning && Removed.IsEmpty && Swept == 0 && !StateRemoved;
}
