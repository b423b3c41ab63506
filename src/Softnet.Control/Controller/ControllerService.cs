using System.Diagnostics;
using System.Text.RegularExpressions;
using Softnet.Control.Diff;
using Softnet.Control.Protos;
using Softnet.Control.Routing;
using Softnet.Control.Store;
using Softnet.Control.Trace;
using Softnet.Hypervisor.Forwarding;
using Softnet.Hypervisor.Topology;
using V1 = Softnet.Control.V1;

namespace Softnet.Control.Controller;

/// <summary>
/// The SDN controller (SPEC 6): holds the desired state, computes the forwarding plan of every software network
/// (only again for a network whose text changed, or one of whose links went down or came back up) and hands each new
/// version to the subscribed nodes. Every change is saved in the <see cref="IStateStore"/> before it is published or
/// acknowledged; a refused request changes nothing. The REST API, the gRPC service and the CLI are adapters over
/// these methods.
/// </summary>
public sealed partial class ControllerService
{
    /// <summary>The source name of the composed topology, in the nodes' error messages.</summary>
    public const string ComposedSource = "controller";

    private readonly IStateStore _store;
    private readonly AdmissionPolicy _admission;
    private readonly SemaphoreSlim _writer = new(1, 1);
    private readonly Lock _nodesLock = new();
    private readonly Dictionary<string, NodeRecord> _nodes = new(StringComparer.Ordinal);
    private volatile Published _current;

    private ControllerService(IStateStore store, AdmissionPolicy admission, ControllerMetrics metrics, Published initial)
    {
        _store = store;
        _admission = admission;
        Metrics = metrics;
        _current = initial;
        Observe(initial.State);
    }

    public ControllerMetrics Metrics { get; }

    public AdmissionPolicy Admission => _admission;

    /// <summary>The current version of the desired state.</summary>
    public ControllerState State => _current.State;

    public ulong Version => _current.State.Version;

    /// <summary>Open subscriptions of nodes.</summary>
    public int Subscribers
    {
        get
        {
            lock (_nodesLock) return _nodes.Values.Sum(n => n.Subscriptions);
        }
    }

    /// <summary>
    /// What admission control counts on: the least capacity of the nodes that subscribed since the controller started
    /// (each runs the whole desired state), or <see cref="NodeCapacity.Default"/> before any did.
    /// </summary>
    public NodeCapacity Capacity
    {
        get
        {
            lock (_nodesLock) return _nodes.Count == 0 ? NodeCapacity.Default : NodeCapacity.Least(_nodes.Values.Select(n => n.Capacity));
        }
    }

    /// <summary>The state <paramref name="store"/> holds, planned; an empty state (version 0) when it holds none.</summary>
    /// <exception cref="InvalidDataException">The stored state is not a valid desired state.</exception>
    public static async Task<ControllerService> LoadAsync(IStateStore store, AdmissionPolicy admission, ControllerMetrics metrics, CancellationToken ct)
    {
        var stored = await store.LoadAsync(ct);
        if (stored is null) return new ControllerService(store, admission, metrics, Published.Empty());
        try
        {
            if (stored.TopologyYaml.Length > 0) LoadFile(stored.TopologyYaml, stored.TopologySource);
            foreach (var user in stored.Users) LoadTemplate(user.TemplateYaml, user.TemplateSource);
            var users = stored.Users.OrderBy(u => u.User, StringComparer.Ordinal).ToList();
            var down = stored.DownLinks.GroupBy(l => l.Network, StringComparer.Ordinal).ToDictionary(g => g.Key,
                g => (IReadOnlyList<DownLink>)[.. g.Select(l => new DownLink(new LinkSpec(ParseEndpoint(l.A), ParseEndpoint(l.B)), l.Node, l.Since))],
                StringComparer.Ordinal);
            return new ControllerService(store, admission, metrics, Build(stored.Version, stored.TopologyYaml, stored.TopologySource, users, null, metrics, down));
        }
        catch (ControllerException e)
        {
            throw new InvalidDataException($"The state in {store.Describe} (version {stored.Version}) is not a valid desired state: {e.Message}", e);
        }
    }

    /// <summary>
    /// Makes <paramref name="yaml"/> the applied topology file (user networks stay), or with <paramref name="dryRun"/>
    /// only says what that would change. A file that changes nothing makes no version (one that differs only in
    /// comments or layout; one that differs in how it writes a value, such as quotes, makes a version with no change listed).
    /// </summary>
    /// <param name="source">The file's name, for error messages.</param>
    /// <exception cref="ControllerException">Invalid: the file does not load (every error with its line and column) or a
    /// network cannot be planned; Conflict: it declares a connected user's network.</exception>
    public async Task<ApplyResult> ApplyAsync(string yaml, string source, bool dryRun, CancellationToken ct)
    {
        try
        {
            var file = LoadFile(yaml, source);
            await _writer.WaitAsync(ct);
            try
            {
                var current = _current;
                var users = current.State.Users.Select(u => ControllerState.NetworkOf(u.User)).ToHashSet(StringComparer.Ordinal);
                if (file.Networks.FirstOrDefault(n => users.Contains(n.Name)) is { } taken)
                    throw new ControllerException(RefusalKind.Conflict,
                        $"{source}: network '{taken.Name}' is the network of connected user '{taken.Name["user-".Length..]}'; rename it or disconnect the user first");
                var next = Build(current.State.Version + 1, yaml, source, current.State.Users, current, Metrics);
                var changes = TopologyDiff.Between(current.State.Topology, next.State.Topology);
                if (dryRun || (changes.IsEmpty && next.State.TopologyYaml == current.State.TopologyYaml))
                {
                    Metrics.Applies.WithLabels(dryRun ? "dry_run" : "unchanged").Inc();
                    return new ApplyResult(changes, null, current.State.Version, dryRun);
                }
                await CommitAsync(next);
                Metrics.Applies.WithLabels("applied").Inc();
                return new ApplyResult(changes, next.State.Version, next.State.Version, false);
            }
            finally
            {
                _writer.Release();
            }
        }
        catch (ControllerException)
        {
            Metrics.Applies.WithLabels("refused").Inc();
            throw;
        }
    }

    /// <summary>
    /// Gives <paramref name="user"/> a software network, <c>user-NAME</c>, made from <paramref name="templateYaml"/>: a
    /// topology file of one network whose name is replaced.
    /// </summary>
    /// <exception cref="ControllerException">Invalid: a bad user name, a template that does not load or is not one
    /// network; Conflict: the user is connected already, or the applied file has a network of that name; Admission:
    /// the node's capacity cannot carry the network (the message says which resource and by how much).</exception>
    public async Task<ConnectResult> ConnectUserAsync(string user, string templateYaml, string source, CancellationToken ct)
    {
        CheckUserName(user);
        var template = LoadTemplate(templateYaml, source);
        var network = ControllerState.NetworkOf(user);
        await _writer.WaitAsync(ct);
        try
        {
            var current = _current.State;
            if (current.Users.FirstOrDefault(u => u.User == user) is { } connected)
                throw new ControllerException(RefusalKind.Conflict, $"user '{user}' is already connected (network {network}, since {connected.Connected:u})");
            if (current.Topology.Networks.Any(n => n.Name == network))
                throw new ControllerException(RefusalKind.Conflict, $"the applied file {current.BaseSource} has a network named '{network}'; user '{user}' cannot connect while it does");
            var decision = AdmissionDirector.Decide(_admission, Capacity, current.Topology.Networks, template with { Name = network });
            if (decision.Refused is { } resource)
            {
                Metrics.AdmissionRefusals.WithLabels(ControllerMetrics.Label(resource)).Inc();
                throw new ControllerException(RefusalKind.Admission, $"admission control refuses user '{user}': {decision.Reason}");
            }
            var entry = new UserNetwork(user, templateYaml, source, DateTimeOffset.UtcNow);
            var users = current.Users.Append(entry).OrderBy(u => u.User, StringComparer.Ordinal).ToList();
            var next = Build(current.Version + 1, current.BaseYaml, current.BaseSource, users, _current, Metrics);
            await CommitAsync(next);
            return new ConnectResult(Describe(entry, next.State.Topology), next.State.Version);
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>Removes <paramref name="user"/>'s network completely.</summary>
    /// <exception cref="ControllerException">NotFound: the user is not connected.</exception>
    public async Task<DisconnectResult> DisconnectUserAsync(string user, CancellationToken ct)
    {
        await _writer.WaitAsync(ct);
        try
        {
            var current = _current.State;
            if (!current.Users.Any(u => u.User == user))
                throw new ControllerException(RefusalKind.NotFound, $"user '{user}' is not connected{ConnectedList(current)}");
            var users = current.Users.Where(u => u.User != user).ToList();
            var next = Build(current.Version + 1, current.BaseYaml, current.BaseSource, users, _current, Metrics);
            await CommitAsync(next);
            return new DisconnectResult(user, ControllerState.NetworkOf(user), next.State.Version);
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>
    /// Records that the link between <paramref name="a"/> and <paramref name="b"/> (<c>r1:eth1</c>, in either order) of
    /// <paramref name="network"/> went down, or with <paramref name="up"/> came back up, as node <paramref name="node"/>
    /// saw it, and replans that network alone without the links now down. The new version has the same topology, so a
    /// node rebuilds nothing and changes only the routes and labels that moved, in place. A report that changes nothing
    /// (the link is already in that state) makes no version. Which links are down (<see cref="ControllerState.DownLinks"/>)
    /// is saved with the version before the report is acknowledged, so a restarted controller plans without them.
    /// </summary>
    /// <exception cref="ControllerException">Invalid: no node, network or endpoint given, or an endpoint that is not
    /// node:port; NotFound: no such network, or no such link in it.</exception>
    public async Task<LinkResult> ReportLinkAsync(string node, string network, string a, string b, bool up, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(node)) throw new ControllerException(RefusalKind.Invalid, "name the node that reports the link");
        if (string.IsNullOrWhiteSpace(network)) throw new ControllerException(RefusalKind.Invalid, "name the network of the link");
        var (first, second) = (ParseEndpoint(a), ParseEndpoint(b));
        await _writer.WaitAsync(ct);
        try
        {
            var current = _current;
            var state = current.State;
            var spec = state.Topology.Networks.FirstOrDefault(n => n.Name == network)
                ?? throw new ControllerException(RefusalKind.NotFound,
                    $"there is no network '{network}'{(state.Topology.Networks.Count == 0 ? "; no network is applied" : $"; networks: {string.Join(", ", state.Topology.Networks.Select(n => n.Name))}")}");
            var link = spec.Links.FirstOrDefault(l => (l.A == first && l.B == second) || (l.A == second && l.B == first))
                ?? throw new ControllerException(RefusalKind.NotFound,
                    $"network '{network}' has no link {first} -- {second}; its links: {string.Join(", ", spec.Links.Select(DownLink.Describe))}");
            var down = state.DownLinks.GetValueOrDefault(network) ?? [];
            if (down.Any(d => d.Link == link) != up) return new LinkResult(network, link, up, null, state.Version, down);

            IReadOnlyList<DownLink> next = up ? [.. down.Where(d => d.Link != link)] : [.. down, new DownLink(link, node, DateTimeOffset.UtcNow)];
            var started = Stopwatch.GetTimestamp();
            var plan = Plan(spec, state.Topology.Gateways, next, SourceOf(state.Users, state.BaseSource, network));
            Metrics.PlanSeconds.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
            var published = current.Replanned(state.Version + 1, network, plan, next);
            await CommitAsync(published);
            Metrics.LinkReports.WithLabels(up ? "up" : "down").Inc();
            return new LinkResult(network, link, up, published.State.Version, published.State.Version, next);
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>
    /// Takes node <paramref name="node"/>'s view of its links, as it subscribes: every link of <paramref name="down"/>
    /// (network, and its ends as <c>r1:eth1</c> in either order) is down as this node's report, and every link held down
    /// on this node's report that the view does not list is up again; the reports of other nodes stay. The networks
    /// that changed are replanned into one new version, saved before this returns. Entries the topology does not have
    /// (no such network or link, a malformed end) are left out and listed in <see cref="LinkViewResult.Ignored"/>: the
    /// node may have run another topology before this controller's.
    /// </summary>
    /// <exception cref="ControllerException">Invalid: no node name.</exception>
    public async Task<LinkViewResult> TakeLinkViewAsync(string node, IEnumerable<(string Network, string A, string B)> down, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(node)) throw new ControllerException(RefusalKind.Invalid, "name the node that reports the links");
        await _writer.WaitAsync(ct);
        try
        {
            var current = _current;
            var state = current.State;
            var ignored = new List<string>();
            var seen = new Dictionary<string, List<LinkSpec>>(StringComparer.Ordinal);
            foreach (var (network, a, b) in down)
            {
                if (state.Topology.Networks.FirstOrDefault(n => n.Name == network) is not { } spec)
                {
                    ignored.Add($"{network}: {a} -- {b}: there is no network '{network}'");
                    continue;
                }
                if (!TryParseEndpoint(a, out var first) || !TryParseEndpoint(b, out var second)
                    || spec.Links.FirstOrDefault(l => (l.A == first && l.B == second) || (l.A == second && l.B == first)) is not { } link)
                {
                    ignored.Add($"{network}: {a} -- {b}: network '{network}' has no such link");
                    continue;
                }
                var links = seen.TryGetValue(network, out var list) ? list : seen[network] = [];
                if (!links.Contains(link)) links.Add(link);
            }

            var published = current;
            var now = DateTimeOffset.UtcNow;
            var started = Stopwatch.GetTimestamp();
            var (wentDown, cameUp) = (0, 0);
            foreach (var spec in state.Topology.Networks)
            {
                var before = state.DownLinks.GetValueOrDefault(spec.Name) ?? [];
                var wanted = seen.GetValueOrDefault(spec.Name) ?? [];
                List<DownLink> next = [.. before.Where(d => d.Node != node || wanted.Contains(d.Link))];
                cameUp += before.Count - next.Count;
                foreach (var link in wanted.Where(l => next.All(d => d.Link != l)))
                {
                    next.Add(new DownLink(link, node, now));
                    wentDown++;
                }
                if (next.SequenceEqual(before)) continue;
                published = published.Replanned(state.Version + 1, spec.Name, Plan(spec, state.Topology.Gateways, next, SourceOf(state.Users, state.BaseSource, spec.Name)), next);
            }
            if (published == current) return new LinkViewResult(null, state.Version, ignored);
            Metrics.PlanSeconds.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
            await CommitAsync(published);
            Metrics.LinkReports.WithLabels("down").Inc(wentDown);
            Metrics.LinkReports.WithLabels("up").Inc(cameUp);
            return new LinkViewResult(published.State.Version, published.State.Version, ignored);
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>The connected users, in name order.</summary>
    public IReadOnlyList<UserInfo> Users()
    {
        var state = _current.State;
        return [.. state.Users.Select(u => Describe(u, state.Topology))];
    }

    /// <exception cref="ControllerException">NotFound: the user is not connected.</exception>
    public UserInfo User(string user)
    {
        var state = _current.State;
        return state.Users.FirstOrDefault(u => u.User == user) is { } entry
            ? Describe(entry, state.Topology)
            : throw new ControllerException(RefusalKind.NotFound, $"user '{user}' is not connected{ConnectedList(state)}");
    }

    /// <summary>The nodes that subscribed since the controller started, by name.</summary>
    public IReadOnlyList<NodeInfo> Nodes()
    {
        lock (_nodesLock)
            return [.. _nodes.OrderBy(n => n.Key, StringComparer.Ordinal).Select(n => new NodeInfo(n.Key, n.Value.Subscriptions, n.Value.Version, n.Value.Capacity))];
    }

    /// <summary>
    /// The path a packet from host <paramref name="from"/> (<c>h1</c>, or <c>lab/h1</c> when several networks have an
    /// h1) to <paramref name="destination"/> would take, computed from the current plans without sending anything,
    /// through the secure gateways into other networks where the path leads.
    /// </summary>
    /// <exception cref="ControllerException">Invalid: a malformed destination, an ambiguous host, a port with ICMP;
    /// NotFound: no such host.</exception>
    public TraceReport Trace(string from, string destination, TraceProtocol protocol, ushort? port)
    {
        if (!IpAddress.TryParse(destination, out var to))
            throw new ControllerException(RefusalKind.Invalid, $"'{destination}' is not an IPv4 or IPv6 address");
        if (port is not null && protocol == TraceProtocol.Icmp)
            throw new ControllerException(RefusalKind.Invalid, "a port applies to tcp and udp only");
        var state = _current.State;
        var slash = from.IndexOf('/');
        var (networkName, host) = slash < 0 ? (null, from) : (from[..slash], from[(slash + 1)..]);
        var candidates = state.Topology.Networks
            .Where(n => (networkName is null || n.Name == networkName) && n.Hosts.Any(h => h.Name == host))
            .ToList();
        var network = candidates.Count switch
        {
            1 => candidates[0],
            0 => throw new ControllerException(RefusalKind.NotFound, networkName is not null && !state.Topology.Networks.Any(n => n.Name == networkName)
                ? $"there is no network '{networkName}'"
                : $"there is no host '{from}'; hosts: {string.Join(", ", state.Topology.Networks.SelectMany(n => n.Hosts.Select(h => $"{n.Name}/{h.Name}")))}"),
            _ => throw new ControllerException(RefusalKind.Invalid,
                $"host '{host}' is in several networks ({string.Join(", ", candidates.Select(n => $"{n.Name}/{host}"))}); name one"),
        };
        try
        {
            return new TraceReport(network.Name, host, to, protocol, port, PacketTrace.Run(state.Topology, state.Plans, network.Name, host, to, protocol, port));
        }
        catch (ArgumentException e)
        {
            throw new ControllerException(RefusalKind.Invalid, e.Message);
        }
    }

    /// <summary>The first state newer than (or, after the store lost state, other than) <paramref name="known"/>; version 0 is never returned.</summary>
    internal async Task<(ControllerState State, V1.NodeState Message)> NextAsync(ulong known, CancellationToken ct)
    {
        while (true)
        {
            var published = _current;
            if (published.State.Version != 0 && published.State.Version != known) return (published.State, published.Message);
            await published.Next.Task.WaitAsync(ct);
        }
    }

    /// <summary>Records a node's subscription until the lease is disposed; the node's capacity joins admission control.</summary>
    internal NodeLease Attach(string node, NodeCapacity capacity, ulong version)
    {
        lock (_nodesLock)
        {
            if (!_nodes.TryGetValue(node, out var record)) _nodes[node] = record = new NodeRecord();
            record.Capacity = capacity;
            record.Version = version;
            record.Subscriptions++;
        }
        Metrics.Subscribers.Set(Subscribers);
        return new NodeLease(this, node);
    }

    private static TopologyFile LoadFile(string yaml, string source)
    {
        try
        {
            return TopologyLoader.Parse(yaml, source);
        }
        catch (TopologyException e)
        {
            throw new ControllerException(RefusalKind.Invalid, e.Message, e.Errors);
        }
    }

    private static SoftwareNetwork LoadTemplate(string yaml, string source)
    {
        var file = LoadFile(yaml, source);
        if (file.Networks.Count != 1)
            throw new ControllerException(RefusalKind.Invalid,
                $"{source}: a template declares one network; this one declares {file.Networks.Count} ({string.Join(", ", file.Networks.Select(n => n.Name))})");
        if (file.Gateways.Count > 0)
            throw new ControllerException(RefusalKind.Invalid, $"{source}: a template declares no gateway; this one declares {file.Gateways.Count}");
        return file.Networks[0];
    }

    private static Endpoint ParseEndpoint(string text) => TryParseEndpoint(text, out var endpoint)
        ? endpoint
        : throw new ControllerException(RefusalKind.Invalid, $"'{text}' is not a link endpoint; write node:port, such as r1:eth0");

    private static bool TryParseEndpoint(string text, out Endpoint endpoint)
    {
        var colon = text.IndexOf(':');
        var valid = colon > 0 && colon < text.Length - 1 && text.IndexOf(':', colon + 1) < 0 && !text.Any(char.IsWhiteSpace);
        endpoint = valid ? new Endpoint(text[..colon], text[(colon + 1)..]) : default;
        return valid;
    }

    private static void CheckUserName(string user)
    {
        if (!UserNamePattern().IsMatch(user))
            throw new ControllerException(RefusalKind.Invalid,
                $"'{user}' is not a user name: 1 to 63 letters, digits, '-' and '_', beginning with a letter or digit");
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$")]
    private static partial Regex UserNamePattern();

    private static string ConnectedList(ControllerState state) =>
        state.Users.Count == 0 ? " (no user is)" : $" (connected: {string.Join(", ", state.Users.Select(u => u.User))})";

    private static UserInfo Describe(UserNetwork user, TopologyFile topology)
    {
        var network = topology[ControllerState.NetworkOf(user.User)];
        return new UserInfo(user.User, network.Name, user.TemplateSource, user.Connected, network.Tokens, network.Devices.Count, network.Hosts.Count);
    }

    /// <summary>
    /// The state of <paramref name="version"/>: composed, loaded and planned, keeping the plans of
    /// <paramref name="previous"/> for networks whose text did not change. The links of <paramref name="previous"/>
    /// reported down stay down where the new topology still has them, and a network is planned without them.
    /// </summary>
    /// <param name="restored">The links down when there is no <paramref name="previous"/> state: those the store kept.</param>
    private static Published Build(ulong version, string baseYaml, string baseSource, IReadOnlyList<UserNetwork> users, Published? previous, ControllerMetrics metrics,
        IReadOnlyDictionary<string, IReadOnlyList<DownLink>>? restored = null)
    {
        var composition = TopologyComposer.Compose(baseYaml, users.Select(u => (ControllerState.NetworkOf(u.User), u.TemplateYaml)));
        var topology = composition.Yaml.Length == 0 ? new TopologyFile(ComposedSource, []) : LoadFile(composition.Yaml, ComposedSource);
        var plans = new Dictionary<string, NetworkPlan>(StringComparer.Ordinal);
        var down = StillDown(previous?.State.DownLinks ?? restored ?? new Dictionary<string, IReadOnlyList<DownLink>>(), topology);
        var started = Stopwatch.GetTimestamp();
        var planned = false;
        foreach (var network in topology.Networks)
        {
            var text = composition.NetworkTexts[network.Name];
            if (previous is not null && previous.NetworkTexts.TryGetValue(network.Name, out var before) && before == text
                && GatewaySides(previous.State.Topology, network.Name) == GatewaySides(topology, network.Name))
            {
                plans[network.Name] = previous.State.Plans[network.Name];
                continue;
            }
            plans[network.Name] = Plan(network, topology.Gateways, down.GetValueOrDefault(network.Name) ?? [], SourceOf(users, baseSource, network.Name));
            planned = true;
        }
        if (planned) metrics.PlanSeconds.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);

        var message = new V1.NodeState { Version = version, TopologyYaml = composition.Yaml };
        foreach (var network in topology.Networks) message.Plans.Add(PlanCodec.ToMessage(plans[network.Name]));
        var state = new ControllerState(version, composition.Yaml, topology, plans, baseYaml, baseSource, users) { DownLinks = down };
        return new Published(state, composition.NetworkTexts, message);
    }

    /// <summary>
    /// What a network's plan takes from the gateways that join it (<see cref="ForwardingPlanner.Plan(SoftwareNetwork, IReadOnlyList{GatewaySpec})"/>):
    /// each side's network, endpoint, addresses and routes, as one text to compare. A network whose own text and this
    /// are unchanged keeps its plan.
    /// </summary>
    private static string GatewaySides(TopologyFile topology, string network) =>
        string.Join('\n', topology.Gateways
            .Where(g => g.Sides.Any(s => s.Network == network))
            .OrderBy(g => g.Name, StringComparer.Ordinal)
            .SelectMany(g => g.Sides.Select(s =>
                $"{g.Name} {s.Network} {s.Endpoint} {string.Join(',', s.Addresses)} {string.Join(',', s.Routes.Select(r => $"{r.Prefix} {r.Via} {r.Port}"))}")));

    /// <summary>The plan of <paramref name="network"/> among <paramref name="gateways"/> (the topology's), without its links in <paramref name="down"/>.</summary>
    /// <param name="source">The file the network comes from, for the error message.</param>
    /// <exception cref="ControllerException">Invalid: the network cannot be planned.</exception>
    private static NetworkPlan Plan(SoftwareNetwork network, IReadOnlyList<GatewaySpec> gateways, IReadOnlyList<DownLink> down, string source)
    {
        try
        {
            return ForwardingPlanner.Plan(down.Count == 0 ? network : network with { Links = [.. network.Links.Where(l => down.All(d => d.Link != l))] }, gateways);
        }
        catch (ForwardingPlanException e)
        {
            throw new ControllerException(RefusalKind.Invalid, $"{source}: {e.Message}");
        }
    }

    private static string SourceOf(IReadOnlyList<UserNetwork> users, string baseSource, string network) =>
        users.FirstOrDefault(u => ControllerState.NetworkOf(u.User) == network)?.TemplateSource ?? baseSource;

    /// <summary>The links of <paramref name="down"/> that <paramref name="topology"/> still has (either way round), as it writes them.</summary>
    private static Dictionary<string, IReadOnlyList<DownLink>> StillDown(IReadOnlyDictionary<string, IReadOnlyList<DownLink>> down, TopologyFile topology)
    {
        var result = new Dictionary<string, IReadOnlyList<DownLink>>(StringComparer.Ordinal);
        foreach (var network in topology.Networks)
        {
            if (!down.TryGetValue(network.Name, out var links)) continue;
            List<DownLink> kept = [.. links.Select(d => network.Links.FirstOrDefault(l => l == d.Link || (l.A == d.Link.B && l.B == d.Link.A)) is { } link ? d with { Link = link } : null)
                .OfType<DownLink>()];
            if (kept.Count > 0) result[network.Name] = kept;
        }
        return result;
    }

    /// <summary>Saves <paramref name="next"/>, then makes it current and wakes the subscriptions. Neither step is cancelled halfway.</summary>
    private async Task CommitAsync(Published next)
    {
        var state = next.State;
        var links = state.Topology.Networks.SelectMany(n => (state.DownLinks.GetValueOrDefault(n.Name) ?? [])
            .Select(d => new StoredLink(n.Name, d.Link.A.ToString(), d.Link.B.ToString(), d.Node, d.Since)));
        await _store.SaveAsync(new StoredState(state.Version, state.BaseYaml, state.BaseSource, state.Users) { DownLinks = [.. links] }, CancellationToken.None);
        var previous = _current;
        _current = next;
        previous.Next.TrySetResult();
        Observe(state);
    }

    private void Observe(ControllerState state)
    {
        Metrics.Version.Set(state.Version);
        Metrics.Users.Set(state.Users.Count);
        Metrics.LinksDown.Set(state.DownLinks.Values.Sum(d => d.Count));
    }

    private void Detach(string node)
    {
        lock (_nodesLock) _nodes[node].Subscriptions--;
        Metrics.Subscribers.Set(Subscribers);
    }

    private void Sent(string node, ulong version)
    {
        lock (_nodesLock) _nodes[node].Version = version;
    }

    /// <summary>A published version, its message for the nodes, and the signal of the next one.</summary>
    private sealed class Published(ControllerState state, IReadOnlyDictionary<string, string> networkTexts, V1.NodeState message)
    {
        /// <summary>Version 0; each controller has its own, as it has its own signal.</summary>
        public static Published Empty() => new(
            new ControllerState(0, "", new TopologyFile(ComposedSource, []), new Dictionary<string, NetworkPlan>(), "", "", []),
            new Dictionary<string, string>(),
            new V1.NodeState());

        public ControllerState State { get; } = state;
        public IReadOnlyDictionary<string, string> NetworkTexts { get; } = networkTexts;
        public V1.NodeState Message { get; } = message;
        public TaskCompletionSource Next { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>This state as <paramref name="version"/>, with <paramref name="plan"/> for <paramref name="network"/> made without <paramref name="down"/>; the topology and every other plan as they are.</summary>
        public Published Replanned(ulong version, string network, NetworkPlan plan, IReadOnlyList<DownLink> down)
        {
            var plans = new Dictionary<string, NetworkPlan>(State.Plans, StringComparer.Ordinal) { [network] = plan };
            var downLinks = new Dictionary<string, IReadOnlyList<DownLink>>(State.DownLinks, StringComparer.Ordinal);
            if (down.Count == 0) downLinks.Remove(network);
            else downLinks[network] = down;
            var message = new V1.NodeState { Version = version, TopologyYaml = Message.TopologyYaml };
            // The other networks' messages are shared with this version's: they are never changed once published.
            foreach (var p in Message.Plans) message.Plans.Add(p.Network == network ? PlanCodec.ToMessage(plan) : p);
            return new Published(State with { Version = version, Plans = plans, DownLinks = downLinks }, NetworkTexts, message);
        }
    }

    private sealed class NodeRecord
    {
        public NodeCapacity Capacity { get; set; } = NodeCapacity.Default;
        public int Subscriptions { get; set; }
        public ulong Version { get; set; }
    }

    /// <summary>One open subscription of a node.</summary>
    internal sealed class NodeLease(ControllerService controller, string node) : IDisposable
    {
        public void Sent(ulong version) => controller.Sent(node, version);

        public void Dispose() => controller.Detach(node);
    }
}
