using System.CommandLine;

namespace Softnet.Cli.Bench.E2e;

/// <summary>The <c>bench e2e</c> subcommand: its options, and the call of <see cref="E2eBench.Run"/>.</summary>
public static class E2eCommand
{
    /// <param name="json">The benches' shared <c>--json FILE</c> option.</param>
    public static Command Create(Option<string?> json)
    {
        var seconds = new Option<int>("--seconds") { Description = "Seconds of each iperf3 run (TCP and 64-byte UDP).", DefaultValueFactory = _ => 5 };
        var pings = new Option<int>("--pings") { Description = "Pings per path in each round (one every 5 ms).", DefaultValueFactory = _ => 500 };
        var rounds = new Option<int>("--rounds") { Description = "Rounds; each measures both paths, figures are medians over rounds.", DefaultValueFactory = _ => 3 };
        var command = new Command("e2e",
            "iperf3 TCP throughput, ping RTT and 64-byte UDP forwarding between two namespaces through a Softnet router and through a Linux kernel router, in one run (needs root).");
        command.Options.Add(seconds);
        command.Options.Add(pings);
        command.Options.Add(rounds);
        command.Options.Add(json);
        command.SetAction(result => E2eBench.Run(result.GetValue(json), result.GetValue(seconds), result.GetValue(pings), result.GetValue(rounds), Console.Out, Console.Error));
        return command;
    }
}
