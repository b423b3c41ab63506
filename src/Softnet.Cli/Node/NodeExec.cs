using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Softnet.Cli.Node;

/// <summary><c>softnet exec h1 -- ping -c 3 10.0.2.10</c>: runs a command in a host's network namespace.</summary>
public static class NodeExec
{
    /// <summary>The namespace of <paramref name="host"/> (<c>h1</c>, or <c>lab/h1</c> when several networks have an h1).</summary>
    /// <exception cref="NodeException">No hypervisor runs, no such host, the name is ambiguous, or the host is in memory.</exception>
    public static string Namespace(NodeDirectory directory, string host)
    {
        var state = NodeState.Load(directory.StatePath)
            ?? throw new NodeException($"No hypervisor is running (there is no {directory.StatePath}); start one with `softnet up FILE`.");
        if (!NodeProcess.IsNode(state.Pid, directory))
            throw new NodeException($"The hypervisor (pid {state.Pid}) is no longer running; `softnet down` cleans up after it, then `softnet up {state.TopologyFile}`.");
        var (network, found) = state.ResolveHost(host);
        return found.Namespace
            ?? throw new NodeException($"Host {network}/{found.Name} runs in memory inside the hypervisor (phy: memory); it has no namespace to run a command in.");
    }

    /// <summary>Runs <c>ip netns exec NS</c> <paramref name="command"/> with this process's standard streams; returns its exit code.</summary>
    /// <exception cref="NodeException">Not root (exit code 2), or as <see cref="Namespace"/>.</exception>
    public static int Run(NodeDirectory directory, string host, IReadOnlyList<string> command)
    {
        NodeProcess.RequireRoot("softnet exec");
        if (command.Count == 0) throw new NodeException("Give the command to run after --, as in: softnet exec h1 -- ping -c 3 10.0.2.10");
        var start = new ProcessStartInfo("ip") { UseShellExecute = false };
        foreach (var argument in new[] { "netns", "exec", Namespace(directory, host) }.Concat(command)) start.ArgumentList.Add(argument);
        // Ctrl-C reaches the command too (same process group); it decides when to stop, and its exit code is ours.
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal => signal.Cancel = true);
        using var process = Process.Start(start) ?? throw new NodeException("ip did not start.");
        process.WaitForExit();
        return process.ExitCode;
    }
}
