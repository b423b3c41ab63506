using System.CommandLine;
using Softnet.Cli.Bench.Dataplane;
using Softnet.Cli.Demo;

var root = new RootCommand("Softnet: routers, switches and MPLS LSRs as software, joined into software networks.");

var demo = new Command("demo", "Build a small software network in memory (hosts, a switch, two routers) and send real ping and UDP traffic across it.");
demo.SetAction(_ => InMemoryDemo.Run(Console.Out));
root.Subcommands.Add(demo);

var bench = new Command("bench", "Measure Softnet.");
var json = new Option<string?>("--json") { Description = "Write the results to this file as one JSON object keyed by workload." };
var only = new Option<string[]>("--only") { Description = "Run only these workloads (by key).", AllowMultipleArgumentsPerToken = true };
var dataplane = new Command("dataplane", "Forwarding rate of each device on one core, in-memory frames (l2, ipv4, ipv6, lpm, mpls workloads).");
dataplane.Options.Add(json);
dataplane.Options.Add(only);
dataplane.SetAction(result => DataplaneBench.Run(result.GetValue(json), result.GetValue(only), Console.Out));
bench.Subcommands.Add(dataplane);
root.Subcommands.Add(bench);

return root.Parse(args).Invoke();
