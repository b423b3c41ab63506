using Prometheus;

namespace Softnet.Cli.Node.Metrics;

/// <summary>Gauges set to the snapshot's figure.</summary>
internal sealed class SnapshotGauge(Gauge gauge) : SnapshotFamily<Gauge.Child>(gauge)
{
    public void Record(double value, params string[] labels) => Series(labels).Set(value);
}
