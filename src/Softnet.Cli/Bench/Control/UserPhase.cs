using System.Diagnostics;

namespace Softnet.Cli.Bench.Control;

/// <summary>One user's connection: from the REST call until the node had installed the user's network, and until it carried a datagram.</summary>
internal sealed record UserRun(string User, double InstalledMs, double ReadyMs);

/// <summary>
/// <c>user_ready_ms</c>: users connect through <c>ControllerApi.ConnectUserAsync</c> with examples/user-template.yaml
/// (h1 — r1 — h2) while the other networks run; each is ready when its network carries a datagram h1 → h2. Each user
/// is disconnected, and its network gone from the node, before the next connects; a first user, unmeasured, warms up.
/// </summary>
internal static class UserPhase
{
    private const ushort Port = 5001;

    public static IReadOnlyList<UserRun> Run(ControlNode node, string examples, int users, TextWriter output)
    {
        var (template, network) = ControlTopologies.UserTemplate(examples);
        var (h1, h2) = (network.Hosts[0], network.Hosts[1]);
        var source = Path.Combine("examples", "user-template.yaml");
        var hosts = node.Hosts;
        var results = new List<UserRun>();
        // User 0 connects first, unmeasured: it compiles the way through the controller and the node.
        for (var i = 0; i <= users; i++)
        {
            var user = $"bench{i}";
            var name = Softnet.Control.Controller.ControllerState.NetworkOf(user);
            var sender = hosts.Create(h1.Name, h1.Addresses[0].ToString(), h1.Gateways[0].ToString(), "10.0.0.0/8");
            var receiver = hosts.Create(h2.Name, h2.Addresses[0].ToString(), h2.Gateways[0].ToString(), "10.0.0.0/8");
            var start = Stopwatch.GetTimestamp();
            var connected = hosts.Await(node.Api.ConnectUserAsync(user, template, source, CancellationToken.None), ControlNode.Patience, $"the controller's answer to connect {user}");
            node.AwaitVersion(connected.Version, $"{user} connected");
            var installed = Stopwatch.GetTimestamp();
            hosts.Attach(name, sender);
            hosts.Attach(name, receiver);
            var stream = hosts.Stream(sender, receiver, h2.Addresses[0].Address.ToString(), Port, TwentyNetworksPhase.StreamRate);
            stream.WatchFromNext();
            hosts.RunUntil(() => stream.WatchedArrival != 0, ControlNode.Patience, $"a datagram across {name}");
            if (i > 0)
            {
                results.Add(new UserRun(user, Ms(installed - start), Ms(stream.WatchedArrival - start)));
                output.WriteLine($"    user {i}/{users} {user}: network installed after {results[^1].InstalledMs:0.0} ms, carrying traffic after {results[^1].ReadyMs:0.0} ms");
            }

            hosts.Remove(stream);
            var gone = hosts.Await(node.Api.DisconnectUserAsync(user, CancellationToken.None), ControlNode.Patience, $"the controller's answer to disconnect {user}");
            node.AwaitVersion(gone.Version, $"{user} disconnected");
            hosts.RemoveHost(name, sender);
            hosts.RemoveHost(name, receiver);
        }
        return results;
    }

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
