using System.Xml.Linq;

namespace Softnet.Urbanization.Tests;

public sealed class PowerPlotTests
{
    private static SimulationResult Result(string policy, params (double Seconds, double Watts, int Active)[] samples) =>
        new(policy, 10, 5, 1.5, 3, 0, 0, 0, 0, [.. samples.Select(s => new SimulationSample(s.Seconds, s.Watts, s.Active, 5, 0))]);

    [Fact]
    public void DrawsPowerAndActiveServersPerRun()
    {
        var a = Result("LR-MMT-1.2", (0, 1000, 10), (43200, 500, 5), (86400, 2000, 8));
        var b = Result("Mine", (0, 800, 9), (86400, 700, 4));
        var svg = XDocument.Parse(PowerPlot.ToSvg([a, b]));
        XNamespace ns = "http://www.w3.org/2000/svg";
        var lines = svg.Descendants(ns + "polyline").Select(p => p.Attribute("points")!.Value.Split(' ')).ToList();
        Assert.Equal(4, lines.Count); // power and servers for each run
        Assert.Equal([3, 3, 2, 2], lines.Select(l => l.Length).OrderDescending());
        var texts = svg.Descendants(ns + "text").Select(t => t.Value).ToList();
        Assert.Contains("LR-MMT-1.2 (1.5 kWh)", texts);
        Assert.Contains("Power (kW)", texts);
        Assert.Contains("Active servers", texts);
        Assert.Contains("24", texts); // the time axis reaches 24 h
    }

    [Fact]
    public void WritesTheFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"plot-{Guid.NewGuid():N}.svg");
        try
        {
            PowerPlot.WriteSvg(Result("x", (0, 100, 1), (300, 200, 2)), path);
            Assert.StartsWith("<svg", File.ReadAllText(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
