namespace Softnet.Cli.Bench.Isolation;

/// <summary>What one network did during a scenario: its deliveries per window, its latency and where frames were lost.</summary>
/// <param name="Windows">Frames delivered to h2 in each measurement window.</param>
/// <param name="LatencyP50Us">Median one-way latency h1 to h2 (loads whose latency is measured; NaN otherwise).</param>
/// <param name="LatencyP99UndisturbedUs">The 99th percentile over the undisturbed windows only (<see cref="ScenarioResult.Undisturbed"/>).</param>
/// <param name="SentPerSecond">Frames per second h1 handed to its port.</param>
/// <param name="Overflow">Frames a paced load or a flood had due at h1 while h1's backend had no room.</param>
/// <param name="PortDropped">Frames h1's port reported dropped (<c>RxDropped</c>): those its receive ring refused (as <paramref name="Overflow"/>).</param>
/// <param name="SinkDropped">Frames the driver domain dropped because h2's port was full (the sink fell behind).</param>
/// <param name="Unexpected">Frames that reached h1 or h2 and were neither the stream nor ARP (ICMP errors from r1, for instance).</param>
/// <param name="FramesPerTurn">Frames r1 took per scheduler turn.</param>
internal sealed record NetworkResult(
    BenchNetwork Network,
    Load Load,
    long[] Windows,
    double LatencyP50Us,
    double LatencyP99Us,
    long LatencySamples,
    double LatencyP99UndisturbedUs,
    long UndisturbedLatencySamples,
    double SentPerSecond,
    long Overflow,
    long PortDropped,
    long SinkDropped,
    long Unexpected,
    double FramesPerTurn);

/// <summary>
/// One scenario's measurements. Rates are in byte-equivalents per second, the unit the token scheduler charges
/// (bytes plus a per-packet cost), so that shares compare with what the scheduler divides.
/// </summary>
internal sealed record ScenarioResult(string Name, string Summary, double WindowSeconds, long CostPerFrame, IReadOnlyList<NetworkResult> Networks)
{
    /// <summary>Fraction of the measured time the workers were on a CPU; low in a busy scenario when another process took their core.</summary>
    public double? WorkerCpuShare { get; init; }

    /// <summary>Fraction of the measured time the workers were ready to run but another thread had their CPU.</summary>
    public double? WorkerWaitShare { get; init; }

    /// <summary>Fraction of the measured time the generator's thread was on a CPU.</summary>
    public double? GeneratorCpuShare { get; init; }

    /// <summary>Garbage collections during the measured time (each one stops every thread).</summary>
    public int Collections { get; init; }

    /// <summary>Nanoseconds the generator and the workers were kept off their CPUs by other threads, per window.</summary>
    public long[] CpuWaitNsPerWindow { get; init; } = [];

    /// <summary>
    /// Per window, whether neither it nor the window before saw more than <see cref="TrafficGenerator.DisturbedAboveNs"/>
    /// of such waiting: what it measured is the hypervisor's doing, not another process's.
    /// </summary>
    public bool[] Undisturbed { get; init; } = [];

    /// <summary>Whether every buffer came back once the senders stopped (else what was missing is counted as lost).</summary>
    public bool Drained { get; init; }

    public int WindowCount => Networks[0].Windows.Length;

    public NetworkResult this[string network] => Networks.Single(n => n.Network.Name == network);

    /// <summary>Byte-equivalents per second network <paramref name="index"/> received in window <paramref name="window"/>.</summary>
    public double Rate(int index, int window) => Networks[index].Windows[window] * CostPerFrame / WindowSeconds;

    public double TotalRate(int window) => Enumerable.Range(0, Networks.Count).Sum(i => Rate(i, window));

    public double MedianRate(int index) => Median(Enumerable.Range(0, WindowCount).Select(w => Rate(index, w)));

    public double MedianTotalRate => Median(Enumerable.Range(0, WindowCount).Select(TotalRate));

    /// <summary>Network <paramref name="index"/>'s share of everything delivered in each window.</summary>
    public IEnumerable<double> Shares(int index) =>
        Enumerable.Range(0, WindowCount).Select(w => TotalRate(w) == 0 ? 0 : Rate(index, w) / TotalRate(w));

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
            : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
