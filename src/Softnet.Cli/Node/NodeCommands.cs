using System.CommandLine;
using Spectre.Console;

namespace Softnet.Cli.Node;

/// <summary>
/// The node's lifecycle on the command line: <c>up</c>, <c>exec</c>, <c>inspect</c>, <c>capture</c>, <c>down</c> and the
/// hidden <c>node run</c>. Each action parses, calls one method of this folder and renders its result; errors are
/// <see cref="NodeException"/>s, printed to standard error with their exit code.
/// </summary>
public static class NodeCommands
{
    public static void Register(RootCommand root)
    {
        var stateDir = new Option<string?>("--state-dir") { Description = $"Where the hypervisor keeps its control socket, state file and log (default {NodeDirectory.DefaultPath})." };
        root.Subcommands.Add(Up(stateDir));
        root.Subcommands.Add(Exec(stateDir));
        root.Subcommands.Add(Inspect(stateDir));
        root.Subcommands.Add(Capture(stateDir));
        root.Subcommands.Add(Down(stateDir));
        root.Subcommands.Add(Link(stateDir));
        root.Subcommands.Add(NodeRunCommand(stateDir));
    }

    private static Command Link(Option<string?> stateDir)
    {
        Command Change(bool up)
        {
            var ends = new Argument<string[]>("[NETWORK] A B")
            {
                Description = "The link's ends as the topology file writes them (r1:eth1 r2:eth0, either order), after its network when several networks have that link.",
                Arity = new ArgumentArity(2, 3),
            };
            var command = new Command(up ? "up" : "down", up
                ? "Bring a link back up: softnet link up lab r1:eth1 r2:eth0."
                : "Take a link down as a pulled cable: softnet link down lab r1:eth1 r2:eth0; the controller, when the node follows one, routes around it.");
            command.Arguments.Add(ends);
            command.Options.Add(stateDir);
            command.SetAction((result, cancellation) => Handle(async console =>
            {
                var values = result.GetValue(ends)!;
                var (network, a, b) = values.Length == 3 ? (values[0], values[1], values[2]) : (null, values[0], values[1]);
                using var client = new NodeClient(NodeDirectory.From(result.GetValue(stateDir)).SocketPath);
                var change = await client.SetLinkAsync(network, a, b, up, cancellation);
                var link = change.Link;
                console.WriteLine($"{link.Network}: link {link.Link} {(change.Changed ? "is now" : "was already")} {(link.Up ? "up" : "down")}"
                    + (link.Cause is { } cause && !link.Up && cause != LinkCause.Operator ? $" (carrier lost since {link.Since:HH:mm:ss})" : ""));
                if (change.ControllerVersion is { } version) console.WriteLine($"the controller routes accordingly from version {version}");
                if (change.ControllerError is { } error) console.WriteLine(error);
                return 0;
            }));
            return command;
        }

        var list = new Command("list", "List every link of every network and its state: when down, since when and why (operator or carrier).");
        list.Options.Add(stateDir);
        list.SetAction((result, cancellation) => Handle(async console =>
        {
            using var client = new NodeClient(NodeDirectory.From(result.GetValue(stateDir)).SocketPath);
            InspectView.RenderLinks(await client.LinksAsync(cancellation), console, onlyDown: false);
            return 0;
        }));

        var link = new Command("link", "Take links down and up (as pulled cables) and list their state.");
        link.Subcommands.Add(Change(up: false));
        link.Subcommands.Add(Change(up: true));
        link.Subcommands.Add(list);
        return link;
    }

    private static Command Up(Option<string?> stateDir)
    {
        var file = new Argument<string?>("FILE") { Description = "The topology file (docs/topology.md); leave it out with --controller.", Arity = ArgumentArity.ZeroOrOne };
        var workers = new Option<int>("--workers") { Description = "Worker threads that run every device of every network.", DefaultValueFactory = _ => 1 };
        var controller = GrpcEndpoint("Follow this SDN controller's gRPC endpoint (http://127.0.0.1:7471) instead of a file: run what it says, with the forwarding it computes.");
        var rated = RatedCapacity();
        var up = new Command("up", "Start the hypervisor (root): one network namespace per host, wired to the software networks of FILE (or of the controller); returns once traffic flows.");
        up.Arguments.Add(file);
        up.Options.Add(stateDir);
        up.Options.Add(workers);
        up.Options.Add(controller);
        up.Options.Add(rated);
        up.SetAction((result, cancellation) => Handle(async console =>
        {
            var started = await NodeUp.RunAsync(result.GetValue(file), result.GetValue(controller), NodeDirectory.From(result.GetValue(stateDir)), result.GetValue(workers), new ProgressLines(console), cancellation,
                result.GetValue(rated));
            RenderUp(started, console);
            return started.AllReached ? 0 : 1;
        }));
        return up;
    }

    private static Command Exec(Option<string?> stateDir)
    {
        var host = new Argument<string>("HOST") { Description = "h1, or lab/h1 when several networks have an h1." };
        var command = new Argument<string[]>("COMMAND") { Description = "The command and its arguments, after --.", Arity = ArgumentArity.OneOrMore };
        var exec = new Command("exec", "Run a command inside a host's network namespace: softnet exec h1 -- ping -c 3 10.0.2.10.");
        exec.Arguments.Add(host);
        exec.Arguments.Add(command);
        exec.Options.Add(stateDir);
        exec.SetAction(result =>
        {
            try
            {
                return NodeExec.Run(NodeDirectory.From(result.GetValue(stateDir)), result.GetValue(host)!, result.GetValue(command)!);
            }
            catch (NodeException e)
            {
                return Fail(e);
            }
        });
        return exec;
    }

    private static Command Inspect(Option<string?> stateDir)
    {
        var format = new Option<string>("--format") { Description = "table, or json (the snapshot as the hypervisor serves it).", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var inspect = new Command("inspect", "Show every network, domain, port and counter of the running hypervisor, with tokens and elasticity.");
        inspect.Options.Add(format);
        inspect.Options.Add(stateDir);
        inspect.SetAction((result, cancellation) => Handle(async console =>
        {
            using var client = new NodeClient(NodeDirectory.From(result.GetValue(stateDir)).SocketPath);
            if (result.GetValue(format) == "json") Console.Out.WriteLine(await client.InspectJsonAsync(cancellation));
            else
            {
                InspectView.Render(await client.InspectAsync(cancellation), console);
                InspectView.RenderLinks(await client.LinksAsync(cancellation), console, onlyDown: true);
            }
            return 0;
        }));
        return inspect;
    }

    private static Command Capture(Option<string?> stateDir)
    {
        var port = new Argument<string>("PORT") { Description = "A device port: r1:eth0, or lab/r1:eth0 when several networks have an r1." };
        var write = new Option<string?>("--write", "-w") { Description = "Write the pcap to this file instead of standard output." };
        var count = new Option<long?>("--count", "-c") { Description = "Stop after this many frames." };
        var capture = new Command("capture", "Capture a port's frames as pcap, to standard output (| tcpdump -r -) or to a file; Ctrl-C stops.");
        capture.Arguments.Add(port);
        capture.Options.Add(write);
        capture.Options.Add(count);
        capture.Options.Add(stateDir);
        capture.SetAction((result, cancellation) => Handle(async _ =>
        {
            var path = result.GetValue(write);
            if (result.GetValue(count) is < 1) throw new NodeException("--count must be at least 1.");
            if (path is null && !Console.IsOutputRedirected)
                throw new NodeException("Refusing to write binary pcap to a terminal: pipe it (softnet capture r1:eth0 | tcpdump -r -) or use -w FILE.");
            using var client = new NodeClient(NodeDirectory.From(result.GetValue(stateDir)).SocketPath);
            await using var output = path is null ? Console.OpenStandardOutput() : File.Create(path);
            var started = () => Console.Error.WriteLine($"capturing on {result.GetValue(port)}{(path is null ? "" : $" into {path}")}; Ctrl-C stops");
            long frames;
            try
            {
                frames = await client.CaptureAsync(result.GetValue(port)!, result.GetValue(count), output, started, cancellation);
            }
            catch (IOException) when (path is null)
            {
                return 0; // the reader of standard output went away (| head, tcpdump -c)
            }
            Console.Error.WriteLine($"{frames} frame(s) captured");
            return 0;
        }));
        return capture;
    }

    private static Command Down(Option<string?> stateDir)
    {
        var all = new Option<bool>("--all") { Description = "Also remove every Softnet namespace and link on this machine (sn-*, snv*), whoever made them." };
        var down = new Command("down", "Stop the hypervisor and remove every namespace, link and process it created; also after a crash or kill -9.");
        down.Options.Add(stateDir);
        down.Options.Add(all);
        down.SetAction((result, cancellation) => Handle(async console =>
        {
            var directory = NodeDirectory.From(result.GetValue(stateDir));
            RenderDown(await NodeDown.RunAsync(directory, result.GetValue(all), cancellation), directory, console);
            return 0;
        }));
        return down;
    }

    private static Command NodeRunCommand(Option<string?> stateDir)
    {
        var file = new Argument<string?>("FILE") { Arity = ArgumentArity.ZeroOrOne };
        var controller = GrpcEndpoint("The SDN controller's gRPC endpoint to follow.");
        var workers = new Option<int>("--workers") { DefaultValueFactory = _ => 1 };
        var detach = new Option<bool>("--detach") { Description = "Start a new session and close inherited descriptors (softnet up sends the standard streams to the log)." };
        var rated = RatedCapacity();
        var run = new Command("run", "Run the hypervisor in the foreground with its control API (softnet up starts this).");
        run.Arguments.Add(file);
        run.Options.Add(stateDir);
        run.Options.Add(workers);
        run.Options.Add(detach);
        run.Options.Add(controller);
        run.Options.Add(rated);
        run.SetAction(result => NodeRun.Run(result.GetValue(file), result.GetValue(controller), NodeDirectory.From(result.GetValue(stateDir)), result.GetValue(workers), result.GetValue(detach),
            result.GetValue(rated)));
        var node = new Command("node", "The node's hypervisor process.") { Hidden = true };
        node.Subcommands.Add(run);
        return node;
    }

    /// <summary>The <c>--rated-capacity</c> option of <c>up</c> and <c>node run</c>: positive, checked as the command line is read.</summary>
    private static Option<long?> RatedCapacity()
    {
        var option = new Option<long?>("--rated-capacity")
        {
            Description = "The node's rated capacity in byte-equivalents a second (bytes plus 64 per packet; bench isolation reports what one worker forwards): "
                + "each network is guaranteed its tokens' share of it and served first while it offers no more. Without it, networks are served by their tokens alone.",
        };
        option.Validators.Add(result =>
        {
            // A value that is no number at all is refused by the conversion; this refuses zero and negative ones.
            if (result.Tokens.Count == 1 && long.TryParse(result.Tokens[0].Value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var rated) && rated <= 0)
                result.AddError("--rated-capacity must be a positive number of byte-equivalents a second.");
        });
        return option;
    }

    /// <summary>The <c>--controller</c> option of <c>up</c> and <c>node run</c>: an absolute http URL, checked as the command line is read.</summary>
    private static Option<Uri?> GrpcEndpoint(string description) => new("--controller")
    {
        Description = description,
        CustomParser = argument =>
        {
            var text = argument.Tokens.Single().Value;
            if (Uri.TryCreate(text, UriKind.Absolute, out var address) && address.Scheme == "http") return address;
            argument.AddError($"--controller takes the controller's gRPC endpoint, http://HOST:PORT; found '{text}'.");
            return null;
        },
    };

    private static void RenderUp(UpResult up, IAnsiConsole console)
    {
        var table = new Table().Border(TableBorder.Rounded).BorderColor(Color.Grey)
            .AddColumns("network", "host", "namespace", "addresses", "gateway");
        foreach (var network in up.State.Networks)
            foreach (var host in network.Hosts)
            {
                var checks = up.Checks.Where(c => c.Network == network.Name && c.Host == host.Name).ToList();
                var gateway = checks.Count > 0
                    ? string.Join(", ", checks.Select(c => c.Reached ? $"{c.Gateway} [green]reached[/]" : $"{c.Gateway} [red]unreachable[/]"))
                    : Markup.Escape(string.Join(", ", host.Gateways));
                table.AddRow(Markup.Escape(network.Name), Markup.Escape(host.Name), Markup.Escape(host.Namespace ?? "(in memory)"), Markup.Escape(string.Join(", ", host.Addresses)), gateway);
            }
        console.Write(table);
        foreach (var failed in up.Checks.Where(c => !c.Reached))
            console.MarkupLine($"[red]{Markup.Escape($"{failed.Network}/{failed.Host} does not reach {failed.Gateway}: {failed.Output}")}[/]");
        console.MarkupLine(up.AllReached
            ? $"[green]up[/]: hypervisor pid {up.State.Pid} runs {Markup.Escape(up.State.TopologyFile)}. Try [bold]softnet exec HOST -- ping ...[/], [bold]softnet inspect[/]; stop with [bold]softnet down[/]."
            : $"[red]up, but not every host reaches its gateway[/]: hypervisor pid {up.State.Pid} is left running for [bold]softnet inspect[/]; stop it with [bold]softnet down[/].");
    }

    private static void RenderDown(DownResult down, NodeDirectory directory, IAnsiConsole console)
    {
        if (down.NothingToCleanUp) console.WriteLine("nothing to clean up");
        else
        {
            var pid = down.Pid;
            console.WriteLine(down.Stop switch
            {
                StopOutcome.Stopped => $"stopped the hypervisor (pid {pid})",
                StopOutcome.KilledUnresponsive => $"killed the hypervisor (pid {pid}): it did not answer on {directory.SocketPath}",
                StopOutcome.KilledSlow => $"killed the hypervisor (pid {pid}): it did not stop within {NodeDown.StopTimeout.TotalSeconds:0} s",
                StopOutcome.AlreadyGone => $"the hypervisor (pid {pid}) had already exited",
                _ => "no hypervisor was running",
            });
            foreach (var name in down.Removed.Namespaces) console.WriteLine($"removed namespace {name}");
            foreach (var name in down.Removed.Links) console.WriteLine($"removed link {name}");
            if (down.Swept > 0) console.WriteLine($"the sweep of every Softnet namespace and link removed {down.Swept}");
            if (down.StateRemoved) console.WriteLine($"removed {directory.StatePath}");
        }
        if (!down.Remaining.IsEmpty)
            console.WriteLine($"left alone: {string.Join(", ", down.Remaining.Namespaces.Concat(down.Remaining.Links))} (not this hypervisor's; softnet down --all removes them)");
    }

    private static async Task<int> Handle(Func<IAnsiConsole, Task<int>> action)
    {
        var console = AnsiConsole.Console;
        if (Console.IsOutputRedirected) console.Profile.Width = 200;
        try
        {
            return await action(console);
        }
        catch (NodeException e)
        {
            return Fail(e);
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("softnet: interrupted");
            return 130;
        }
    }

    private static int Fail(NodeException e)
    {
        Console.Error.WriteLine($"softnet: {e.Message}");
        return e.ExitCode;
    }

    /// <summary>Each step of a long command as a grey line.</summary>
    private sealed class ProgressLines(IAnsiConsole console) : IProgress<string>
    {
        public void Report(string value) => console.MarkupLine($"[grey]  {Markup.Escape(value)}[/]");
    }
}
