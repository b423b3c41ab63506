using System.Diagnostics;
using System.Globalization;

namespace Softnet.Cli.Bench.E2e;

/// <summary>An <c>iperf3 -s -1</c> in a host's namespace, listening once started: it serves one test and exits.</summary>
internal sealed class IperfServer : IDisposable
{
    private static readonly TimeSpan ListenTimeout = TimeSpan.FromSeconds(5);

    private readonly Process _process;

    private IperfServer(Process process) => _process = process;

    /// <exception cref="InvalidOperationException">It exited or did not listen within 5 s.</exception>
    public static IperfServer Start(string ns, int port, CancellationToken cancellation)
    {
        var process = NamespaceProcess.Start(ns, ["iperf3", "-s", "-1", "-p", port.ToString(CultureInfo.InvariantCulture)]);
        _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
        var server = new IperfServer(process);
        try
        {
            var clock = Stopwatch.StartNew();
            while (!IsListening(ns, port, cancellation))
            {
                if (process.HasExited)
                    throw new InvalidOperationException($"iperf3 -s in {ns} exited (code {process.ExitCode}): {error.Result.Trim()}");
                if (clock.Elapsed > ListenTimeout)
                    throw new InvalidOperationException($"iperf3 -s in {ns} did not listen on port {port} within {ListenTimeout.TotalSeconds:0} s.");
                if (cancellation.WaitHandle.WaitOne(20)) cancellation.ThrowIfCancellationRequested();
            }
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>Waits a little for the server to finish its one test, then kills it if it has not.</summary>
    public void Dispose()
    {
        using (_process)
        {
            if (!_process.WaitForExit(TimeSpan.FromSeconds(5))) _process.Kill(entireProcessTree: true);
        }
    }

    private static bool IsListening(string ns, int port, CancellationToken cancellation) =>
        NamespaceProcess.Run(ns, ["ss", "-Hltn", "sport", "=", $":{port}"], TimeSpan.FromSeconds(10), cancellation).Trim().Length > 0;
}
