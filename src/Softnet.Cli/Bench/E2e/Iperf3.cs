using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Softnet.Cli.Bench.E2e;

/// <summary>One TCP stream: the receiver's rate and the sender's retransmissions.</summary>
public readonly record struct TcpResult(double Gbps, long Retransmits);

/// <summary>
/// Small-packet forwarding over a window: frames h1's eth0 offered (sent or dropped at the interface) and frames
/// that arrived at h2's eth0, per second.
/// </summary>
public readonly record struct UdpResult(double OfferedKpps, double DeliveredKpps)
{
    public double LossPercent => OfferedKpps > 0 ? Math.Max(0, 100 * (1 - DeliveredKpps / OfferedKpps)) : 0;
}

/// <summary>iperf3 from h1 to h2 of a path: a one-test server (<c>-s -1</c>) in h2, the client in h1.</summary>
public static class Iperf3
{
    public const int Port = 5201;

    /// <summary>Parallel UDP senders: one iperf3 offers fewer small frames than a router forwards.</summary>
    public const int UdpSenders = 2;

    /// <summary>UDP payload of a 60-byte frame (64 on the wire with the FCS): 14 Ethernet + 20 IPv4 + 8 UDP + 18.</summary>
    public const int Udp64Payload = 18;

    /// <summary>How long the UDP senders run before and after the counted window, so it sees them at full rate.</summary>
    private static readonly TimeSpan UdpMargin = TimeSpan.FromSeconds(1);

    public static readonly string Udp64Method =
        $"{UdpSenders} iperf3 UDP senders in h1 (-u -l {Udp64Payload} -b 0: 60-byte frames, unlimited rate); " +
        "kpps = frames arriving at h2's eth0 (kernel rx_packets) per second over a window inside the sending, " +
        "offered = h1's eth0 tx_packets + tx_dropped over the same window; iperf3's own receiver count is not used, " +
        "since the receiving socket, not the router, drops first";

    /// <summary>One TCP stream of <paramref name="seconds"/> seconds (<c>iperf3 -c -t -J</c>).</summary>
    internal static TcpResult Tcp(RoutedPath path, int seconds, CancellationToken cancellation)
    {
        using var server = IperfServer.Start(path.ServerNamespace, Port, cancellation);
        var json = NamespaceProcess.Run(path.ClientNamespace, Client(Port, seconds), ClientTimeout(seconds), cancellation);
        return ParseTcp(json);
    }

    /// <summary>Reads <c>end.sum_received.bits_per_second</c> and <c>end.sum_sent.retransmits</c> of iperf3's JSON report.</summary>
    /// <exception cref="FormatException">The report has no such figures (iperf3 reported an error).</exception>
    public static TcpResult ParseTcp(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.TryGetProperty("error", out var error)) throw new FormatException($"iperf3: {error.GetString()}");
        if (!root.TryGetProperty("end", out var end) || !end.TryGetProperty("sum_received", out var received))
            throw new FormatException("iperf3's report has no end.sum_received.");
        var retransmits = end.TryGetProperty("sum_sent", out var sent) && sent.TryGetProperty("retransmits", out var r) ? r.GetInt64() : 0;
        return new TcpResult(received.GetProperty("bits_per_second").GetDouble() / 1e9, retransmits);
    }

    /// <summary>
    /// <see cref="UdpSenders"/> unlimited-rate 64-byte UDP streams for <paramref name="seconds"/> seconds plus a
    /// margin either side; counts frames at the two hosts' interfaces over the middle <paramref name="seconds"/>.
    /// </summary>
    internal static UdpResult Udp64(RoutedPath path, int seconds, CancellationToken cancellation)
    {
        var servers = new List<IperfServer>();
        try
        {
            for (var i = 0; i < UdpSenders; i++) servers.Add(IperfServer.Start(path.ServerNamespace, Port + i, cancellation));
            var length = seconds + 2 * (int)UdpMargin.TotalSeconds;
            string[] udp = ["-u", "-l", Udp64Payload.ToString(CultureInfo.InvariantCulture), "-b", "0"];
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            var senders = Task.WhenAll(Enumerable.Range(0, UdpSenders)
                .Select(i => NamespaceProcess.RunAsync(path.ClientNamespace, [.. Client(Port + i, length), .. udp], ClientTimeout(length), stop.Token)));
            UdpResult result;
            try
            {
                Pause(UdpMargin, cancellation);
                var (firstRx, firstTx, firstTime) = Sample(path);
                Pause(TimeSpan.FromSeconds(seconds), cancellation);
                var (lastRx, lastTx, lastTime) = Sample(path);
                var elapsed = Stopwatch.GetElapsedTime(firstTime, lastTime).TotalSeconds;
                result = new UdpResult(
                    (lastTx.TxOffered - firstTx.TxOffered) / elapsed / 1e3,
                    (lastRx.RxPackets - firstRx.RxPackets) / elapsed / 1e3);
            }
            catch
            {
                // Stop the senders; what went wrong here is the error to report, not how they ended.
                stop.Cancel();
                ((Task)senders).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing).GetAwaiter().GetResult();
                throw;
            }
            senders.GetAwaiter().GetResult();
            return result;
        }
        finally
        {
            foreach (var server in servers) server.Dispose();
        }
    }

    private static string[] Client(int port, int seconds) =>
        ["iperf3", "-c", RoutedPath.ServerAddress, "-p", port.ToString(CultureInfo.InvariantCulture), "-t", seconds.ToString(CultureInfo.InvariantCulture), "-J"];

    private static TimeSpan ClientTimeout(int seconds) => TimeSpan.FromSeconds(seconds + 30);

    /// <summary>h2's and h1's counters, and the moment between the two reads.</summary>
    private static (InterfaceCounters Server, InterfaceCounters Client, long Timestamp) Sample(RoutedPath path)
    {
        var server = InterfaceCounters.Read(path.ServerNamespace);
        var timestamp = Stopwatch.GetTimestamp();
        return (server, InterfaceCounters.Read(path.ClientNamespace), timestamp);
    }

    internal static void Pause(TimeSpan time, CancellationToken cancellation)
    {
        if (cancellation.WaitHandle.WaitOne(time)) cancellation.ThrowIfCancellationRequested();
    }
}
