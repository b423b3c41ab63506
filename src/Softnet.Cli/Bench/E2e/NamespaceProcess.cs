using System.ComponentModel;
using System.Diagnostics;

namespace Softnet.Cli.Bench.E2e;

/// <summary>
/// A program run inside a network namespace (<c>ip netns exec NS ...</c>, which execs the program, so the process is
/// the program itself). A cancelled or overrunning program is killed.
/// </summary>
internal static class NamespaceProcess
{
    /// <summary>Starts <paramref name="command"/> in <paramref name="ns"/> with its standard streams redirected.</summary>
    public static Process Start(string ns, IReadOnlyList<string> command)
    {
        var start = new ProcessStartInfo("ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "netns", "exec", ns }.Concat(command)) start.ArgumentList.Add(argument);
        try
        {
            return Process.Start(start) ?? throw new InvalidOperationException($"`{Describe(ns, command)}` did not start.");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"Could not run `{Describe(ns, command)}`: {e.Message}. Is iproute2 installed?", e);
        }
    }

    /// <summary>
    /// Runs <paramref name="command"/> in <paramref name="ns"/> to its end and returns its standard output. Throws
    /// <see cref="InvalidOperationException"/> with its error output when it exits non-zero or overruns
    /// <paramref name="timeout"/>, and <see cref="OperationCanceledException"/> when cancelled.
    /// </summary>
    public static async Task<string> RunAsync(string ns, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellation)
    {
        using var process = Start(ns, command);
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            cancellation.ThrowIfCancellationRequested();
            throw new InvalidOperationException($"`{Describe(ns, command)}` did not finish within {timeout.TotalSeconds:0} s and was killed.");
        }
        cancellation.ThrowIfCancellationRequested();
        if (process.ExitCode == 0) return await output;
        var detail = (await error).Trim();
        if (detail.Length == 0) detail = (await output).Trim();
        throw new InvalidOperationException($"`{Describe(ns, command)}` failed (exit code {process.ExitCode}): {detail}");
    }

    /// <summary><see cref="RunAsync"/>, waited for.</summary>
    public static string Run(string ns, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellation) =>
        RunAsync(ns, command, timeout, cancellation).GetAwaiter().GetResult();

    private static string Describe(string ns, IReadOnlyList<string> command) => $"ip netns exec {ns} {string.Join(' ', command)}";
}
