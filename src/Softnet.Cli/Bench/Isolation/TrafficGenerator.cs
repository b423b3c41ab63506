using System.Diagnostics;
using Softnet.DataPlane;

namespace Softnet.Cli.Bench.Isolation;

/// <summary>
/// The generator's poll loop over every network's traffic, on the calling thread: take what arrived, then send what
/// each load calls for, round after round, never blocking. One round is short (a few microseconds), so the
/// latency it adds to what it measures is small and shows in <see cref="MaxGapTicks"/>. During a measurement it
/// closes each window as the clock passes it, noting how long the generator and the workers were kept off their
/// CPUs by other threads in it: a window with more than <see cref="DisturbedAboveNs"/> of such waiting is disturbed.
/// </summary>
internal sealed class TrafficGenerator(PacketPool pool, IEnumerable<NetworkTraffic> networks, CpuWaitClock waits, int maxWindows)
{
    /// <summary>
    /// CPU waiting (ns) above which a window counts as disturbed by another process: 1 % of a 100 ms window. An
    /// otherwise idle virtual machine already takes a few hundred microseconds per window (timer ticks, kernel threads).
    /// </summary>
    public const long DisturbedAboveNs = 1_000_000;

    /// <summary>Send passes in one round at most: what a flood may send per round is this many times a sender's batch.</summary>
    private const int Passes = 4;

    /// <summary>A further pass runs only while the sinks keep up: fewer frames than this arrived during the last one.</summary>
    private const int KeepingUp = 32;

    private static readonly long DrainLimit = 2 * Stopwatch.Frequency;

    private readonly NetworkTraffic[] _networks = [.. networks];
    private NetworkTraffic[] _sendOrder = [];
    private readonly long[] _waited = new long[maxWindows];
    private bool _measuring;
    private long _measureStart;
    private long _measureEnd;
    private long _windowTicks;
    private int _windows;
    private int _open;
    private long _lastWaited;

    public IReadOnlyList<NetworkTraffic> Networks => _networks;

    /// <summary>The longest time between two rounds of the last <see cref="RunUntil"/>: how late a frame could be seen or sent.</summary>
    public long MaxGapTicks { get; private set; }

    /// <summary>Nanoseconds the generator and workers waited for their CPUs in each window of the last measurement.</summary>
    public ReadOnlySpan<long> WaitedPerWindow => _waited.AsSpan(0, _windows);

    /// <summary>
    /// Gives each network its load from now on. The generator is one core's worth of work for what one worker
    /// forwards, so it serves first the loads whose latency it measures, then the busy ones, and a flood last, with
    /// what is left: a flood must not delay the frames of the networks it is measured against.
    /// </summary>
    public void Start(IReadOnlyList<Load> loads)
    {
        var now = Stopwatch.GetTimestamp();
        for (var i = 0; i < _networks.Length; i++) _networks[i].Start(loads[i], now);
        _sendOrder = [.. _networks.Select((n, i) => (n, Rank: loads[i].MeasuresLatency ? 0 : loads[i].Kind == LoadKind.Busy ? 1 : 2)).OrderBy(p => p.Rank).Select(p => p.n)];
    }

    /// <summary>
    /// Measures <paramref name="windows"/> windows of <paramref name="windowTicks"/> from <paramref name="start"/> on
    /// (and the latency of loads that measure it). CPU waiting is counted from now, so the first window also answers for the settling.
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
        MaxGapTicks = 0;
        var last = Stopwatch.GetTimestamp();
        while (true)
        {
            var now = Stopwatch.GetTimestamp();
            if (now >= until) break;
            if (now - last > MaxGapTicks) MaxGapTicks = now - last;
            last = now;
            if (_measuring && now >= _measureStart) Advance((int)Math.Min((now - _measureStart) / _windowTicks, _windows));
            // One clock read per round: in a virtual machine it is not free, and a round lasts microseconds.
            foreach (var network in _networks) network.Receive(now);
            var behind = false;
            foreach (var network in _sendOrder) behind |= network.Send(now);
            // A flood sends more in further passes while the sinks keep up, every sink taken between two, so that its
            // frames never keep the other networks' frames waiting at h2 for more than one pass.
            for (var pass = 1; behind && pass < Passes; pass++)
            {
                var arrived = 0;
                foreach (var network in _networks) arrived += network.Receive(now);
                if (arrived >= KeepingUp) break;
                behind = false;
                foreach (var network in _sendOrder) behind |= network.Send(now);
            }
        }
        if (_measuring && until >= _measureEnd) Advance(_windows);
    }

    /// <summary>
    /// Stops every sender and takes what is still on its way until every buffer of the pool is back (2 s at most):
    /// what is then still counted in flight was dropped on the way. Returns whether the networks emptied.
    /// </summary>
    public bool Drain()
    {
        _measuring = false;
        var now = Stopwatch.GetTimestamp();
        foreach (var network in _networks)
        {
            network.Start(Load.Idle, now);
            network.DropHeld();
        }
        var deadline = now + DrainLimit;
        bool empty;
        while (!(empty = pool.InUse == 0) && Stopwatch.GetTimestamp() < deadline)
        {
            foreach (var network in _networks) network.Receive(Stopwatch.GetTimestamp());
            Thread.Yield();
        }
        foreach (var network in _networks) network.Forget();
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
