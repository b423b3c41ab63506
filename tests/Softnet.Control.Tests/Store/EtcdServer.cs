using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Softnet.Control.Tests.Store;

/// <summary>
/// A real single-member etcd on free loopback ports with a temporary data directory; dispose kills it and deletes the
/// directory. A missing /usr/bin/etcd is installed with scripts/install-deps.sh, or the start fails saying so.
/// </summary>
internal sealed class EtcdServer : IDisposable
{
    private const string Binary = "/usr/bin/etcd";
    private const int LogLines = 40;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly Lock InstallLock = new();

    private readonly DirectoryInfo _dataDirectory = Directory.CreateTempSubdirectory("softnet-etcd-");
    private readonly int _clientPort = FreePort();
    private readonly int _peerPort = FreePort();
    private readonly Queue<string> _log = new();
    private Process? _process;

    private EtcdServer()
    {
    }

    public string Endpoint => $"http://127.0.0.1:{_clientPort}";

    public static async Task<EtcdServer> StartAsync()
    {
        EnsureInstalled();
        var server = new EtcdServer();
        try
        {
            await server.LaunchAsync();
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>Kills etcd (SIGKILL, like a crash) and starts it again on the same ports and data directory.</summary>
    public async Task RestartAsync()
    {
        Stop();
        await LaunchAsync();
    }

    public void Dispose()
    {
        Stop();
        _dataDirectory.Delete(recursive: true);
    }

    private async Task LaunchAsync()
    {
        var client = Endpoint;
        var peer = $"http://127.0.0.1:{_peerPort}";
        var start = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList =
            {
                "--name", "softnet-test",
                "--data-dir", _dataDirectory.FullName,
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--initial-cluster", $"softnet-test={peer}", "--initial-cluster-state", "new",
                "--logger", "zap", "--log-outputs", "stderr", "--log-level", "warn",
            },
        };
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Log(e.Data);
        process.ErrorDataReceived += (_, e) => Log(e.Data);
        process.Start();
        _process = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"etcd exited with code {process.ExitCode} while starting:\n{RecentLog()}");
            }
            try
            {
                if ((await http.GetStringAsync($"{client}/health")).Contains("\"health\":\"true\"", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"etcd at {client} was not healthy within {StartTimeout.TotalSeconds} s:\n{RecentLog()}");
    }

    private void Stop()
    {
        if (_process is not { } process)
        {
            return;
        }
        _process = null;
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
        process.WaitForExit();
        process.Dispose();
    }

    private void Log(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_log)
        {
            _log.Enqueue(line);
            if (_log.Count > LogLines)
            {
                _log.Dequeue();
            }
        }
    }

    private string RecentLog()
    {
        lock (_log)
        {
            return string.Join('\n', _log);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void EnsureInstalled()
    {
        lock (InstallLock)
        {
            if (File.Exists(Binary))
            {
                return;
            }
            var script = FindInstallScript()
                ?? throw new InvalidOperationException($"{Binary} is missing and scripts/install-deps.sh was not found above {AppContext.BaseDirectory}; install the Debian package etcd-server");
            using var install = Process.Start(new ProcessStartInfo("bash", [script]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var output = install.StandardOutput.ReadToEndAsync();
            var errors = install.StandardError.ReadToEndAsync();
            if (!install.WaitForExit(TimeSpan.FromMinutes(10)))
            {
                install.Kill(entireProcessTree: true);
            }
            install.WaitForExit();
            if (install.ExitCode != 0 || !File.Exists(Binary))
            {
                throw new InvalidOperationException(
                    $"{Binary} is missing and {script} did not install it (exit code {install.ExitCode}):\n{output.Result}{errors.Result}");
            }
        }
    }

    private static string? FindInstallScript()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var script = Path.Combine(directory.FullName, "scripts", "install-deps.sh");
            if (File.Exists(script))
            {
                return script;
            }
        }
        return null;
    }
}
