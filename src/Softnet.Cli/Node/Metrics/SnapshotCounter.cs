using Prometheus;

namespace Softnet.Cli.Node.Metrics;

/// <summary>
/// Counters brought up to the snapshot's running total. A total below the exposed one means the thing counted was
/// made anew (a device removed and added again): its series restarts from zero, which Prometheus reads as a reset.
/// </summary>
internal sealed class SnapshotCounter(Counter counter) : SnapshotFamily<Counter.Child>(counter)
{
    public void Record(long total, params string[] labels)
    {
        var series = Series(labels);
        if (total < series.Value)
        {
            Collector.RemoveLabelled(labels);
            series = Collector.WithLabels(labels);
        }
        series.IncTo(total);
    }
}
