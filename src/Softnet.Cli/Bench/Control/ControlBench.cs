using Softnet.Cli.Bench.Isolation;
using System.Diagnostics;
using Grpc.Core;
using Softnet.Cli.Bench.Urbanization;
using Softnet.Control.Client;
using Softnet.Hypervisor.Runtime;

namespace Softnet.Cli.Bench.Control;

/// <summary>
/// <c>softnet bench control</c>: the control plane measured on real running software networks, in one process: a real
/// controller (REST and gRPC on loopback, state in a file store) and a real hypervisor following it through its
/// subscription, with in-memory hosts whose streams verify every figure by traffic. No network has routes of its
/// own: every route comes from the controller. Figures are medians over the runs of one invocation; losses are
/// totals over all of them.
/// </summary>
public static class ControlBench
{
    public const int DefaultRuns = 5;
    public const int MaxRuns = 20;

    /// <summary>Packet buffers of the node (2 KiB each, 64 MiB): the rings of 20 small networks and a user's, with room.</summary>
    public const int PacketBuffers = 32_768;

    private const int Phases = 5;

    /// <summary>The gateway flood's windows: 100 ms, as the isolation bench's, for 3 s.</summary>
    private static readonly TimeSpan GatewayWindow = TimeSpan.FromMilliseconds(100);
    private const int GatewayWindows = 30;

    /// <summary>
    /// Runs every measurement <paramref name="runs"/> times, printing progress and a table to <paramref name="output"/>;
    /// writes the JSON results to <paramref name="jsonPath"/> when given.
    /// </summary>
    /// <returns>0 when every measurement ran, 1 when one failed, 2 for bad options.</returns>
    public static int Run(string? jsonPath, int runs, TextWriter output)
    {
        if (runs is < 1 or > MaxRuns)
        {
            output.WriteLine($"bench control: --runs must lie between 1 and {MaxRuns}, not {runs}.");
            return 2;
        }
        try
        {
            var started = Stopwatch.GetTimestamp();
            var workers = Math.Clamp(Environment.ProcessorCount - 1, 1, 2);
            var results = Measure(runs, workers, output).GetAwaiter().GetResult();
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            output.WriteLine();
            BenchReport.WriteTable(results.Headline(), output);
            output.WriteLine($"{Phases} phases in {seconds:0.0} s.");
            if (jsonPath is not null)
            {
                ControlReport.WriteJson(jsonPath, results, runs, workers, seconds);
                output.WriteLine($"Results written to {Path.GetFullPath(jsonPath)}.");
            }
            return 0;
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or ControllerApiException or RpcException or IOException)
        {
            output.WriteLine($"bench control FAILED: {e.Message}");
            return 1;
        }
    }

    private static async Task<ControlResults> Measure(int runs, int workers, TextWriter output)
    {
        var examples = ControlTopologies.ExamplesDirectory();
        var options = new HypervisorOptions { Workers = workers, PacketBuffers = PacketBuffers, BufferSize = 2048 };
        output.WriteLine($"bench control: a controller and a node of {workers} worker(s) in this process, {runs} run(s) of each measurement.");
        ControlPhasesResult control;
        await using (var node = await ControlNode.StartAsync(options))
        {
            control = ControlPhases(node, examples, runs, output);
        }

        // Alone in the process: the flood's node pins its one worker, and no other hypervisor's workers share its core.
        Phase(5, "gateway", "blue's own traffic during a flood from red through a secure gateway, on a saturated node (a hypervisor of its own, the isolation bench's loops)", output);
        var gateway = GatewayFlood.Run(IsolationBench.DefaultFrameBytes, GatewayWindow, GatewayWindows, output);

        return new ControlResults(control.Cuts, control.Applies, control.Untouched, control.Restarts, control.RestartStreams, control.Users, gateway);
    }

    private sealed record ControlPhasesResult(IReadOnlyList<Cut> Cuts, IReadOnlyList<ApplyRun> Applies, StreamTally Untouched,
        IReadOnlyList<RestartRun> Restarts, StreamTally RestartStreams, IReadOnlyList<UserRun> Users);

    /// <summary>Phases 1 to 4, on the node that follows the controller.</summary>
    private static ControlPhasesResult ControlPhases(ControlNode node, string examples, int runs, TextWriter output)
    {
        Phase(1, "convergence", $"cut a link of the stream's path in a {ControlTopologies.RingRouters}-router ring, report it, wait for the stream", output);
        var cuts = ConvergencePhase.Run(node, runs, output);

        var twenty = new TwentyNetworksPhase(node, output);
        Phase(2, "apply", $"add a router to the last of {ControlTopologies.SmallNetworks} networks while the others stream", output);
        twenty.Start();
        var (applies, untouched) = twenty.MeasureApply(runs);
        output.WriteLine($"    the change: {string.Join("; ", twenty.Changes)}");
        output.WriteLine($"    untouched networks: {untouched.Sent:N0} datagrams sent, {untouched.Lost} lost, {untouched.Reordered} out of order");

        Phase(3, "restart", "stop and start the controller on the same store while every network streams", output);
        var (restarts, restartStreams) = twenty.MeasureRestart(runs);
        output.WriteLine($"    streams: {restartStreams.Sent:N0} datagrams sent, {restartStreams.Lost} lost, {restartStreams.Reordered} out of order");

        Phase(4, "users", "connect a user from examples/user-template.yaml, wait for its network to carry a datagram, disconnect", output);
        var users = UserPhase.Run(node, examples, runs, output);
        twenty.Stop();
        return new ControlPhasesResult(cuts, applies, untouched, restarts, restartStreams, users);
    }

    private static void Phase(int index, string name, string summary, TextWriter output)
    {
        output.WriteLine($"[{index}/{Phases}] {name}: {summary}");
        output.Flush();
    }
}
