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
