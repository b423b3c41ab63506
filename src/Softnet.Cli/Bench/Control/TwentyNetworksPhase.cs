using System.Diagnostics;
using Softnet.Devices.Ip;

namespace Softnet.Cli.Bench.Control;

/// <summary>One apply of a one-device change: from the REST call until the node had installed it, and until the new device forwarded.</summary>
internal sealed record ApplyRun(double InstalledMs, double ForwardingMs);

/// <summary>One controller restart: from the stop until the node had subscribed to the new controller.</summary>
internal sealed record RestartRun(double ResubscribedMs);

/// <summary>What the other networks' streams sent and lost over a series of changes, and how many arrived out of order.</summary>
internal sealed record StreamTally(int Streams, long Sent, long Lost, long Reordered);

/// <summary>
/// <c>apply_ms</c>, <c>untouched_loss_packets</c> and <c>controller_restart_loss_packets</c> on
/// <see cref="ControlTopologies.SmallNetworks"/> software networks (h1 — r1 — r2 — h2), each of the first 19 carrying a
/// paced UDP stream h1 → h2. Apply: a file that adds router r3 (and its host h3) to the 20th network, timed from the
/// REST call until the node has installed the version and h1's datagrams reach h3 through r3; the base file is
/// applied again before the next run. Restart: with a stream in all 20 networks, the controller is stopped and
/// started again on the same store while the node keeps forwarding.
/// </summary>
internal sealed class TwentyNetworksPhase(ControlNode node, TextWriter output)
{
    /// <summary>Datagrams per second of each network's stream.</summary>
    public const double StreamRate = 1000;

    private const ushort Port = 5001;

    private readonly string _base = ControlTopologies.Twenty(extraDevice: false);
    private readonly string _changed = ControlTopologies.Twenty(extraDevice: true);
    private readonly List<UdpStream> _streams = [];
    private Host _lastH1 = null!;
    private Host _lastH2 = null!;

    public IReadOnlyList<string> Changes { get; private set; } = [];

    private static string Last => ControlTopologies.Small(ControlTopologies.SmallNetworks);

    public void Start()
    {
        var hosts = node.Hosts;
        var started = Stopwatch.GetTimestamp();
        node.Apply(_base, "twenty.yaml");
        output.WriteLine($"    {ControlTopologies.SmallNetworks} networks running after {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0} ms; " +
            $"a stream of {StreamRate:N0} datagrams/s h1 -> h2 in each of the first {ControlTopologies.SmallNetworks - 1}");
        for (var i = 1; i <= ControlTopologies.SmallNetworks; i++)
        {
            var network = ControlTopologies.Small(i);
            var h1 = hosts.Add(network, "h1", "10.0.1.10/24", "10.0.1.1", "10.0.0.0/8");
            var h2 = hosts.Add(network, "h2", "10.0.2.10/24", "10.0.2.1", "10.0.0.0/8");
            if (i < ControlTopologies.SmallNetworks) _streams.Add(hosts.Stream(h1, h2, "10.0.2.10", Port, StreamRate));
            else (_lastH1, _lastH2) = (h1, h2);
        }
        hosts.RunUntil(() => _streams.All(s => s.Received >= 50), ControlNode.Patience, "every network's first datagrams");
    }

    public (IReadOnlyList<ApplyRun> Runs, StreamTally Untouched) MeasureApply(int runs)
    {
        var hosts = node.Hosts;
        foreach (var stream in _streams) stream.Restart();
        var results = new List<ApplyRun>();
        // Run 0 is unmeasured (it compiles the way through the controller and the node); its loss counts all the same.
        for (var run = 0; run <= runs; run++)
        {
            var h3 = hosts.Create("h3", "10.0.3.10/24", "10.0.3.1", "10.0.0.0/8");
            var start = Stopwatch.GetTimestamp();
            var reply = hosts.Await(node.Api.ApplyAsync(_changed, "twenty.yaml", dryRun: false, CancellationToken.None), ControlNode.Patience, "the controller's answer to the apply");
            var version = reply.NewVersion ?? throw new InvalidOperationException("the file with r3 changed nothing.");
            node.AwaitVersion(version, "r3 added");
            var installed = Stopwatch.GetTimestamp();
            Changes = [.. reply.Changes.Select(c => c.Text)];
            hosts.Attach(Last, h3);
            var probe = hosts.Stream(_lastH1, h3, "10.0.3.10", Port, StreamRate);
            probe.WatchFromNext();
            hosts.RunUntil(() => probe.WatchedArrival != 0, ControlNode.Patience, $"a datagram from {Last}/h1 through the new r3 to h3");
            if (run > 0)
            {
                results.Add(new ApplyRun(Ms(installed - start), Ms(probe.WatchedArrival - start)));
                output.WriteLine($"    apply {run}/{runs}: version {version} installed after {results[^1].InstalledMs:0.0} ms, r3 forwarding after {results[^1].ForwardingMs:0.0} ms");
            }
            hosts.Remove(probe);
            node.Apply(_base, "twenty.yaml");
            hosts.RemoveHost(Last, h3);
        }
        return (results, Tally());
    }

    public (IReadOnlyList<RestartRun> Runs, StreamTally Streams) MeasureRestart(int runs)
    {
        var hosts = node.Hosts;
        _streams.Add(hosts.Stream(_lastH1, _lastH2, "10.0.2.10", Port, StreamRate));
        hosts.RunUntil(() => _streams[^1].Received >= 50, ControlNode.Patience, $"{Last}'s first datagrams");
        foreach (var stream in _streams) stream.Restart();
        var results = new List<RestartRun>();
        for (var run = 1; run <= runs; run++)
        {
            var connections = node.Subscription.Connections;
            var start = Stopwatch.GetTimestamp();
            hosts.Await(node.RestartControllerAsync(), ControlNode.Patience, "the controller's restart");
            hosts.RunUntil(() => node.Subscription.IsConnected && node.Subscription.Connections > connections, ControlNode.Patience, "the node's new subscription");
            results.Add(new RestartRun(Ms(Stopwatch.GetTimestamp() - start)));
            output.WriteLine($"    restart {run}/{runs}: the node subscribed again after {results[^1].ResubscribedMs:0} ms, at version {node.Version}");
            hosts.RunFor(TimeSpan.FromMilliseconds(100));
        }
        return (results, Tally());
    }

    /// <summary>Pauses the streams until every datagram they sent has arrived or 2 s passed, tallies them, and lets them go on.</summary>
    private StreamTally Tally()
    {
        var hosts = node.Hosts;
        foreach (var stream in _streams) stream.Sending = false;
        var deadline = Stopwatch.GetTimestamp() + 2 * Stopwatch.Frequency;
        while (_streams.Any(s => s.Lost > 0) && Stopwatch.GetTimestamp() < deadline)
        {
            if (hosts.Pump() == 0) hosts.Idle();
        }
        var tally = new StreamTally(_streams.Count, _streams.Sum(s => s.Sent), _streams.Sum(s => s.Lost), _streams.Sum(s => s.Reordered));
        foreach (var stream in _streams)
        {
            stream.Restart();
            stream.Sending = true;
        }
        return tally;
    }

    public void Stop()
    {
        node.Hosts.Clear();
        _streams.Clear();
    }

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
