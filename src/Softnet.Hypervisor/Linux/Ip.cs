using System.ComponentModel;
using System.Diagnostics;

namespace Softnet.Hypervisor.Linux;

/// <summary>Runs iproute2's <c>ip</c> (and, through <c>ip netns exec</c>, any program inside a namespace).</summary>
public static class Ip
{
    /// <summary>How long one command may take before it is killed.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Runs <c>ip</c> with <paramref name="arguments"/> and returns its standard output. Throws
    /// <see cref="InvalidOperationException"/> naming the command and its error output when it exits non-zero or
    /// overruns <see cref="Timeout"/>.
    /// </summary>
    public static string Run(params string[] arguments)
    {
        var command = "ip " + string.Join(' ', arguments);
        var start = new ProcessStartInfo("ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"Could not run `{command}`: {e.Message}. Is iproute2 installed?", e);
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"`{command}` did not finish within {Timeout.TotalSeconds:0} s and was killed.");
            }
            process.WaitForExit();
            if (process.ExitCode == 0) return output.Result;
            var detail = error.Result.Trim();
            if (detail.Length == 0) detail = output.Result.Trim();
            throw new InvalidOperationException($"`{command}` failed (exit code {process.ExitCode}): {detail}");
        }
    }
}
