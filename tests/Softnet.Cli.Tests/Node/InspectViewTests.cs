using System.Text.RegularExpressions;
using Softnet.Cli.Node;
using Spectre.Console;

namespace Softnet.Cli.Tests.Node;

public sealed class InspectViewTests
{
    private readonly string _text = Render();

    [Fact]
    public void Networks_show_their_tokens_and_granted_against_measured_worker_share()
    {
        AssertRow("lab", "ipv4", "relative", "10", "12,345", "163,840", "62.50 %", "43.75 %");
        AssertRow("blue", "ethernet", "none", "6", "-512", "98,304", "37.50 %", "6.25 %");
    }

    [Fact]
    public void Domains_show_kind_tokens_worker_share_turns_and_backlog()
    {
        AssertRow("r1", "router", "1", "2,048", "25.00 %", "98,765", "3");
        AssertRow("s1", "switch", "1", "-512", "6.25 %", "55", "0");
    }

    [Fact]
    public void Ports_are_named_as_in_the_drawing_with_their_link_and_counters()
    {
        AssertRow("r1-eth0", "h1:eth0 via sn-lab-h1/eth0", "02:00:00:00:00:01", "1,111", "2,222,333", "4,444", "5,555,666", "7");
        AssertRow("r1-eth1", "h2:eth0 via sn-lab-h2/eth0", "02:00:00:00:00:02", "4,321", "654,321", "1,234", "123,456", "0");
        AssertRow("s1-eth1", "h3:eth0 via snv0123456789ab", "02:00:00:00:00:03", "5", "600", "8", "900", "0");
    }

    [Fact]
    public void Only_element_counters_that_moved_are_shown()
    {
        AssertRow("r1", "ip4-lookup", "900", "drop:no-route=7, rewrite=893");
        AssertRow("s1", "l2-switch", "13", "flood=13");
        Assert.DoesNotContain("ethernet-input", _text);
    }

    [Fact]
    public void Hosts_pool_and_physical_ports_are_shown()
    {
        Assert.Contains("packet buffers: 17 of 8,192 in use (66,048 bytes each); token redistributions: 31", _text);
        AssertRow("h1", "sn-lab-h1", "sn-lab-h1/eth0", "tap", "10.0.1.10/24");
        AssertRow("h3", "sn-blue-h3", "snv0123456789ab", "af_packet", "192.168.7.3/24");
        AssertRow("sn-lab-h1/eth0", "tap", "lab", "r1:eth0", "777,001", "88,002", "99,003", "11,004", "12", "13", "14");
        AssertRow("snv0123456789ab", "af_packet", "blue", "s1:eth1", "5", "600", "8", "900", "0", "0", "0");
    }

    [Fact]
    public void Links_down_show_since_when_and_why_and_a_node_with_every_link_up_shows_none()
    {
        var since = new DateTimeOffset(2026, 11, 25, 4, 13, 23, TimeSpan.Zero);
        NodeLink[] links =
        [
            new("lab", "h1:eth0 -- r1:eth0", true, null, null),
            new("lab", "r1:eth1 -- r2:eth0", false, since, LinkCause.Operator),
            new("blue", "h3:eth0 -- s1:eth1", false, since, LinkCause.Carrier),
        ];

        var down = RenderLinks(links, onlyDown: true);
        var all = RenderLinks(links, onlyDown: false);

        var local = $"{since.ToLocalTime():yyyy-MM-dd HH:mm:ss}";
        Assert.Matches(Row("lab", "r1:eth1 -- r2:eth0", "down", local, "operator"), down);
        Assert.Matches(Row("blue", "h3:eth0 -- s1:eth1", "down", local, "carrier"), down);
        Assert.DoesNotContain("h1:eth0 -- r1:eth0", down);
        Assert.Matches(Row("lab", "h1:eth0 -- r1:eth0", "up", "", ""), all);
        Assert.Equal("", RenderLinks([links[0]], onlyDown: true));
    }

    private static string RenderLinks(IReadOnlyList<NodeLink> links, bool onlyDown)
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = 250;
        InspectView.RenderLinks(links, console, onlyDown);
        return output.ToString();
    }

    private static Regex Row(params string[] cells) => new(@"│\s*" + string.Join(@"\s*│\s*", cells.Select(Regex.Escape)) + @"\s*│");

    private static string Render()
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = 250;
        InspectView.Render(SampleSnapshot.Create(), console);
        return output.ToString();
    }

    /// <summary>A table row holding exactly these cells, in order.</summary>
    private void AssertRow(params string[] cells) =>
        Assert.Matches(new Regex(@"│\s*" + string.Join(@"\s*│\s*", cells.Select(Regex.Escape)) + @"\s*│"), _text);
}
