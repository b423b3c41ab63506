using System.Globalization;
using System.Net;
using System.Text;

namespace Softnet.Urbanization;

/// <summary>
/// Draws power (kW) and active servers over simulated time as a plain SVG: two stacked panels sharing the time
/// axis, one line per run, so runs on the same trace can be compared side by side.
/// </summary>
public static class PowerPlot
{
    private const int Width = 900, PanelHeight = 220, Left = 70, Right = 20, Top = 40, Gap = 50, Bottom = 45;
    private static readonly string[] Colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"];

    private const double SettleSeconds = 3600;

    public static void WriteSvg(SimulationResult result, string path) => WriteSvg([result], path);

    public static void WriteSvg(IReadOnlyList<SimulationResult> results, string path) => File.WriteAllText(path, ToSvg(results));

    public static string ToSvg(IReadOnlyList<SimulationResult> results)
    {
        if (results.Count == 0) throw new ArgumentException("Nothing to plot.", nameof(results));
        var hours = Math.Max(1, Math.Ceiling(results.Max(r => r.Samples.IsEmpty ? 0 : r.Samples[^1].Seconds) / 3600));
        // The first hour holds the start-up transient (every host on before the first consolidation); scaling to
        // it would flatten the rest of the day, so the axes fit what follows and the peak is cut at the top.
        var steady = results.SelectMany(r => r.Samples).Where(s => s.Seconds >= SettleSeconds).ToList();
        if (steady.Count == 0) steady = results.SelectMany(r => r.Samples).ToList();
        var clipped = results.SelectMany(r => r.Samples).Any(s => s.Seconds < SettleSeconds && s.ActiveServers > steady.Max(x => x.ActiveServers));
        var maxKw = NiceCeiling(steady.Select(s => s.Watts / 1000).DefaultIfEmpty(1).Max());
        var maxServers = NiceCeiling(steady.Select(s => (double)s.ActiveServers).DefaultIfEmpty(1).Max());
        var height = Top + 2 * PanelHeight + Gap + Bottom;
        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{height}\" viewBox=\"0 0 {Width} {height}\" font-family=\"sans-serif\" font-size=\"12\">\n"));
        svg.Append(Invariant($"<rect width=\"{Width}\" height=\"{height}\" fill=\"white\"/>\n"));
        Panel(svg, Top, "Power (kW)", maxKw, hours, results, s => s.Watts / 1000);
        Panel(svg, Top + PanelHeight + Gap, "Active servers", maxServers, hours, results, s => s.ActiveServers);
        svg.Append(Invariant($"<text x=\"{Left + (Width - Left - Right) / 2}\" y=\"{height - 8}\" text-anchor=\"middle\">Time (h)</text>\n"));
        if (clipped)
        {
            svg.Append(Invariant($"<text x=\"{Width - Right}\" y=\"{Top - 6}\" text-anchor=\"end\" fill=\"#666\">start-up peak (all hosts on before the first consolidation) cut at the top</text>\n"));
        }
        for (var i = 0; i < results.Count; i++)
        {
            var x = Left + 10 + i % 3 * 270;
            var y = 12 + i / 3 * 14;
            svg.Append(Invariant($"<line x1=\"{x}\" y1=\"{y}\" x2=\"{x + 24}\" y2=\"{y}\" stroke=\"{Colors[i % Colors.Length]}\" stroke-width=\"2\"/>\n"));
            svg.Append(Invariant($"<text x=\"{x + 30}\" y=\"{y + 4}\">{WebUtility.HtmlEncode(results[i].Policy)} ({results[i].EnergyKWh:F1} kWh)</text>\n"));
        }
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static void Panel(StringBuilder svg, int top, string title, double maxY, double hours, IReadOnlyList<SimulationResult> results, Func<SimulationSample, double> value)
    {
        var plotWidth = Width - Left - Right;
        svg.Append(Invariant($"<rect x=\"{Left}\" y=\"{top}\" width=\"{plotWidth}\" height=\"{PanelHeight}\" fill=\"none\" stroke=\"#888\"/>\n"));
        svg.Append(Invariant($"<text x=\"16\" y=\"{top + PanelHeight / 2}\" transform=\"rotate(-90 16 {top + PanelHeight / 2})\" text-anchor=\"middle\">{title}</text>\n"));
        for (var i = 0; i <= 4; i++)
        {
            var y = top + PanelHeight - i * PanelHeight / 4.0;
            svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{y:F1}\" x2=\"{Left + plotWidth}\" y2=\"{y:F1}\" stroke=\"#eee\"/>\n"));
            svg.Append(Invariant($"<text x=\"{Left - 6}\" y=\"{y + 4:F1}\" text-anchor=\"end\">{maxY * i / 4:0.#}</text>\n"));
        }
        var tick = hours <= 24 ? 3 : Math.Ceiling(hours / 8);
        for (var h = 0.0; h <= hours; h += tick)
        {
            var x = Left + h / hours * plotWidth;
            svg.Append(Invariant($"<text x=\"{x:F1}\" y=\"{top + PanelHeight + 16}\" text-anchor=\"middle\">{h:0}</text>\n"));
        }
        for (var r = 0; r < results.Count; r++)
        {
            var points = string.Join(" ", results[r].Samples.Select(s =>
                Invariant($"{Left + s.Seconds / 3600 / hours * plotWidth:F1},{top + PanelHeight - Math.Min(value(s), maxY) / maxY * PanelHeight:F1}")));
            svg.Append(Invariant($"<polyline fill=\"none\" stroke=\"{Colors[r % Colors.Length]}\" stroke-width=\"1.5\" points=\"{points}\"/>\n"));
        }
    }

    // The smallest of 1, 2, 2.5, 5 × 10^k at or above the value, so the axis labels stay round.
    private static double NiceCeiling(double value)
    {
        if (!(value > 0)) return 1;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (var step in (ReadOnlySpan<double>)[1, 2, 2.5, 5, 10])
        {
            if (step * magnitude >= value) return step * magnitude;
        }
        return 10 * magnitude;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
