using System.CommandLine;

namespace Softnet.Cli.Bench.Isolation;

/// <summary>The <c>bench isolation</c> subcommand: its options, and the call of <see cref="IsolationBench.Run"/>.</summary>
public static class IsolationCommand
{
    /// <param name="json">The benches' shared <c>--json FILE</c> option.</param>
    public static Command Create(Option<string?> json)
    {
        var seconds = new Option<double>("--seconds")
        {
            Description = "Measured seconds of each of the 7 scenarios, in 100 ms windows (at the default of 5 the whole bench takes about 45 s).",
            DefaultValueFactory = _ => IsolationBench.DefaultSeconds,
        };
        var frameBytes = new Option<int>("--frame-bytes")
        {
            Description = "Length of every frame sent, without the FCS (60 is a 64-byte frame on the wire).",
            DefaultValueFactory = _ => IsolationBench.DefaultFrameBytes,
        };
        var command = new Command("isolation",
            "Token scheduler isolation in the real hypervisor: three software networks (tokens 10/5/1) share one worker; fairness, guarantees and latency under a flood, work conservation, priority latency.");
        command.Options.Add(seconds);
        command.Options.Add(frameBytes);
        command.Options.Add(json);
        command.SetAction(result => IsolationBench.Run(result.GetValue(json), result.GetValue(seconds), result.GetValue(frameBytes), Console.Out));
        return command;
    }
}
