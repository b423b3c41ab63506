using System.CommandLine;
using System.Net;
using Microsoft.Extensions.Logging;
using Softnet.Control.Client;
using Softnet.Control.Controller;
using Softnet.Control.Store;
using Softnet.Control.Trace;
using Spectre.Console;

namespace Softnet.Cli.Control;

/// <summary>
/// The control plane on the command line (docs/control.md): <c>controller</c> runs the SDN controller; <c>apply</c>,
/// <c>user connect|disconnect|list</c> and <c>trace</c> are thin clients of its REST API (<see cref="ControllerApi"/>).
/// Errors go to standard error as <c>softnet: ...</c> with exit code 1.
/// </summary>
public static class ControlCommands
{
    public const string DefaultStateDir = "/var/lib/softnet/controller";

    public static void Register(RootCommand root)
    {
        var controller = new Option<Uri>("--controller")
        {
            Description = "The controller's REST address.",
            DefaultValueFactory = _ => ControllerApi.DefaultAddress,
            CustomParser = argument =>
            {
                var text = argument.Tokens.Single().Value;
                if (Uri.TryCreate(text, UriKind.Absolute, out var address) && address.Scheme is "http" or "https") return address;
                argument.AddError($"--controller takes the controller's REST address, http://HOST:PORT; found '{text}'.");
                return null;
            },
        };
        root.Subcommands.Add(Controller());
        root.Subcommands.Add(Apply(controller));
        root.Subcommands.Add(User(controller));
        root.Subcommands.Add(Trace(controller));
    }

    private static Command Controller()
    {
        var listen = new Option<string>("--listen") { Description = "Address:port of the REST API (HTTP/1.1).", DefaultValueFactory = _ => ControllerHostOptions.DefaultRest.ToString() };
        var grpc = new Option<string>("--grpc") { Description = "Address:port of the nodes' gRPC subscription (HTTP/2 without TLS).", DefaultValueFactory = _ => ControllerHostOptions.DefaultGrpc.ToString() };
        var stateDir = new Option<string>("--state-dir") { Description = "Where the desired state is kept (state.json) unless --etcd.", DefaultValueFactory = _ => DefaultStateDir };
        var etcd = new Option<string?>("--etcd") { Description = "Keep the desired state in etcd instead, under /softnet/: client URLs, comma-separated (http://10.0.0.1:2379,...)." };
        var tokens = new Option<int>("--capacity-tokens") { Description = "The node's budget of base tokens for admission control.", DefaultValueFactory = _ => new AdmissionPolicy().TokenBudget };
        var command = new Command("controller", "Run the SDN controller: it holds the desired state, computes every network's forwarding and streams both to the nodes (softnet up --controller); Ctrl-C stops it.");
        command.Options.Add(listen);
        command.Options.Add(grpc);
        command.Options.Add(stateDir);
        command.Options.Add(etcd);
        command.Options.Add(tokens);
        command.SetAction((result, cancellation) => Handle(async _ =>
        {
            var rest = Endpoint(result.GetValue(listen)!, "--listen");
            var subscriptions = Endpoint(result.GetValue(grpc)!, "--grpc");
            if (result.GetValue(tokens) < 1) throw new CommandException("--capacity-tokens must be at least 1.");
            await using IStateStore store = result.GetValue(etcd) is { } endpoints ? new EtcdStateStore(endpoints) : new FileStateStore(result.GetValue(stateDir)!);
            ControllerHost host;
            try
            {
                host = await ControllerHost.StartAsync(new ControllerHostOptions(rest, subscriptions, store)
                {
                    Admission = new AdmissionPolicy(TokenBudget: result.GetValue(tokens)),
                    Logging = logging => logging.AddSimpleConsole(console =>
                    {
                        console.SingleLine = true;
                        console.TimestampFormat = "HH:mm:ss ";
                    })
                    .AddFilter("Microsoft", LogLevel.Warning)
                    // A failure to start is reported once, below, without the host's stack trace.
                    .AddFilter("Microsoft.Extensions.Hosting", LogLevel.None),
                }, cancellation);
            }
            catch (Exception e) when (e is IOException or StateStoreException or InvalidDataException)
            {
                throw new CommandException($"The controller cannot start: {e.Message}");
            }
            await using (host)
            {
                Console.WriteLine($"controller: REST on {host.RestAddress}, gRPC on {host.GrpcAddress}, state in {store.Describe} at version {host.Service.Version}; Ctrl-C stops it");
                await host.WaitForShutdownAsync(cancellation);
            }
            Console.WriteLine("controller: stopped");
            return 0;
        }));
        return command;
    }

    private static Command Apply(Option<Uri> controller)
    {
        var file = new Argument<string>("FILE") { Description = "The topology file (docs/topology.md)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Only print what the file would change." };
        var command = new Command("apply", "Make FILE the desired topology: prints each change, one per line, then the version; what did not change is left alone.");
        command.Arguments.Add(file);
        command.Options.Add(dryRun);
        command.Options.Add(controller);
        command.SetAction((result, cancellation) => Handle(async _ =>
        {
            var path = result.GetValue(file)!;
            var yaml = Read(path);
            using var api = new ControllerApi(result.GetValue(controller)!);
            var reply = await api.ApplyAsync(yaml, path, result.GetValue(dryRun), cancellation);
            foreach (var change in reply.Changes) Console.WriteLine(change.Text);
            Console.WriteLine(reply switch
            {
                { DryRun: true } => $"dry run, nothing applied; version {reply.Version}",
                { NewVersion: { } version } => $"version {version}",
                _ => $"no change; version {reply.Version}",
            });
            return 0;
        }));
        return command;
    }

    private static Command User(Option<Uri> controller)
    {
        var name = new Argument<string>("NAME") { Description = "The user's name; their network is user-NAME." };
        var template = new Option<string>("--template") { Description = "A topology file of one network, the user's network's pattern (its name is replaced).", Required = true };
        var connect = new Command("connect", "Connect a user: make their software network from the template, unless admission control refuses it (the reason is printed).");
        connect.Arguments.Add(name);
        connect.Options.Add(template);
        connect.Options.Add(controller);
        connect.SetAction((result, cancellation) => Handle(async _ =>
        {
            var path = result.GetValue(template)!;
            using var api = new ControllerApi(result.GetValue(controller)!);
            var reply = await api.ConnectUserAsync(result.GetValue(name)!, Read(path), path, cancellation);
            var user = reply.User;
            Console.WriteLine($"{user.Name} connected: network {user.Network} ({user.Tokens} tokens, {user.Devices} device(s), {user.Hosts} host(s)); version {reply.Version}");
            return 0;
        }));

        var disconnect = new Command("disconnect", "Disconnect a user: remove their software network completely.");
        disconnect.Arguments.Add(name);
        disconnect.Options.Add(controller);
        disconnect.SetAction((result, cancellation) => Handle(async _ =>
        {
            using var api = new ControllerApi(result.GetValue(controller)!);
            var reply = await api.DisconnectUserAsync(result.GetValue(name)!, cancellation);
            Console.WriteLine($"{reply.Name} disconnected: network {reply.Network} removed; version {reply.Version}");
            return 0;
        }));

        var list = new Command("list", "List the connected users and their networks.");
        list.Options.Add(controller);
        list.SetAction((result, cancellation) => Handle(async console =>
        {
            using var api = new ControllerApi(result.GetValue(controller)!);
            var users = await api.UsersAsync(cancellation);
            if (users.Count == 0)
            {
                console.WriteLine("no user is connected");
                return 0;
            }
            var table = new Table().Border(TableBorder.Rounded).BorderColor(Color.Grey)
                .AddColumns("user", "network", "tokens", "devices", "hosts", "template", "connected");
            foreach (var u in users)
                table.AddRow(Markup.Escape(u.Name), Markup.Escape(u.Network), $"{u.Tokens}", $"{u.Devices}", $"{u.Hosts}", Markup.Escape(u.TemplateSource), $"{u.Connected.ToLocalTime():yyyy-MM-dd HH:mm:ss}");
            console.Write(table);
            return 0;
        }));

        var command = new Command("user", "Per-user software networks: connect, disconnect, list.");
        command.Subcommands.Add(connect);
        command.Subcommands.Add(disconnect);
        command.Subcommands.Add(list);
        return command;
    }

    private static Command Trace(Option<Uri> controller)
    {
        var host = new Argument<string>("HOST") { Description = "The sending host: h1, or lab/h1 when several networks have an h1." };
        var destination = new Argument<string>("DEST") { Description = "The destination address, IPv4 or IPv6." };
        var proto = new Option<string>("--proto") { Description = "icmp, tcp or udp.", DefaultValueFactory = _ => "icmp" };
        proto.AcceptOnlyFromAmong("icmp", "tcp", "udp");
        var port = new Option<ushort?>("--port") { Description = "The destination port (tcp and udp)." };
        var command = new Command("trace", "Show the path a packet would take through its network's devices and why at each hop (FIB entry, label, VLAN), without sending it.");
        command.Arguments.Add(host);
        command.Arguments.Add(destination);
        command.Options.Add(proto);
        command.Options.Add(port);
        command.Options.Add(controller);
        command.SetAction((result, cancellation) => Handle(async _ =>
        {
            using var api = new ControllerApi(result.GetValue(controller)!);
            var protocol = Enum.Parse<TraceProtocol>(result.GetValue(proto)!, ignoreCase: true);
            var trace = await api.TraceAsync(result.GetValue(host)!, result.GetValue(destination)!, protocol, result.GetValue(port), cancellation);
            var what = trace.Port is { } p ? $"{trace.Protocol.ToString().ToLowerInvariant()} port {p}" : trace.Protocol.ToString().ToLowerInvariant();
            Console.WriteLine($"{trace.Network}/{trace.From} -> {trace.To} ({what})");
            for (var i = 0; i < trace.Hops.Count; i++) Console.WriteLine($"{i + 1,3}  {trace.Hops[i]}");
            Console.WriteLine($"{trace.Outcome.ToString().ToLowerInvariant()}: {trace.Summary}");
            return 0;
        }));
        return command;
    }

    /// <summary>An IP endpoint written address:port (<c>127.0.0.1:7470</c>, <c>[::1]:7470</c>, <c>localhost:7470</c>).</summary>
    private static IPEndPoint Endpoint(string text, string option)
    {
        if (text.StartsWith("localhost:", StringComparison.OrdinalIgnoreCase)) text = "127.0.0.1" + text["localhost".Length..];
        return IPEndPoint.TryParse(text, out var endpoint) && endpoint.Port > 0
            ? endpoint
            : throw new CommandException($"{option} takes address:port (127.0.0.1:7470, [::1]:7470); found '{text}'.");
    }

    private static string Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandException($"Cannot read {path}: {e.Message}");
        }
    }

    private static async Task<int> Handle(Func<IAnsiConsole, Task<int>> action)
    {
        var console = AnsiConsole.Console;
        if (Console.IsOutputRedirected) console.Profile.Width = 200;
        try
        {
            return await action(console);
        }
        catch (Exception e) when (e is ControllerApiException or CommandException)
        {
            Console.Error.WriteLine($"softnet: {e.Message}");
            return 1;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("softnet: interrupted");
            return 130;
        }
    }

    /// <summary>A command's own refusal, before or besides the controller: bad options, an unreadable file.</summary>
    private sealed class CommandException(string message) : Exception(message);
}
