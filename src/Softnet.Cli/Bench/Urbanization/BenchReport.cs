using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Softnet.Cli.Bench.Urbanization;

/// <summary>One measured figure: its JSON key, its value, and whether it meets its target (null when it has none).</summary>
internal readonly record struct Figure(string Key, double Value, bool? TargetMet = null, string Target = "");

/// <summary>The urbanization benches' output: a readable table and one flat JSON object keyed by figure.</summary>
internal static class BenchReport
{
    public static void WriteTable(IReadOnlyList<Figure> figures, TextWriter output)
    {
        var width = figures.Max(f => f.Key.Length);
        foreach (var f in figures)
        {
            var verdict = f.TargetMet switch { true => $"  target {f.Target}: met", false => $"  target {f.Target}: MISSED", null => "" };
            output.WriteLine($"{f.Key.PadRight(width)}  {Format(f.Value),14}{verdict}");
        }
    }

    public static void WriteJson(IReadOnlyList<Figure> figures, IReadOnlyDictionary<string, string> facts, string path)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartObject();
        foreach (var (key, value) in facts) json.WriteString(key, value);
        foreach (var f in figures) json.WriteNumber(f.Key, f.Value);
        foreach (var f in figures.Where(f => f.TargetMet is not null)) json.WriteBoolean($"{f.Key}_target_met", f.TargetMet == true);
        json.WriteEndObject();
    }

    private static string Format(double value) =>
        value == Math.Floor(value) && Math.Abs(value) < 1e12 ? value.ToString("0", CultureInfo.InvariantCulture)
        : Math.Abs(value) < 1e-3 ? value.ToString("0.000E+0", CultureInfo.InvariantCulture)
        : value.ToString("0.####", CultureInfo.InvariantCulture);
}
