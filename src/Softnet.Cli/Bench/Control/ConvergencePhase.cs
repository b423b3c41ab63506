using System.Diagnostics;
using Softnet.Hypervisor.Runtime;
using Softnet.Hypervisor.Topology;

namespace Softnet.Cli.Bench.Control;

/// <summary>
/// One cut of a link on the stream's path, timed from the cut: until the controller acknowledged the report, until the
/// node had installed the replanned version, and until a datagram sent after the cut arrived (convergence); and the
/// datagrams lost meanwhile.
/// </summary>
internal sealed record Cut(string Link, double ReportedMs, double InstalledMs, double ConvergedMs, long Lost);

/// <summary>
/// <c>convergence_ms</c>: the 50-router ring (<see cref="ControlTopologies.Ring"/>) carries a steady UDP stream h1 → h2.
/// A link on the stream's path (found from the routers' port counters, not assumed) is cut in the hypervisor and
/// reported through the node's subscription; the time runs from the cut until the stream's datagrams arrive again,
/// the controller having replanned around the link and the node applied the new routes in place. Each cut takes
/// another link of the path, and the link is restored and reported up before the next. A cut of a link off the path
/// comes first, unmeasured, as a warm-up.
/// </summary>
internal static class ConvergencePhase
{
    /// <summary>Datagrams per second of the stream: one every 100 us, the resolution of the measurement.</summary>
    public const double StreamRate = 10_000;

    /// <summary>Bytes a router's FIB tables reserve (a 2^24-entry first level of 2 bytes and its 1-byte depths).</summary>
    public const long RouterTableBytes = 48L << 20;

    private const ushort Port = 5001;

    public static IReadOnlyList<Cut> Run(ControlNode node, int cuts, TextWriter output)
    {
        CheckMemory(ControlTopologies.RingRouters * RouterTableBytes);
        var hosts = node.Hosts;
        var started = Stopwatch.GetTimestamp();
        node.Apply(ControlTopologies.Ring(), "ring.yaml");
        output.WriteLine($"    {ControlTopologies.RingRouters} routers running after {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0} ms; a stream of {StreamRate:N0} datagrams/s h1 -> h2");
        var network = ControlTopologies.RingNetwork;
        var h1 = hosts.Add(network, "h1", "10.0.1.10/24", "10.0.1.1", "10.0.0.0/8");
        var h2 = hosts.Add(network, "h2", "10.0.2.10/24", "10.0.2.1", "10.0.0.0/8");
        var stream = hosts.Stream(h1, h2, "10.0.2.10", Port, StreamRate);
        hosts.RunUntil(() => stream.Received >= 1000, ControlNode.Patience, "the stream's first thousand datagrams across the ring");
        var path = PathOf(node, stream);
        output.WriteLine($"    the stream's path: {string.Join(", ", path.Select(Text))}");
        // First a cut off the path, unmeasured: it compiles the report's way through the controller and the node.
        var routers = node.Hypervisor.Topology[network].Devices.Select(d => d.Name).ToHashSet(StringComparer.Ordinal);
        var spare = node.Hypervisor.Topology[network].Links.First(l => routers.Contains(l.A.Node) && routers.Contains(l.B.Node) && !path.Contains(l));
        Measure(node, stream, spare);
        Restore(node, stream, spare);

        var results = new List<Cut>();
        for (var i = 0; i < cuts; i++)
        {
            var link = path[i % path.Count];
            var cut = Measure(node, stream, link);
            results.Add(cut);
            output.WriteLine($"    cut {i + 1}/{cuts} {cut.Link}: reported {cut.ReportedMs:0.0} ms, installed {cut.InstalledMs:0.0} ms, " +
                $"datagrams again after {cut.ConvergedMs:0.0} ms ({cut.Lost} lost)");
            Restore(node, stream, link);
        }
        hosts.Clear();
        return results;
    }

    private static Cut Measure(ControlNode node, UdpStream stream, LinkSpec link)
    {
        var hosts = node.Hosts;
        var network = ControlTopologies.RingNetwork;
        stream.Restart();
        stream.WatchFromNext();
        var cut = Stopwatch.GetTimestamp();
        node.Hypervisor.SetLink(network, link.A, link.B, up: false);
        var report = node.Subscription.ReportLinkAsync(network, link.A, link.B, up: false, CancellationToken.None);
        long reported = 0, installed = 0;
        ulong version = 0;
        hosts.RunUntil(() =>
        {
            var now = Stopwatch.GetTimestamp();
            if (reported == 0 && report.IsCompleted)
            {
                version = report.GetAwaiter().GetResult();
                reported = now;
            }
            if (reported != 0 && installed == 0 && node.Version >= version) installed = now;
            return installed != 0 && stream.WatchedArrival != 0;
        }, ControlNode.Patience, $"traffic around the cut link {Text(link)}");
        // Every datagram sent since the cut has arrived or is lost once the stream has paused a moment.
        stream.Sending = false;
        hosts.RunFor(TimeSpan.FromMilliseconds(30));
        stream.Sending = true;
        return new Cut(Text(link), Ms(reported - cut), Ms(installed - cut), Ms(stream.WatchedArrival - cut), stream.Lost);
    }

    private static void Restore(ControlNode node, UdpStream stream, LinkSpec link)
    {
        var hosts = node.Hosts;
        node.Hypervisor.SetLink(ControlTopologies.RingNetwork, link.A, link.B, up: true);
        var version = hosts.Await(node.Subscription.ReportLinkAsync(ControlTopologies.RingNetwork, link.A, link.B, up: true, CancellationToken.None),
            ControlNode.Patience, $"the controller's answer to {Text(link)} up");
        node.AwaitVersion(version, $"{Text(link)} up");
        stream.WatchFromNext();
        hosts.RunUntil(() => stream.WatchedArrival != 0, ControlNode.Patience, $"the stream over the restored link {Text(link)}");
        hosts.RunFor(TimeSpan.FromMilliseconds(20));
    }

    /// <summary>
    /// The links between routers that the stream crosses: those with a port that sent at least half the stream's
    /// datagrams while a thousand more arrived (links off the path carry only neighbour discovery), in file order.
    /// </summary>
    private static List<LinkSpec> PathOf(ControlNode node, UdpStream stream)
    {
        var network = node.Hypervisor.Topology[ControlTopologies.RingNetwork];
        var before = Sent(node.Hypervisor.Inspect());
        var received = stream.Received;
        node.Hosts.RunUntil(() => stream.Received >= received + 1000, ControlNode.Patience, "a thousand datagrams to find the stream's path");
        var after = Sent(node.Hypervisor.Inspect());
        var half = (stream.Received - received) / 2;
        var routers = network.Devices.Select(d => d.Name).ToHashSet(StringComparer.Ordinal);
        bool Carries(Endpoint end) => after[end] - before[end] >= half;
        var path = network.Links.Where(l => routers.Contains(l.A.Node) && routers.Contains(l.B.Node) && (Carries(l.A) || Carries(l.B))).ToList();
        if (path.Count == 0) throw new InvalidOperationException("no link between routers carried the stream; its path is unknown.");
        return path;
    }

    private static Dictionary<Endpoint, long> Sent(HypervisorSnapshot snapshot) =>
        snapshot.Networks.Single(n => n.Name == ControlTopologies.RingNetwork).Domains
            .SelectMany(d => d.Ports.Select(p => (End: new Endpoint(d.Name, p.Name), p.TxPackets)))
            .ToDictionary(p => p.End, p => p.TxPackets);

    /// <summary>Refuses to start when the machine has less memory available than the ring's routers reserve for their FIBs.</summary>
    private static void CheckMemory(long needed)
    {
        const string meminfo = "/proc/meminfo";
        if (!File.Exists(meminfo)) return;
        var line = File.ReadLines(meminfo).FirstOrDefault(l => l.StartsWith("MemAvailable:", StringComparison.Ordinal));
        if (line is null || !long.TryParse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], out var kib)) return;
        if (kib * 1024 < needed)
            throw new InvalidOperationException($"the {ControlTopologies.RingRouters}-router network needs about {needed >> 20} MiB for its routers' FIBs; the machine has {kib >> 10} MiB available.");
    }

    private static string Text(LinkSpec link) => $"{link.A} -- {link.B}";

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
