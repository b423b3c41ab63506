using System.Diagnostics;
using Softnet.DataPlane;

namespace Softnet.Cli.Bench.Isolation;

/// <summary>
/// The generator's rounds over every network's traffic, on the calling thread. The frames go round their networks'
/// loops on the driver's thread; the generator fills the loops when loads start, answers ARP, and closes each
/// measurement window as the clock passes it, noting how long the workers and itself were kept off their CPUs by
/// other threads in it: a window with more than <see cref="DisturbedAboveNs"/> of such waiting is disturbed. Once the
/// loops are full it sleeps between rounds (about a millisecond), leaving its core to the rest of the machine.
/// </summary>
internal sealed class TrafficGenerator(PacketPool pool, IEnumerable<NetworkTraffic> networks, CpuWaitClock waits, int maxWindows)
{
    /// <summary>
    /// CPU waiting (ns) above which a window counts as disturbed by another process: 1 % of a 100 ms window. An
    /// otherwise idle virtual machine already takes a few hundred microseconds per window (timer ticks, kernel threads).
    /// </summary>
    public const long DisturbedAboveNs = 1_000_000;

    private static readonly long DrainLimit = 2 * Stopwatch.Frequency;

    private readonly NetworkTraffic[] _networks = [.. networks];
    private readonly long[] _waited = new long[maxWindows];
    private bool _measuring;
    private long _measureStart;
    private long _measureEnd;
    private long _windowTicks;
    private int _windows;
    private int _open;
    private long _lastWaited;
    private bool _filled;

    public IReadOnlyList<NetworkTraffic> Networks => _networks;

    /// <summary>Nanoseconds the generator and workers waited for their CPUs in each window of the last measurement.</summary>
    public ReadOnlySpan<long> WaitedPerWindow => _waited.AsSpan(0, _windows);

    /// <summary>Gives each network its load from now on.</summary>
    public void Start(IReadOnlyList<Load> loads)
    {
        for (var i = 0; i < _networks.Length; i++) _networks[i].Start(loads[i]);
        _filled = false;
    }

    /// <summary>
    /// Measures <paramref name="windows"/> windows of <paramref name="windowTicks"/> from <paramref name="start"/> on.
    /// CPU waiting is counted from now, so the first window also answers for the settling.
    /// </summary>
    public void Measure(long start, long windowTicks, int windows)
    {
        _measuring = true;
        _measureStart = start;
        _windowTicks = windowTicks;
        _windows = Math.Min(windows, _waited.Length);
        _measureEnd = start + windowTicks * _windows;
        _open = 0;
        _lastWaited = waits.Waited();
        Array.Clear(_waited);
        foreach (var network in _networks) network.Measure(start, windowTicks, _windows);
    }

    /// <summary>Runs rounds until <paramref name="until"/> (Stopwatch ticks), closing the windows it passes.</summary>
    public void RunUntil(long until)
    {
        while (true)
        {
            var now = Stopwatch.GetTimestamp();
            if (now >= until) break;
            if (_measuring && now >= _measureStart) Advance((int)Math.Min((now - _measureStart) / _windowTicks, _windows));
            foreach (var network in _networks) network.Answer();
            if (!_filled)
            {
                _filled = true;
                foreach (var network in _networks) _filled &= network.Fill();
                continue;
            }
            Thread.Sleep(1);
        }
        if (_measuring && until >= _measureEnd) Advance(_windows);
    }

    /// <summary>
    /// Stops every load and waits until every buffer of the pool is back (2 s at most). Returns whether the networks emptied.
    /// </summary>
    public bool Drain()
    {
        _measuring = false;
        foreach (var network in _networks) network.Stop();
        var deadline = Stopwatch.GetTimestamp() + DrainLimit;
        bool empty;
        while (!(empty = pool.InUse == 0) && Stopwatch.GetTimestamp() < deadline)
        {
            foreach (var network in _networks) network.Answer();
            Thread.Yield();
        }
        return empty;
    }

    /// <summary>
    /// Whether neither window <paramref name="window"/> of the last measurement nor the one before saw more CPU
    /// waiting than <see cref="DisturbedAboveNs"/>: what queued during a stall drains after it.
    /// </summary>
    public bool Undisturbed(int window) => !Disturbed(window) && (window == 0 || !Disturbed(window - 1));

    private bool Disturbed(int window) => _waited[window] > DisturbedAboveNs;

    /// <summary>Closes the windows before <paramref name="window"/> and opens it. Windows a long stall skipped share the waiting measured across them.</summary>
    private void Advance(int window)
    {
        if (window == _open) return;
        var waited = waits.Waited();
        for (var w = _open; w < window; w++) _waited[w] = waited - _lastWaited;
        for (var w = _open; w < window; w++)
        {
            foreach (var network in _networks) network.CloseWindow(Undisturbed(w));
        }
        _lastWaited = waited;
        _open = window;
        _measuring = window < _windows;
    }
}
