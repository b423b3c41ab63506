using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Softnet.Cli.Node;
using Softnet.DataPlane.Pcap;
using Softnet.Hypervisor.Linux;
using Softnet.Hypervisor.Runtime;

namespace Softnet.Cli.Tests.Node;

/// <summary>
/// The real thing, as root: <c>softnet</c> run as a separate process brings up h1 — r1 — h2 with real namespaces, runs
/// ping inside h1, inspects, captures, and takes it down, also after <c>kill -9</c>. Each test has its own state
/// directory and network name, and removes its hypervisor process, namespaces and links even when it fails.
/// </summary>
public sealed class EndToEndTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("softnet-e2e-").FullName;
    private readonly string _network = "e" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _file;

    /// <summary>How many "capturing on" lines the <c>softnet</c> processes of this test have printed.</summary>
    private int _capturing;

    public EndToEndTests()
    {
        _file = Path.Combine(_root, "lab.yaml");
        File.WriteAllText(_file, File.ReadAllText(NodeLifecycleTests.ExampleFile).Replace("name: lab", $"name: {_network}"));
    }

    private string StateDir => Path.Combine(_root, "state");

    private string H1 => HostNames.Namespace(_network, "h1");

    public void Dispose()
    {
        try
        {
            Softnet("down", "--state-dir", StateDir).GetAwaiter().GetResult();
        }
        finally
        {
            if (NodeState.Load(Path.Combine(StateDir, "state.json")) is { } state && NodeProcess.IsNode(state.Pid, new NodeDirectory(StateDir))) NodeProcess.Kill(state.Pid);
            var left = KernelObjects.Of([H1, HostNames.Namespace(_network, "h2")]);
            left.Remove();
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task Up_exec_ping_inspect_capture_and_down_run_a_real_network()
    {
        var up = await Softnet("up", _file, "--state-dir", StateDir);
        Assert.True(up.Exit == 0, up.Describe());
        Assert.Matches($@"{H1}\s*│\s*10\.0\.1\.10/24\s*│\s*10\.0\.1\.1 reached", up.Text);
        Assert.Contains("10.0.2.1 reached", up.Text);
        var pid = NodeState.Load(Path.Combine(StateDir, "state.json"))!.Pid;

        var again = await Softnet("up", _file, "--state-dir", StateDir);
        Assert.Equal(1, again.Exit);
        Assert.Contains($"A hypervisor is already running (pid {pid}", again.Errors);

        var ping = await Softnet("exec", "h1", "--state-dir", StateDir, "--", "ping", "-c", "3", "-i", "0.2", "-W", "2", "10.0.2.10");
        Assert.True(ping.Exit == 0, ping.Describe());
        Assert.Contains("3 packets transmitted, 3 received, 0% packet loss", ping.Text);
        Assert.Contains("ttl=63", ping.Text);

        var failing = await Softnet("exec", "h1", "--state-dir", StateDir, "--", "sh", "-c", "exit 7");
        Assert.Equal(7, failing.Exit);

        var json = await Softnet("inspect", "--format", "json", "--state-dir", StateDir);
        Assert.True(json.Exit == 0, json.Describe());
        var snapshot = JsonSerializer.Deserialize<HypervisorSnapshot>(json.Text, NodeJson.Options)!;
        var network = Assert.Single(snapshot.Networks);
        Assert.Equal(_network, network.Name);
        var r1 = Assert.Single(network.Domains);
        Assert.Equal(("r1", "router"), (r1.Name, r1.Kind));
        Assert.Equal(["eth0", "eth1"], r1.Ports.Select(p => p.Name));
        Assert.All(r1.Ports, p => Assert.True(p.RxPackets >= 3 && p.TxPackets >= 3, $"{p.Name}: rx {p.RxPackets}, tx {p.TxPackets}"));
        Assert.Equal([H1, HostNames.Namespace(_network, "h2")], network.Hosts.Select(h => h.Namespace));
        Assert.True(r1.Elements.Single(e => e.Name == "ip4-rewrite").Received >= 6);

        var table = await Softnet("inspect", "--state-dir", StateDir);
        Assert.True(table.Exit == 0, table.Describe());
        Assert.Contains("r1-eth0", table.Text);
        Assert.Contains("granted share", table.Text);
        Assert.Contains(H1, table.Text);

        var pcapFile = Path.Combine(_root, "r1-eth0.pcap");
        var capture = Softnet("capture", "r1:eth0", "-c", "2", "-w", pcapFile, "--state-dir", StateDir);
        var toStdout = Softnet("capture", "r1:eth1", "-c", "2", "--state-dir", StateDir);
        await WaitForCapturesAsync(2);
        var pinged = await Softnet("exec", "h1", "--state-dir", StateDir, "--", "ping", "-c", "1", "-W", "2", "10.0.2.10");
        Assert.True(pinged.Exit == 0, pinged.Describe());
        var file = await capture;
        var stdout = await toStdout;
        Assert.True(file.Exit == 0, file.Describe());
        Assert.True(stdout.Exit == 0, stdout.Describe());
        Assert.Contains("2 frame(s) captured", file.Errors);
        AssertEcho(PcapReader.Read(File.OpenRead(pcapFile)).ToList());
        AssertEcho(PcapReader.Read(new MemoryStream(stdout.Output)).ToList());

        var down = await Softnet("down", "--state-dir", StateDir);
        Assert.True(down.Exit == 0, down.Describe());
        Assert.Contains($"stopped the hypervisor (pid {pid})", down.Text);
        Assert.Contains($"removed namespace {H1}", down.Text);
        Assert.False(NodeProcess.IsRunning(pid));
        Assert.True(KernelObjects.Of([H1, HostNames.Namespace(_network, "h2")]).IsEmpty);
        Assert.False(File.Exists(Path.Combine(StateDir, "state.json")));

        var nothing = await Softnet("down", "--state-dir", StateDir);
        Assert.Contains("nothing to clean up", nothing.Text);
    }

    [Fact]
    public async Task Down_after_kill_9_removes_every_namespace_and_link()
    {
        var up = await Softnet("up", _file, "--state-dir", StateDir);
        Assert.True(up.Exit == 0, up.Describe());
        var pid = NodeState.Load(Path.Combine(StateDir, "state.json"))!.Pid;
        var made = KernelObjects.Of([H1, HostNames.Namespace(_network, "h2")]);
        Assert.Equal(2, made.Namespaces.Count);

        Process.GetProcessById(pid).Kill();
        await NodeProcess.WaitForExitAsync(pid, TimeSpan.FromSeconds(10), CancellationToken.None);
        var down = await Softnet("down", "--state-dir", StateDir);

        Assert.True(down.Exit == 0, down.Describe());
        Assert.Contains($"the hypervisor (pid {pid}) had already exited", down.Text);
        foreach (var ns in made.Namespaces) Assert.Contains($"removed namespace {ns}", down.Text);
        foreach (var link in made.Links) Assert.Contains($"removed link {link}", down.Text);
        Assert.True(KernelObjects.Of(made.Namespaces).IsEmpty);
        Assert.False(File.Exists(Path.Combine(StateDir, "state.json")));
    }

    [Fact]
    public async Task Up_without_root_says_what_it_needs_and_exits_2()
    {
        var up = await Run("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "dotnet", SoftnetRun.Dll, "up", _file, "--state-dir", StateDir]);

        Assert.Equal(2, up.Exit);
        Assert.Equal("softnet: softnet up needs root (CAP_NET_ADMIN) to create and remove network namespaces, TAP devices and veth links; run it with sudo.\n", up.Errors);
        Assert.False(Directory.Exists(StateDir));
    }

    /// <summary>Two frames of one ping: the request from h1 to h2 and its reply.</summary>
    private static void AssertEcho(List<PcapRecord> frames)
    {
        Assert.Equal(2, frames.Count);
        var (request, reply) = (frames[0].Data, frames[1].Data);
        Assert.Equal([0x08, 0x00], request[12..14]);
        Assert.Equal([10, 0, 1, 10, 10, 0, 2, 10], request[26..34]);
        Assert.Equal(8, request[34]);
        Assert.Equal([10, 0, 2, 10, 10, 0, 1, 10], reply[26..34]);
        Assert.Equal(0, reply[34]);
    }

    /// <summary>Waits until <paramref name="count"/> captures are attached: each prints "capturing on" once the hypervisor has accepted it.</summary>
    private async Task WaitForCapturesAsync(int count)
    {
        var clock = Stopwatch.StartNew();
        while (Volatile.Read(ref _capturing) < count)
        {
            if (clock.Elapsed > SoftnetRun.CommandTimeout) throw new TimeoutException("The captures did not start.");
            await Task.Delay(50);
        }
    }

    private Task<SoftnetRun.Result> Softnet(params string[] args) => SoftnetRun.RunAsync("dotnet", [SoftnetRun.Dll, .. args], OnError);

    private Task<SoftnetRun.Result> Run(string program, string[] args) => SoftnetRun.RunAsync(program, args, OnError);

    private void OnError(string line)
    {
        if (line.StartsWith("capturing on", StringComparison.Ordinal)) Interlocked.Increment(ref _capturing);
    }
}
