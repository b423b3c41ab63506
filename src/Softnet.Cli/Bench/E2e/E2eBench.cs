using System.Runtime.InteropServices;
using System.Text.Json;
using Softnet.Hypervisor.Linux;
using Softnet.Hypervisor.Topology;

namespace Softnet.Cli.Bench.E2e;

/// <summary>
/// <c>softnet bench e2e</c>: the same h1 — r1 — h2 twice in one run, r1 a Softnet router (TAP ports, one worker) and a
/// Linux kernel router (a namespace with ip_forward, veth pairs). Each round measures, path after path (the first
/// path alternates between rounds so drift and noise fall on both alike): one iperf3 TCP stream, 64-byte UDP
/// forwarding, and ping RTTs. A short warm-up (50 pings and 1 s of TCP per path) goes first, not counted. Progress goes to stderr, the table to
/// stdout, the JSON to a file. Ctrl-C stops the measuring and removes every namespace.
/// </summary>
public static class E2eBench
{
    /// <summary>Seconds of the uncounted warm-up TCP run on each path (the hypervisor's hot code is tiered up meanwhile).</summary>
    private const int WarmUpSeconds = 1;

    private const int WarmUpPings = 50;

    /// <returns>0 when measured (targets missed or not), 1 when a measurement failed, 2 without root or with bad options, 130 when interrupted.</returns>
    public static int Run(string? jsonPath, int seconds, int pings, int rounds, TextWriter output, TextWriter progress)
    {
        if (seconds < 1 || pings < 1 || rounds < 1)
        {
            progress.WriteLine("bench e2e: --seconds, --pings and --rounds must be at least 1.");
            return 2;
        }
        try
        {
            Privileges.Require("softnet bench e2e");
        }
        catch (UnauthorizedAccessException e)
        {
            progress.WriteLine(e.Message);
            return 2;
        }
        using var interrupt = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
        E2eResults results;
        try
        {
            results = Measure(seconds, pings, rounds, progress, interrupt.Token);
        }
        catch (Exception) when (interrupt.IsCancellationRequested)
        {
            progress.WriteLine("bench e2e: interrupted; its namespaces are removed.");
            return 130;
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or JsonException or TopologyException or IOException)
        {
            progress.WriteLine($"bench e2e failed: {e.Message}");
            return 1;
        }
        E2eReport.WriteTable(results, output);
        if (jsonPath is not null)
        {
            E2eReport.WriteJson(results, jsonPath);
            output.WriteLine($"Results written to {Path.GetFullPath(jsonPath)}.");
        }
        return 0;

        // Children in the terminal's process group get the signal too and stop; the bench stops at its next step.
        void Interrupt(PosixSignalContext context)
        {
            context.Cancel = true;
            interrupt.Cancel();
        }
    }

    private static E2eResults Measure(int seconds, int pings, int rounds, TextWriter progress, CancellationToken cancellation)
    {
        progress.WriteLine($"bench e2e: {rounds} round(s) of iperf3 TCP ({seconds} s), 64-byte UDP ({seconds} s) and {pings} pings, " +
            "through a Softnet router and through a Linux kernel router.");
        var log = new Progress(progress);
        using var kernel = KernelRouterPath.Create();
        log.Report($"kernel: {kernel.Path.ClientNamespace} - {kernel.RouterNamespace} (ip_forward) - {kernel.Path.ServerNamespace} over veth pairs");
        cancellation.ThrowIfCancellationRequested();
        using var softnet = SoftnetRouterPath.Start(log);
        cancellation.ThrowIfCancellationRequested();
        RoutedPath[] paths = [softnet.Path, kernel.Path];

        foreach (var path in paths)
        {
            PingRtt.Run(path, WarmUpPings, cancellation);
            var tcp = Iperf3.Tcp(path, WarmUpSeconds, cancellation);
            log.Report($"warm-up {path.Key}: {tcp.Gbps:0.00} Gbps (not counted)");
        }
        var measured = new List<E2eRound>();
        for (var round = 0; round < rounds; round++)
        {
            var order = round % 2 == 0 ? paths : [.. paths.Reverse()];
            var label = $"[round {round + 1}/{rounds}]";
            var tcp = new Dictionary<RoutedPath, TcpResult>();
            var udp = new Dictionary<RoutedPath, UdpResult>();
            var rtts = new Dictionary<RoutedPath, IReadOnlyList<double>>();
            foreach (var path in order)
            {
                tcp[path] = Iperf3.Tcp(path, seconds, cancellation);
                log.Report($"{label} {path.Key} tcp: {tcp[path].Gbps:0.00} Gbps, {tcp[path].Retransmits} retransmits");
            }
            foreach (var path in order)
            {
                udp[path] = Iperf3.Udp64(path, seconds, cancellation);
                log.Report($"{label} {path.Key} udp64: {udp[path].DeliveredKpps:0} kpps delivered of {udp[path].OfferedKpps:0} offered ({udp[path].LossPercent:0.0} % lost)");
            }
            foreach (var path in order)
            {
                rtts[path] = PingRtt.Run(path, pings, cancellation);
                log.Report($"{label} {path.Key} ping: p50 {Statistics.Percentile(rtts[path], 0.5):0} us, p99 {Statistics.Percentile(rtts[path], 0.99):0} us, " +
                    $"{pings - rtts[path].Count} lost");
            }
            measured.Add(new E2eRound(
                new PathRound(tcp[softnet.Path], udp[softnet.Path], rtts[softnet.Path]),
                new PathRound(tcp[kernel.Path], udp[kernel.Path], rtts[kernel.Path])));
        }
        return new E2eResults(seconds, pings, measured, softnet.Inspect());
    }

    /// <summary>Progress lines as they happen (the hypervisor reports from its own threads).</summary>
    private sealed class Progress(TextWriter writer) : IProgress<string>
    {
        private readonly Lock _lock = new();

        public void Report(string value)
        {
            lock (_lock)
            {
                writer.WriteLine($"  {value}");
                writer.Flush();
            }
        }
    }
}
