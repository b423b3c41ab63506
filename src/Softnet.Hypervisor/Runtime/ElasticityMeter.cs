using System.Diagnostics;

namespace Softnet.Hypervisor.Runtime;

/// <summary>
/// Measures elasticity (SPEC 3): about every second, and when inspected, the share of the workers' time each domain used since the last sample.
/// A domain's share grows under backlog and falls back when it idles, within what the scheduler grants its network.
/// </summary>
internal sealed class ElasticityMeter : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly Func<Domain[]> _domains;
    private readonly int _workers;
    private readonly Lock _sampling = new();
    private readonly Timer _timer;
    private long _lastSample = Stopwatch.GetTimestamp();

    /// <param name="domains">The domains running now (the set changes when networks are added or removed).</param>
    public ElasticityMeter(Func<Domain[]> domains, int workers)
    {
        _domains = domains;
        _workers = workers;
        _timer = new Timer(_ => Sample(), null, Interval, Interval);
    }

    /// <summary>
    /// Samples now if the last sample is more than a quarter of the interval old (the timer samples every second,
    /// but a timer thread can be kept waiting on a loaded node; <c>Inspect</c> calls this so that it never shows an
    /// interval long past).
    /// </summary>
    public void SampleIfDue()
    {
        if (Stopwatch.GetElapsedTime(Volatile.Read(ref _lastSample)) >= Interval / 4) Sample();
    }

    private void Sample()
    {
        lock (_sampling)
        {
            var now = Stopwatch.GetTimestamp();
            var elapsed = (double)(now - _lastSample) * _workers;
            if (elapsed <= 0) return;
            foreach (var domain in _domains())
            {
                var busy = Volatile.Read(ref domain.BusyTicks);
                domain.WorkerShare = (busy - domain.SampledBusyTicks) / elapsed;
                domain.SampledBusyTicks = busy;
            }
            _lastSample = now;
        }
    }

    public void Dispose() => _timer.Dispose();
}
