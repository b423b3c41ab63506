using System.Diagnostics;
using System.Runtime.InteropServices;
using Softnet.Hypervisor.Linux;

namespace Softnet.Cli.Node;

/// <summary>The hypervisor's process as the other commands see it: how to start it detached, find it and stop it.</summary>
public static class NodeProcess
{
    /// <summary>
    /// Whether <paramref name="pid"/> is a running (not zombie) <c>softnet node run</c> of <paramref name="directory"/>;
    /// a pid reused by another program after a crash is not.
    /// </summary>
    public static bool IsNode(int pid, NodeDirectory directory)
    {
        if (!IsRunning(pid)) return false;
        string[] arguments;
        try
        {
            arguments = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
        }
        catch (IOException)
        {
            return false;
        }
        var run = Array.FindIndex(arguments, a => a == "run");
        return run > 0 && arguments[run - 1] == "node" && arguments.Contains(directory.Path);
    }

    /// <summary>Whether <paramref name="pid"/> exists and has not exited (a zombie has).</summary>
    public static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // "pid (comm) S ...": the state follows the last ')', since comm may contain one.
            var state = stat.AsSpan(stat.LastIndexOf(')') + 1).TrimStart();
            return state.Length > 0 && state[0] is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Waits until <paramref name="pid"/> has exited; false when it still runs after <paramref name="timeout"/>.</summary>
    public static async Task<bool> WaitForExitAsync(int pid, TimeSpan timeout, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        while (IsRunning(pid))
        {
            if (clock.Elapsed > timeout) return false;
            await Task.Delay(50, cancellation);
        }
        return true;
    }

    /// <summary>Refuses to go on without root.</summary>
    /// <param name="command">The command, as the message names it: <c>softnet up</c>.</param>
    /// <exception cref="NodeException">Not root (exit code 2); the message says what the command needs root for.</exception>
    public static void RequireRoot(string command)
    {
        try
        {
            Privileges.Require(command);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new NodeException(e.Message, NodeException.NeedsRoot, e);
        }
    }

    /// <summary>SIGKILL.</summary>
    public static void Kill(int pid)
    {
        if (kill(pid, SIGKILL) != 0 && Marshal.GetLastPInvokeError() != ESRCH)
            throw new NodeException($"Cannot kill the hypervisor (pid {pid}): errno {Marshal.GetLastPInvokeError()}.");
    }

    /// <summary>
    /// Starts <c>softnet node run --detach</c> with this process's own executable (and assembly, when it runs as
    /// <c>dotnet softnet.dll</c>). A shell sets its standard streams (input /dev/null, output and errors appended to
    /// the log) and execs it, so the pid is the hypervisor's and the console the runtime opens is the log.
    /// </summary>
    /// <param name="source">The topology file, or null with <paramref name="controller"/>: the controller's gRPC endpoint to follow.</param>
    public static Process Start(string? source, Uri? controller, NodeDirectory directory, int workers, long? ratedCapacity = null)
    {
        var executable = Environment.ProcessPath ?? throw new NodeException("Cannot tell which executable this is, to start the hypervisor with it.");
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, WorkingDirectory = directory.Path };
        start.Environment[LogVariable] = directory.LogPath;
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"exec \"$0\" \"$@\" </dev/null >>\"${LogVariable}\" 2>&1");
        start.ArgumentList.Add(executable);
        if (Path.GetFileNameWithoutExtension(executable) == "dotnet") start.ArgumentList.Add(typeof(NodeProcess).Assembly.Location);
        string[] what = source is not null ? [source] : ["--controller", controller!.ToString()];
        string[] rated = ratedCapacity is { } r ? ["--rated-capacity", r.ToString(System.Globalization.CultureInfo.InvariantCulture)] : [];
        foreach (var argument in (string[])["node", "run", .. what, "--state-dir", directory.Path, "--workers", workers.ToString(System.Globalization.CultureInfo.InvariantCulture), .. rated, "--detach"])
            start.ArgumentList.Add(argument);
        return Process.Start(start) ?? throw new NodeException("The hypervisor's process did not start.");
    }

    /// <summary>
    /// Makes this process the leader of a new session, so that it outlives the terminal and the command that started
    /// it, and closes the descriptors it inherited beyond 0-2 (whoever started <c>up</c> may wait for their end, as a
    /// shell pipeline does). The runtime's own descriptors are close-on-exec, inherited ones are not.
    /// </summary>
    public static void Detach()
    {
        if (setsid() < 0) throw new NodeException($"setsid failed: errno {Marshal.GetLastPInvokeError()}.");
        var inherited = Directory.GetFileSystemEntries("/proc/self/fd")
            .Select(entry => int.Parse(Path.GetFileName(entry), System.Globalization.CultureInfo.InvariantCulture))
            .Where(fd => fd > 2 && fcntl(fd, F_GETFD) is var flags && flags >= 0 && (flags & FD_CLOEXEC) == 0);
        foreach (var fd in inherited.ToList()) close(fd);
    }

    private const string LogVariable = "SOFTNET_NODE_LOG";
    private const int SIGKILL = 9, ESRCH = 3, F_GETFD = 1, FD_CLOEXEC = 1;

    // DllImport rather than LibraryImport: the CLI is not compiled with unsafe code.
    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    [DllImport("libc", SetLastError = true)]
    private static extern int setsid();

    [DllImport("libc", SetLastError = true)]
    private static extern int fcntl(int fd, int command);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);
}
