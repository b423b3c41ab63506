using System.Diagnostics;

namespace Softnet.Hypervisor.Runtime;

/// <summary>
/// Measures elasticity (SPEC 3): every second, the share of the workers' time each domain used over that second.
/// A domain's share grows under backlog and falls back when it idles, within what the scheduler grants its network.
/// </summary>
internal sealed class ElasticityMeter : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly Domain[] _domains;
    private readonly int _workers;
    private readonly long[] _lastBusy;
    private readonly Timer _timer;
    private long _lastSample = Stopwatch.GetTimestamp();

    public ElasticityMeter(Domain[] domains, int workers)
    {
        _domains = domains;
        _workers = workers;
        _lastBusy = new long[domains.Length];
        _timer = new Timer(_ => Sample(), null, Interval, Interval);
    }

    /// <summary>Takes a sample now (the timer also does, every second).</summary>
    public void Sample()
    {
        lock (_lastBusy)
        {
            var now = Stopwatch.GetTimestamp();
            var elapsed = (double)(now - _lastSample) * _workers;
            if (elapsed <= 0) return;
            for (var i = 0; i < _domains.Length; i++)
            {
                var busy = Volatile.Read(ref _domains[i].BusyTicks);
                _domains[i].WorkerShare = (busy - _lastBusy[i]) / elapsed;
                _lastBusy[i] = busy;
            }
            _lastSample = now;
        }
    }

    public void Dispose() => _timer.Dispose();
}
