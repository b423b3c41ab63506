using Prometheus;

namespace Softnet.Cli.Node.Metrics;

/// <summary>
/// A labelled metric family that mirrors one kind of figure of successive snapshots: after <see cref="Sweep"/> it holds
/// exactly the series the snapshot just recorded had, so a network, device or port that went away stops being exposed.
/// </summary>
internal abstract class SnapshotFamily<TChild>(Collector<TChild> collector) where TChild : ChildBase
{
    private readonly HashSet<string[]> _recorded = new(LabelValues.Comparer);

    protected Collector<TChild> Collector { get; } = collector;

    /// <summary>The series of <paramref name="labels"/>, kept by the next <see cref="Sweep"/>.</summary>
    protected TChild Series(string[] labels)
    {
        _recorded.Add(labels);
        return Collector.WithLabels(labels);
    }

    /// <summary>Removes every series not recorded since the last sweep.</summary>
    public void Sweep()
    {
        foreach (var labels in Collector.GetAllLabelValues().ToList())
            if (!_recorded.Contains(labels)) Collector.RemoveLabelled(labels);
        _recorded.Clear();
    }

    private sealed class LabelValues : IEqualityComparer<string[]>
    {
        public static readonly LabelValues Comparer = new();

        public bool Equals(string[]? x, string[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(string[] labels)
        {
            var hash = new HashCode();
            foreach (var label in labels) hash.Add(label, StringComparer.Ordinal);
            return hash.ToHashCode();
        }
    }
}
