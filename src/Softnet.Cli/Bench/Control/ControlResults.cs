using Softnet.Cli.Bench.Isolation;
using Softnet.Cli.Bench.Urbanization;

namespace Softnet.Cli.Bench.Control;

/// <summary>Everything the bench measured, and the headline figures computed from it as <see cref="Definitions"/> states.</summary>
internal sealed record ControlResults(
    IReadOnlyList<Cut> Cuts,
    IReadOnlyList<ApplyRun> Applies,
    StreamTally Untouched,
    IReadOnlyList<RestartRun> Restarts,
    StreamTally RestartStreams,
    IReadOnlyList<UserRun> Users,
    GatewayFloodResult Gateway)
{
    public static readonly IReadOnlyDictionary<string, string> Definitions = new Dictionary<string, string>
    {
        ["convergence_ms"] = "median over cuts (after one unmeasured cut off the path): from cutting a link of the stream's path (Hypervisor.SetLink) in the 50-router ring until the first datagram sent after the cut arrives at h2, the link having been reported through the node's subscription (ReportLink), the ring replanned by the controller and the new routes applied in place by the node",
        ["convergence_installed_ms"] = "median over cuts: from the cut until the node had installed the version the report made",
        ["apply_ms"] = "median over runs (after one unmeasured): from the REST apply of a file adding router r3 (with host h3) to the 20th network until the node reports that version installed and a datagram from h1 reaches h3 through r3",
        ["apply_installed_ms"] = "median over runs: from the REST apply until the node reports the version installed (NodeSubscription.Version)",
        ["untouched_loss_packets"] = "over all apply runs, the unmeasured one included (each adds r3 and applies the base file again): datagrams sent minus received by the streams of the 19 other networks (1000 datagrams/s each)",
        ["untouched_reordered_packets"] = "over the same runs: datagrams of those streams that arrived after a later one",
        ["controller_restart_loss_packets"] = "over all restarts: datagrams sent minus received by the streams of all 20 networks while the controller was stopped and started again on the same store and the node resubscribed",
        ["controller_restart_resubscribed_ms"] = "median over restarts: from the controller's stop until the node had subscribed to the new controller",
        ["user_ready_ms"] = "median over users (after one unmeasured): from ControllerApi.ConnectUserAsync with examples/user-template.yaml until the user's network carries a datagram h1 -> h2 (the 20 networks streaming meanwhile)",
        ["user_installed_ms"] = "median over users: from the connect call until the node had installed the user's network",
        ["gateway_flood_victim_pct"] = "red and blue (10 tokens each, h1 - r1 - h2, one worker) joined by a gateway of 2 tokens that admits UDP from red to blue's h2 at most 10,000 packets/s (as examples/gateway.yaml): the worst 100 ms window of blue's own traffic (h1 -> h2, paced at its guarantee: its tokens' share of the rated capacity, 90 % of what both networks delivered busy) while red's h1 floods blue's h2 through the gateway at 10 times red's share, as a percentage of that guarantee",
        ["gateway_flood_victim_median_pct"] = "the same, the median window",
        ["gateway_flood_latency_ratio"] = "blue's p99 one-way latency during the flood over its p99 paced alone",
        ["gateway_flood_crossed_pps"] = "datagrams per second of the flood that reached blue's h2 through the gateway (its limit is 10,000)",
        ["gateway_flood_worker_cpu_share"] = "share of the flood's measured time the worker was on a CPU: red's r1 alone keeps it busy",
        ["gateway_capacity_pps"] = "frames per second red and blue delivered both busy (median window), the base of the guarantee",
    };

    public IReadOnlyList<Figure> Headline()
    {
        var convergence = Median(Cuts.Select(c => c.ConvergedMs));
        var apply = Median(Applies.Select(a => a.ForwardingMs));
        var ready = Median(Users.Select(u => u.ReadyMs));
        var victim = Gateway.WorstWindowPct;
        return
        [
            new("convergence_ms", convergence, convergence <= 100, "<= 100"),
            new("convergence_installed_ms", Median(Cuts.Select(c => c.InstalledMs))),
            new("apply_ms", apply, apply <= 1000, "<= 1000"),
            new("apply_installed_ms", Median(Applies.Select(a => a.InstalledMs))),
            new("untouched_loss_packets", Untouched.Lost, Untouched.Lost == 0, "= 0"),
            new("untouched_reordered_packets", Untouched.Reordered, Untouched.Reordered == 0, "= 0"),
            new("controller_restart_loss_packets", RestartStreams.Lost, RestartStreams.Lost == 0, "= 0"),
            new("controller_restart_resubscribed_ms", Median(Restarts.Select(r => r.ResubscribedMs))),
            new("user_ready_ms", ready, ready <= 200, "<= 200"),
            new("user_installed_ms", Median(Users.Select(u => u.InstalledMs))),
            new("gateway_flood_victim_pct", victim, victim >= 95, ">= 95"),
            new("gateway_flood_victim_median_pct", Gateway.MedianWindowPct),
            new("gateway_flood_latency_ratio", Gateway.FloodP99Us / Gateway.AloneP99Us),
            new("gateway_flood_crossed_pps", Gateway.Crossed),
            new("gateway_flood_worker_cpu_share", Gateway.WorkerCpuShare),
            new("gateway_capacity_pps", Gateway.Capacity),
        ];
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) return double.NaN;
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
