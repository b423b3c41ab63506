using System.CommandLine;

namespace Softnet.Cli.Bench.Control;

/// <summary>The <c>bench control</c> subcommand: its options, and the call of <see cref="ControlBench.Run"/>.</summary>
public static class ControlCommand
{
    /// <param name="json">The benches' shared <c>--json FILE</c> option.</param>
    public static Command Create(Option<string?> json)
    {
        var runs = new Option<int>("--runs")
        {
            Description = $"Link cuts, applies, restarts, users and gateway window pairs to measure (each figure is their median; at the default of {ControlBench.DefaultRuns} the bench takes about half a minute).",
            DefaultValueFactory = _ => ControlBench.DefaultRuns,
        };
        var command = new Command("control",
            "The control plane on running software networks: convergence after a link failure in a 50-router network, a live apply among 20 networks, a controller restart, user connections, a flood through a gateway.");
        command.Options.Add(runs);
        command.Options.Add(json);
        command.SetAction(result => ControlBench.Run(result.GetValue(json), result.GetValue(runs), Console.Out));
        return command;
    }
}
