using System.Diagnostics;
using System.Text.Json;

namespace Softnet.Hypervisor.Tests.Linux;

/// <summary>One iperf3 TCP test between two hosts of a <see cref="TestNetwork"/>.</summary>
internal static class Iperf
{
    private const string Port = "5201";

    /// <summary>
    /// Starts <c>iperf3 -s -1</c> in <paramref name="server"/>, waits until it listens, runs <c>iperf3 -c -J</c> with
    /// <paramref name="options"/> in <paramref name="client"/>, and returns the bytes the receiver got.
    /// </summary>
    public static long Transfer(TestNetwork network, string client, string server, string serverAddress, params string[] options)
    {
        var start = new ProcessStartInfo("ip", ["netns", "exec", network.Namespace(server), "iperf3", "-s", "-1", "-p", Port])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var listener = Process.Start(start)!;
        _ = listener.StandardOutput.ReadToEndAsync();
        _ = listener.StandardError.ReadToEndAsync();
        try
        {
            WaitUntilListening(network, server);
            var json = network.Exec(client, ["iperf3", "-c", serverAddress, "-p", Port, "-J", .. options]);
            using var report = JsonDocument.Parse(json);
            return report.RootElement.GetProperty("end").GetProperty("sum_received").GetProperty("bytes").GetInt64();
        }
        finally
        {
            if (!listener.WaitForExit(5_000)) listener.Kill();
        }
    }

    private static void WaitUntilListening(TestNetwork network, string server)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (network.Exec(server, "ss", "-Hltn", "sport", "=", ":" + Port).Trim().Length > 0) return;
            Thread.Sleep(50);
        }
        throw new TimeoutException($"iperf3 did not start listening in {network.Namespace(server)}.");
    }
}
