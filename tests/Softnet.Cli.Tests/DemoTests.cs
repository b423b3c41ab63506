using Softnet.Cli.Demo;

namespace Softnet.Cli.Tests;

public sealed class DemoTests
{
    [Fact]
    public void The_demo_carries_every_ping_and_datagram_and_reports_counters()
    {
        var output = new StringWriter();

        var exit = InMemoryDemo.Run(output);

        var text = output.ToString();
        Assert.Equal(0, exit);
        Assert.Contains("5 transmitted, 5 received, 0% loss", text);
        Assert.Contains("3 transmitted, 3 received, 0% loss", text);
        Assert.Contains("1000 received in order and intact", text);
        Assert.Contains("Destination Net Unreachable", text);
        Assert.Contains("ttl=62", text);
        Assert.Contains("r1-eth1", text);
        Assert.Contains("in memory", text);
    }
}
