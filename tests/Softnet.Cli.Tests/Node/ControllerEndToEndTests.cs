using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Softnet.Cli.Node;
using Softnet.Hypervisor.Runtime;

namespace Softnet.Cli.Tests.Node;

/// <summary>
/// The SDN path for real, as root: a <c>softnet controller</c> process, <c>softnet apply</c> of a file without a single
/// route, a node (<c>softnet up --controller</c>) with real namespaces running it with the routes the controller
/// computed, <c>trace</c>, a live <c>apply</c> that adds a host, and <c>down</c>. Its own network name, ports and
/// directories; the controller, the node and the namespaces are removed even when it fails.
/// </summary>
public sealed class ControllerEndToEndTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("softnet-sdn-").FullName;
    private readonly string _network = "c" + Guid.NewGuid().ToString("N")[..8];
    private readonly int _restPort = FreePort();
    private readonly int _grpcPort = FreePort();
    private Process? _controller;

    private string StateDir => Path.Combine(_root, "node");

    private string Rest => $"http://127.0.0.1:{_restPort}";

    private string[] Hosts => ["h1", "h2", "h3"];

    public void Dispose()
    {
        try
        {
            SoftnetRun.RunAsync("dotnet", [SoftnetRun.Dll, "down", "--state-dir", StateDir]).GetAwaiter().GetResult();
        }
        finally
        {
            if (NodeState.Load(Path.Combine(StateDir, "state.json")) is { } state && NodeProcess.IsNode(state.Pid, new NodeDirectory(StateDir))) NodeProcess.Kill(state.Pid);
            KernelObjects.Of([.. Hosts.Select(h => HostNames.Namespace(_network, h))]).Remove();
            if (_controller is { HasExited: false }) _controller.Kill(entireProcessTree: true);
            _controller?.Dispose();
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task A_node_following_the_controller_runs_an_applied_file_with_computed_routes_and_changes_live()
    {
        _controller = Process.Start(new ProcessStartInfo("dotnet")
        {
            ArgumentList = { SoftnetRun.Dll, "controller", "--listen", $"127.0.0.1:{_restPort}", "--grpc", $"127.0.0.1:{_grpcPort}", "--state-dir", Path.Combine(_root, "controller") },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        // Its log is read as it comes, so that it never blocks on a full pipe.
        _controller.OutputDataReceived += (_, _) => { };
        _controller.ErrorDataReceived += (_, _) => { };
        _controller.BeginOutputReadLine();
        _controller.BeginErrorReadLine();
        await WaitForControllerAsync();

        var file = Path.Combine(_root, "wan.yaml");
        await File.WriteAllTextAsync(file, Wan(withH3: false));
        var dry = await Softnet("apply", file, "--dry-run", "--controller", Rest);
        Assert.True(dry.Exit == 0, dry.Describe());
        Assert.Contains($"+ network {_network}", dry.Text);
        var applied = await Softnet("apply", file, "--controller", Rest);
        Assert.True(applied.Exit == 0, applied.Describe());

        var up = await Softnet("up", "--controller", $"http://127.0.0.1:{_grpcPort}", "--state-dir", StateDir);
        Assert.True(up.Exit == 0, up.Describe());
        Assert.Contains("10.7.2.1 reached", up.Text);

        // Two routers and no route in the file: only the controller's plan carries h1's ping to h2.
        var ping = await Softnet("exec", "h1", "--state-dir", StateDir, "--", "ping", "-c", "2", "-i", "0.2", "-W", "2", "10.7.2.10");
        Assert.True(ping.Exit == 0, ping.Describe());
        Assert.Contains("ttl=62", ping.Text);

        var trace = await Softnet("trace", "h1", "10.7.2.10", "--proto", "icmp", "--controller", Rest);
        Assert.True(trace.Exit == 0, trace.Describe());
        Assert.Contains("r1", trace.Text);
        Assert.Contains("r2", trace.Text);
        Assert.Contains("10.7.2.0/24", trace.Text);

        // A host added to the running network: the network is rebuilt, h1 and h2 keep their namespaces.
        await File.WriteAllTextAsync(file, Wan(withH3: true));
        var change = await Softnet("apply", file, "--controller", Rest);
        Assert.True(change.Exit == 0, change.Describe());
        Assert.Contains("h3", change.Text);
        var clock = Stopwatch.StartNew();
        SoftnetRun.Result reached;
        do reached = await Softnet("exec", "h3", "--state-dir", StateDir, "--", "ping", "-c", "1", "-W", "1", "10.7.1.10");
        while (reached.Exit != 0 && clock.Elapsed < TimeSpan.FromSeconds(20));
        Assert.True(reached.Exit == 0, reached.Describe());

        var down = await Softnet("down", "--state-dir", StateDir);
        Assert.True(down.Exit == 0, down.Describe());
        Assert.True(KernelObjects.Of([.. Hosts.Select(h => HostNames.Namespace(_network, h))]).IsEmpty);
    }

    private string Wan(bool withH3) => $"""
        networks:
          - name: {_network}
            architecture: ipv4
            tokens: 10
            devices:
              - name: r1
                kind: router
                interfaces:
                  - name: eth0
                    addresses: ["10.7.1.1/24"]
                  - name: eth1
                    addresses: ["192.168.7.1/30"]
              - name: r2
                kind: router
                interfaces:
                  - name: eth0
                    addresses: ["192.168.7.2/30"]
                  - name: eth1
                    addresses: ["10.7.2.1/24"]
                  - name: eth2
                    addresses: ["10.7.3.1/24"]
            hosts:
              - name: h1
                address: 10.7.1.10/24
                gateway: 10.7.1.1
              - name: h2
                address: 10.7.2.10/24
                gateway: 10.7.2.1
        {(withH3 ? """
              - name: h3
                address: 10.7.3.10/24
                gateway: 10.7.3.1
        """ : "")}
            links:
              - endpoints: ["h1:eth0", "r1:eth0"]
              - endpoints: ["r1:eth1", "r2:eth0"]
              - endpoints: ["r2:eth1", "h2:eth0"]
        {(withH3 ? """
              - endpoints: ["r2:eth2", "h3:eth0"]
        """ : "")}
        """;

    private async Task WaitForControllerAsync()
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var users = await Softnet("user", "list", "--controller", Rest);
            if (users.Exit == 0) return;
            if (_controller!.HasExited) throw new InvalidOperationException($"softnet controller exited with {_controller.ExitCode}.");
            if (clock.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException("softnet controller did not answer within 60 s.");
            await Task.Delay(200);
        }
    }

    private static Task<SoftnetRun.Result> Softnet(params string[] args) => SoftnetRun.RunAsync("dotnet", [SoftnetRun.Dll, .. args]);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
