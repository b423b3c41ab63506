using System.Collections.Immutable;
using System.Globalization;

namespace Softnet.Urbanization;

/// <summary>A trace file that does not hold one integer CPU percentage (0 to 100) per line.</summary>
public sealed class TraceFormatException(string path, int line, string message)
    : FormatException($"{path}:{line}: {message}")
{
    public string Path { get; } = path;
    public int Line { get; } = line;
}

/// <summary>
/// One PlanetLab VM's CPU trace (CoMon, as published with CloudSim): one integer percentage per line, one line per
/// 5 minutes.
/// </summary>
public sealed record PlanetLabTrace(string Name, DemandTrace Cpu)
{
    public const int StepSeconds = 300;

    /// <summary>
    /// Loads every file of <paramref name="directory"/> (names starting with '.' excepted), sorted by ordinal file
    /// name, which is the VM order of the reference CloudSim runs.
    /// </summary>
    public static ImmutableArray<PlanetLabTrace> Load(string directory)
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"Trace directory '{directory}' does not exist.");
        var files = Directory.GetFiles(directory)
            .Where(f => !System.IO.Path.GetFileName(f).StartsWith('.'))
            .OrderBy(f => System.IO.Path.GetFileName(f), StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0) throw new ArgumentException($"Trace directory '{directory}' holds no trace files.", nameof(directory));
        return [.. files.Select(LoadFile)];
    }

    /// <summary>Loads one trace file; errors name the file and line.</summary>
    public static PlanetLabTrace LoadFile(string path)
    {
        var samples = new List<double>(288);
        var lineNumber = 0;
        var blankAt = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNumber++;
            var text = raw.Trim();
            if (text.Length == 0)
            {
                if (blankAt == 0) blankAt = lineNumber;
                continue;
            }
            if (blankAt != 0) throw new TraceFormatException(path, blankAt, "blank line inside the trace.");
            if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var percent))
            {
                throw new TraceFormatException(path, lineNumber, $"expected an integer CPU percentage, got '{Shorten(text)}'.");
            }
            if (percent is < 0 or > 100) throw new TraceFormatException(path, lineNumber, $"CPU percentage {percent} is outside 0 to 100.");
            samples.Add(percent / 100.0);
        }
        if (samples.Count == 0) throw new TraceFormatException(path, 1, "the file holds no samples.");
        return new PlanetLabTrace(System.IO.Path.GetFileName(path), new DemandTrace(samples, StepSeconds));
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
