using System.Diagnostics;

namespace Softnet.Cli.Bench.Control;

/// <summary>
/// One pair of windows: blue's own traffic (paced at its guarantee) delivered per second without the flood and
/// during it, what red's h1 sent towards blue's web server and what of it crossed the gateway, and the share of the
/// workers' time the domains used in each window (how near the node was to saturation).
/// </summary>
internal sealed record GatewayRun(double AlonePerSecond, double FloodedPerSecond, double FloodSentPerSecond, double CrossedPerSecond, double AloneBusy, double FloodedBusy)
{
    public double VictimPct => FloodedPerSecond / AlonePerSecond * 100;
}

/// <summary>Blue's traffic alone and busy (the capacity), its guarantee share of that, and each pair of windows.</summary>
internal sealed record GatewayResult(double CapacityPerSecond, double GuaranteePerSecond, long LimitPerSecond, IReadOnlyList<GatewayRun> Runs);

/// <summary>
/// <c>gateway_flood_victim_pct</c> on examples/gateway.yaml with in-memory hosts (<see cref="ControlTopologies.Gateway"/>):
/// blue's own traffic, h1 → web, is first measured alone and busy; then, paced at its guarantee share of that (its
/// base tokens over those of red, blue and the gateway), it is delivered during a flood from red's h1 through the
/// gateway to web (<see cref="FloodFactor"/> times the gateway's red → blue limit), as a percentage of what the same
/// paced traffic delivers without the flood. Windows with and without the flood alternate.
/// </summary>
internal static class GatewayPhase
{
    /// <summary>How many times the gateway's packet limit the flood offers.</summary>
    public const double FloodFactor = 10;

    private const ushort VictimPort = 5002;
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan WarmUp = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan CapacityWindow = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(500);

    public static GatewayResult Run(ControlNode node, string examples, int runs, TextWriter output)
    {
        var hosts = node.Hosts;
        node.Apply(ControlTopologies.Gateway(examples), "gateway.yaml");
        var topology = node.Hypervisor.Topology;
        var gateway = topology.Gateways.Single();
        var limit = gateway.Limits.Single(l => l.From == "red" && l.To == "blue").PacketsPerSecond
            ?? throw new InvalidOperationException("examples/gateway.yaml no longer limits the packets from red to blue.");
        var shares = topology.Networks.Sum(n => n.Tokens) + gateway.Tokens;
        var red = hosts.Add("red", "h1", "10.0.1.10/24", "10.0.1.1", "10.0.0.0/8", "172.16.0.0/12");
        var blue = hosts.Add("blue", "h1", "10.0.1.10/24", "10.0.1.1", "10.0.0.0/8", "172.16.0.0/12");
        var web = hosts.Add("blue", "web", "10.0.2.10/24", "10.0.2.1", "10.0.0.0/8", "172.16.0.0/12");
        var victim = hosts.Stream(blue, web, "10.0.2.10", VictimPort, double.PositiveInfinity);
        var flood = hosts.Stream(red, web, "172.16.2.10", ControlTopologies.GatewayPort, FloodFactor * limit);
        flood.Sending = false;
        // Paced at hundreds of thousands a second, the streams cannot wait a millisecond whenever a round is idle.
        hosts.Spin = true;

        hosts.RunFor(WarmUp);
        var capacity = Measure(node, victim, flood, CapacityWindow).Victim;
        if (!(capacity > 0)) throw new InvalidOperationException("blue's traffic alone delivered nothing.");
        var guarantee = capacity * topology["blue"].Tokens / shares;
        victim.PerSecond = guarantee;
        output.WriteLine($"    blue alone and busy: {capacity:N0} datagrams/s; its guarantee ({topology["blue"].Tokens} of {shares} tokens): {guarantee:N0}/s; " +
            $"the flood offers {FloodFactor * limit:N0}/s against the gateway's limit of {limit:N0}/s");
        flood.Sending = true;
        hosts.RunFor(WarmUp);
        if (flood.Received == 0) throw new InvalidOperationException("nothing of red's flood crossed the gateway: the policy or the NAT is not what the bench expects.");

        var results = new List<GatewayRun>();
        for (var run = 1; run <= runs; run++)
        {
            flood.Sending = false;
            hosts.RunFor(Settle);
            var alone = Measure(node, victim, flood, Window);
            flood.Sending = true;
            hosts.RunFor(Settle);
            var flooded = Measure(node, victim, flood, Window);
            results.Add(new GatewayRun(alone.Victim, flooded.Victim, flooded.FloodSent, flooded.Crossed, alone.Busy, flooded.Busy));
            output.WriteLine($"    window pair {run}/{runs}: blue delivered {alone.Victim:N0}/s alone, {flooded.Victim:N0}/s during a flood of {flooded.FloodSent:N0}/s " +
                $"({flooded.Crossed:N0}/s crossed): {results[^1].VictimPct:0.0}%; domains busy {alone.Busy:P0} and {flooded.Busy:P0} of the workers' time");
        }
        hosts.Spin = false;
        hosts.Clear();
        return new GatewayResult(capacity, guarantee, limit, results);
    }

    /// <summary>
    /// Per second over <paramref name="window"/>: blue's datagrams delivered, the flood's sent and those that crossed;
    /// and the share of the workers' time all domains used (sampled at the window's start and end by inspecting).
    /// </summary>
    private static (double Victim, double FloodSent, double Crossed, double Busy) Measure(ControlNode node, UdpStream victim, UdpStream flood, TimeSpan window)
    {
        node.Hypervisor.Inspect();
        var (received, sent, crossed) = (victim.Received, flood.Sent, flood.Received);
        var start = Stopwatch.GetTimestamp();
        node.Hosts.RunFor(window);
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var busy = node.Hypervisor.Inspect().Networks.Sum(n => n.Domains.Sum(d => d.WorkerShare));
        return ((victim.Received - received) / seconds, (flood.Sent - sent) / seconds, (flood.Received - crossed) / seconds, busy);
    }
}
