using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Softnet.Cli.Node;
using Softnet.Hypervisor.Linux;

namespace Softnet.Cli.Tests.Node;

/// <summary>
/// up, down and exec up to the point where the hypervisor would start: refusals, and the clean-up after a hypervisor
/// that died. Runs as root (down removes real namespaces, made here with unique names and removed in any case).
/// </summary>
public sealed class NodeLifecycleTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("softnet-node-").FullName;
    private readonly string _network = "t" + Guid.NewGuid().ToString("N")[..8];
    private readonly List<string> _namespaces = [];
    private readonly List<string> _links = [];

    private NodeDirectory StateDirectory => new(Path.Combine(_root, "state"));

    public void Dispose()
    {
        foreach (var link in _links.Where(l => Path.Exists($"/sys/class/net/{l}"))) Ip.Run("link", "del", link);
        foreach (var ns in _namespaces.Where(n => File.Exists($"/run/netns/{n}"))) Ip.Run("netns", "del", ns);
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task Up_with_an_invalid_file_prints_its_positions_and_starts_nothing()
    {
        var file = Path.Combine(_root, "bad.yaml");
        File.WriteAllText(file, "networks:\n  - name: lab\n    architecture: ipv5\n    tokens: 1\n");

        var error = await Assert.ThrowsAsync<NodeException>(() => NodeUp.RunAsync(file, null, StateDirectory, 1, new Progress<string>(), CancellationToken.None));

        Assert.Equal(1, error.ExitCode);
        Assert.StartsWith($"{file}:3:19: unknown architecture 'ipv5'", error.Message);
        Assert.False(Directory.Exists(StateDirectory.Path));
    }

    [Fact]
    public async Task Up_refuses_when_a_hypervisor_answers_in_its_state_directory()
    {
        var file = Path.Combine(_root, "lab.yaml");
        File.Copy(ExampleFile, file);
        Directory.CreateDirectory(StateDirectory.Path);
        await using var running = ControlApi.Build(StateDirectory.SocketPath, new FakeNode(), logging => { });
        await running.StartAsync();

        var error = await Assert.ThrowsAsync<NodeException>(() => NodeUp.RunAsync(file, null, StateDirectory, 1, new Progress<string>(), CancellationToken.None));

        Assert.StartsWith($"A hypervisor is already running (pid {FakeNode.Pid}, /etc/softnet/lab.yaml, since ", error.Message);
        Assert.EndsWith("stop it with `softnet down` first.", error.Message);
    }

    [Fact]
    public async Task Up_refuses_zero_workers()
    {
        var error = await Assert.ThrowsAsync<NodeException>(() => NodeUp.RunAsync(ExampleFile, null, StateDirectory, 0, new Progress<string>(), CancellationToken.None));

        Assert.Equal("--workers must be at least 1, found 0.", error.Message);
    }

    [Fact]
    public async Task Down_with_nothing_running_has_nothing_to_clean_up()
    {
        var down = await NodeDown.RunAsync(StateDirectory, all: false, CancellationToken.None);

        Assert.True(down.NothingToCleanUp);
        Assert.Equal(StopOutcome.NotRunning, down.Stop);
        Assert.Null(down.Pid);
    }

    [Fact]
    public async Task Down_after_a_crash_removes_the_namespaces_and_links_its_state_names_and_leaves_others_alone()
    {
        var mine = Namespace($"sn-{_network}-h1");
        var myLink = Link(LinuxHostPorts.RootInterfaceName(mine), mine);
        var theirs = Namespace($"sn-o{_network}-h1");
        var deadPid = DeadPid();
        Directory.CreateDirectory(StateDirectory.Path);
        new NodeState(deadPid, ExampleFile, DateTimeOffset.UtcNow,
            [new NetworkState(_network, [new HostState("h1", mine, ["10.0.1.10/24"], ["10.0.1.1"]), new HostState("h2", $"sn-{_network}-h2", [], [])])])
            .Save(StateDirectory.StatePath);

        var down = await NodeDown.RunAsync(StateDirectory, all: false, CancellationToken.None);

        Assert.Equal(StopOutcome.AlreadyGone, down.Stop);
        Assert.Equal(deadPid, down.Pid);
        Assert.Equal([mine], down.Removed.Namespaces);
        Assert.Equal([myLink], down.Removed.Links);
        Assert.Equal(0, down.Swept);
        Assert.True(down.StateRemoved);
        Assert.Contains(theirs, down.Remaining.Namespaces);
        Assert.False(File.Exists($"/run/netns/{mine}"));
        Assert.False(Path.Exists($"/sys/class/net/{myLink}"));
        Assert.True(File.Exists($"/run/netns/{theirs}"));
        Assert.False(File.Exists(StateDirectory.StatePath));
    }

    [Fact]
    public void Exec_without_a_hypervisor_says_how_to_start_one()
    {
        var error = Assert.Throws<NodeException>(() => NodeExec.Run(StateDirectory, "h1", ["true"]));

        Assert.Equal($"No hypervisor is running (there is no {StateDirectory.StatePath}); start one with `softnet up FILE`.", error.Message);
    }

    [Fact]
    public void Exec_after_the_hypervisor_died_says_to_clean_up()
    {
        var deadPid = DeadPid();
        Directory.CreateDirectory(StateDirectory.Path);
        new NodeState(deadPid, "/etc/softnet/lab.yaml", DateTimeOffset.UtcNow, [new NetworkState("lab", [new HostState("h1", "sn-lab-h1", [], [])])]).Save(StateDirectory.StatePath);

        var error = Assert.Throws<NodeException>(() => NodeExec.Run(StateDirectory, "h1", ["true"]));

        Assert.Equal($"The hypervisor (pid {deadPid}) is no longer running; `softnet down` cleans up after it, then `softnet up /etc/softnet/lab.yaml`.", error.Message);
    }

    [Fact]
    public void A_live_process_that_is_not_this_directory_s_hypervisor_is_not_taken_for_it()
    {
        Assert.True(NodeProcess.IsRunning(Environment.ProcessId));
        Assert.False(NodeProcess.IsNode(Environment.ProcessId, StateDirectory));
        Assert.False(NodeProcess.IsRunning(DeadPid()));
    }

    internal static string ExampleFile => Path.Combine(RepositoryRoot, "examples", "two-hosts-router.yaml");

    internal static string RepositoryRoot
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (!File.Exists(Path.Combine(directory.FullName, "Softnet.slnx"))) directory = directory.Parent!;
            return directory.FullName;
        }
    }

    /// <summary>The pid of a process that has exited and been reaped.</summary>
    internal static int DeadPid()
    {
        using var process = Process.Start("true")!;
        process.WaitForExit();
        return process.Id;
    }

    private string Namespace(string name)
    {
        _namespaces.Add(name);
        Ip.Run("netns", "add", name);
        return name;
    }

    /// <summary>A veth from the root namespace to eth0 of <paramref name="ns"/>, as a host's AF_PACKET port has.</summary>
    private string Link(string name, string ns)
    {
        _links.Add(name);
        Ip.Run("link", "add", name, "type", "veth", "peer", "name", "eth0", "netns", ns);
        return name;
    }
}
