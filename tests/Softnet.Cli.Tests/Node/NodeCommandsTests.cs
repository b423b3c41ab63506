using System.CommandLine;
using Softnet.Cli.Node;

namespace Softnet.Cli.Tests.Node;

public sealed class NodeCommandsTests
{
    private static ParseResult Parse(params string[] args)
    {
        var root = new RootCommand("test");
        NodeCommands.Register(root);
        return root.Parse(args);
    }

    [Fact]
    public void RatedCapacityIsAPositiveNumberOfByteEquivalents()
    {
        var up = Parse("up", "lab.yaml", "--rated-capacity", "1200000000");
        Assert.Empty(up.Errors);
        Assert.Equal(1_200_000_000L, up.GetValue<long?>("--rated-capacity"));
        Assert.Null(Parse("up", "lab.yaml").GetValue<long?>("--rated-capacity"));
        Assert.Empty(Parse("node", "run", "lab.yaml", "--rated-capacity", "1000").Errors);
        Assert.Contains(Parse("up", "lab.yaml", "--rated-capacity", "0").Errors, e => e.Message.Contains("--rated-capacity must be a positive", StringComparison.Ordinal));
        Assert.NotEmpty(Parse("node", "run", "lab.yaml", "--rated-capacity", "-5").Errors);
        Assert.NotEmpty(Parse("up", "lab.yaml", "--rated-capacity", "fast").Errors);
    }

    [Fact]
    public void Exec_takes_everything_after_the_double_dash_as_the_command()
    {
        var result = Parse("exec", "lab/h1", "--state-dir", "/tmp/x", "--", "ping", "-c", "3", "10.0.2.10");

        Assert.Empty(result.Errors);
        Assert.Equal("lab/h1", result.GetValue<string>("HOST"));
        Assert.Equal(["ping", "-c", "3", "10.0.2.10"], result.GetValue<string[]>("COMMAND")!);
        Assert.Equal("/tmp/x", result.GetValue<string?>("--state-dir"));
    }

    [Fact]
    public void Capture_takes_a_file_and_a_count()
    {
        var result = Parse("capture", "r1:eth0", "-w", "out.pcap", "-c", "5");

        Assert.Empty(result.Errors);
        Assert.Equal("r1:eth0", result.GetValue<string>("PORT"));
        Assert.Equal("out.pcap", result.GetValue<string?>("--write"));
        Assert.Equal(5, result.GetValue<long?>("--count"));
    }

    [Fact]
    public void Inspect_accepts_only_table_or_json()
    {
        Assert.Equal("table", Parse("inspect").GetValue<string>("--format"));
        Assert.Empty(Parse("inspect", "--format", "json").Errors);
        Assert.NotEmpty(Parse("inspect", "--format", "yaml").Errors);
    }

    [Fact]
    public void Link_down_and_up_take_two_ends_after_an_optional_network()
    {
        Assert.Equal(["lab", "r1:eth1", "r2:eth0"], Parse("link", "down", "lab", "r1:eth1", "r2:eth0").GetValue<string[]>("[NETWORK] A B")!);
        Assert.Equal(["r1:eth1", "r2:eth0"], Parse("link", "up", "r1:eth1", "r2:eth0").GetValue<string[]>("[NETWORK] A B")!);
        Assert.NotEmpty(Parse("link", "down", "r1:eth1").Errors);
        Assert.NotEmpty(Parse("link", "down", "lab", "r1:eth1", "r2:eth0", "r3:eth0").Errors);
        Assert.Empty(Parse("link", "list", "--state-dir", "/tmp/x").Errors);
    }

    [Fact]
    public async Task Link_down_goes_to_the_node_s_control_api_and_a_refusal_exits_with_1()
    {
        await using var server = await ControlApiServer.StartAsync();

        var taken = await Parse("link", "down", "wan", "r2:eth0", "r1:eth1", "--state-dir", server.Directory).InvokeAsync();
        var refused = await Parse("link", "up", "dmz", "r2:eth0", "r1:eth1", "--state-dir", server.Directory).InvokeAsync();

        Assert.Equal((0, 1), (taken, refused));
        Assert.Equal(["wan: r1:eth1 -- r2:eth0 down"], server.Node.LinkRequests);
    }

    [Fact]
    public void Up_and_down_take_their_options_and_node_run_is_hidden()
    {
        var up = Parse("up", "lab.yaml", "--workers", "2");
        var down = Parse("down", "--all");
        var output = new StringWriter();
        Parse("--help").Invoke(new InvocationConfiguration { Output = output });

        Assert.Empty(up.Errors);
        Assert.Equal(2, up.GetValue<int>("--workers"));
        Assert.True(down.GetValue<bool>("--all"));
        Assert.Empty(Parse("node", "run", "lab.yaml", "--state-dir", "/tmp/x", "--detach").Errors);
        Assert.Contains("up <FILE>", output.ToString());
        Assert.DoesNotContain("node", output.ToString());
    }
}
