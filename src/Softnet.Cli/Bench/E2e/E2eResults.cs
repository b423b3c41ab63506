using Softnet.Hypervisor.Runtime;

namespace Softnet.Cli.Bench.E2e;

/// <summary>What one path did in one round: its TCP stream, its 64-byte UDP forwarding and its pings' RTTs (µs).</summary>
public sealed record PathRound(TcpResult Tcp, UdpResult Udp64, IReadOnlyList<double> RttMicroseconds);

/// <summary>One round: both paths, measured back to back.</summary>
public sealed record E2eRound(PathRound Softnet, PathRound Kernel);

/// <summary>
/// A path over every round: medians of the per-round rates, and RTT percentiles over the pings of all rounds pooled.
/// </summary>
public sealed record PathSummary(double Gbps, double RttP50, double RttP99, double Udp64Kpps, double Udp64OfferedKpps, double Udp64LossPercent, int PingsLost)
{
    public static PathSummary Of(IReadOnlyList<PathRound> rounds, int pingsPerRound)
    {
        var rtts = rounds.SelectMany(r => r.RttMicroseconds).ToList();
        return new PathSummary(
            Statistics.Median(rounds.Select(r => r.Tcp.Gbps)),
            Statistics.Percentile(rtts, 0.50),
            Statistics.Percentile(rtts, 0.99),
            Statistics.Median(rounds.Select(r => r.Udp64.DeliveredKpps)),
            Statistics.Median(rounds.Select(r => r.Udp64.OfferedKpps)),
            Statistics.Median(rounds.Select(r => r.Udp64.LossPercent)),
            rounds.Count * pingsPerRound - rtts.Count);
    }
}

/// <summary>A target of issue 3: the figure and the bound it must reach.</summary>
public sealed record E2eTarget(string Key, double Bound, bool AtLeast)
{
    public bool IsMet(double value) => AtLeast ? value >= Bound : value <= Bound;

    public override string ToString() => $"{(AtLeast ? ">=" : "<=")} {Bound}";
}

/// <summary>Everything one <c>softnet bench e2e</c> measured.</summary>
public sealed record E2eResults(int Seconds, int PingsPerRound, IReadOnlyList<E2eRound> Rounds, HypervisorSnapshot SoftnetSnapshot)
{
    public static IReadOnlyList<E2eTarget> Targets { get; } =
    [
        new("ratio", 0.5, AtLeast: true),
        new("softnet_rtt_p99_us", 1000, AtLeast: false),
        new("softnet_udp64_kpps", 100, AtLeast: true),
    ];

    public PathSummary Softnet { get; } = PathSummary.Of([.. Rounds.Select(r => r.Softnet)], PingsPerRound);

    public PathSummary Kernel { get; } = PathSummary.Of([.. Rounds.Select(r => r.Kernel)], PingsPerRound);

    /// <summary>Softnet's TCP rate over the kernel's, both medians.</summary>
    public double Ratio => Softnet.Gbps / Kernel.Gbps;

    /// <summary>The headline figures by JSON key, in the issue's order.</summary>
    public IReadOnlyList<(string Key, double Value)> Figures =>
    [
        ("softnet_gbps", Softnet.Gbps),
        ("kernel_gbps", Kernel.Gbps),
        ("ratio", Ratio),
        ("softnet_rtt_p50_us", Softnet.RttP50),
        ("softnet_rtt_p99_us", Softnet.RttP99),
        ("kernel_rtt_p50_us", Kernel.RttP50),
        ("kernel_rtt_p99_us", Kernel.RttP99),
        ("softnet_udp64_kpps", Softnet.Udp64Kpps),
        ("softnet_udp64_offered_kpps", Softnet.Udp64OfferedKpps),
        ("softnet_udp64_loss_percent", Softnet.Udp64LossPercent),
        ("kernel_udp64_kpps", Kernel.Udp64Kpps),
        ("kernel_udp64_offered_kpps", Kernel.Udp64OfferedKpps),
        ("kernel_udp64_loss_percent", Kernel.Udp64LossPercent),
        ("softnet_pings_lost", Softnet.PingsLost),
        ("kernel_pings_lost", Kernel.PingsLost),
    ];
}
