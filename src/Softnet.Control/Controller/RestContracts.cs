using System.Text.Json.Serialization;
using Softnet.Control.Diff;
using Softnet.Control.Trace;
using Softnet.Hypervisor.Scheduling;
using Softnet.Hypervisor.Topology;

namespace Softnet.Control.Controller;

/// <summary>The body of every error of the REST API; <see cref="Problems"/> lists a refused file's errors by position.</summary>
public sealed record ErrorReply(string Error, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ProblemView>? Problems = null);

/// <summary>One error of a topology file or template, at a 1-based line and column.</summary>
public sealed record ProblemView(int Line, int Column, string Message);

/// <summary>One change of an apply; <see cref="Text"/> is the line <c>softnet apply</c> prints.</summary>
public sealed record ChangeView(ChangeKind Kind, string Network, string What, string Detail, string Text)
{
    public static ChangeView Of(TopologyChange change) => new(change.Kind, change.Network, change.What, change.Detail, change.ToString());
}

/// <summary>
/// The answer to <c>POST /v1/apply</c>: the changes, in order; <see cref="NewVersion"/> when they were applied (null
/// on a dry run or when nothing changed); <see cref="Version"/> is the controller's version after the request.
/// </summary>
public sealed record ApplyReply(bool DryRun, IReadOnlyList<ChangeView> Changes, ulong? NewVersion, ulong Version);

/// <summary>The body of <c>POST /v1/users</c>: the user's name and the template's YAML text (one network) and its file name.</summary>
public sealed record ConnectRequest(string? Name, string? Template, string? TemplateSource);

/// <summary>A connected user: their network, the template it came from, when, and its size.</summary>
public sealed record UserView(string Name, string Network, string TemplateSource, DateTimeOffset Connected, int Tokens, int Devices, int Hosts)
{
    public static UserView Of(UserInfo user) =>
        new(user.User, user.Network, user.TemplateSource, user.Connected, user.Tokens, user.Devices, user.Hosts);
}

public sealed record ConnectReply(UserView User, ulong Version);

public sealed record DisconnectReply(string Name, string Network, ulong Version);

/// <summary>The answer to <c>GET /v1/trace</c>: where the packet starts and goes, each hop and why, and how it ends.</summary>
public sealed record TraceView(string Network, string From, string To, TraceProtocol Protocol, ushort? Port, TraceOutcome Outcome, string Summary, IReadOnlyList<TraceHop> Hops)
{
    public static TraceView Of(TraceReport report) =>
        new(report.Network, report.From, report.To.ToString(), report.Protocol, report.Port, report.Result.Outcome, report.Result.Summary, report.Result.Hops);
}

/// <summary>The answer to <c>GET /v1/state</c>: the version, every network with its plan, the users, the nodes and admission figures.</summary>
public sealed record StateView(
    ulong Version,
    string? Source,
    IReadOnlyList<NetworkView> Networks,
    IReadOnlyList<UserView> Users,
    IReadOnlyList<NodeView> Nodes,
    AdmissionView Admission);

/// <summary>
/// A software network of the desired state; <see cref="User"/> is set for a user's network. Routes, labels and MAC
/// entries as a routing table shows them, made without the <see cref="DownLinks"/>.
/// </summary>
public sealed record NetworkView(
    string Name,
    NetworkArchitecture Architecture,
    int Tokens,
    PriorityKind Priority,
    string? User,
    int Devices,
    int Hosts,
    int Links,
    IReadOnlyList<DevicePlanView> Plan,
    IReadOnlyList<DownLinkView> DownLinks);

/// <summary>A link reported down (<c>r1:eth1 -- r2:eth0</c>), by which node, since when.</summary>
public sealed record DownLinkView(string Link, string Node, DateTimeOffset Since)
{
    public static DownLinkView Of(DownLink link) => new(link.Text, link.Node, link.Since);
}

/// <summary>A link of <see cref="Network"/> reported down (<c>r1:eth1 -- r2:eth0</c>), by which node, since when: an item of <c>GET /v1/links</c>.</summary>
public sealed record NetworkDownLinkView(string Network, string Link, string Node, DateTimeOffset Since);

/// <summary>
/// The body of <c>POST /v1/links</c>: node <see cref="Node"/> saw the link between <see cref="A"/> and <see cref="B"/>
/// (<c>r1:eth1</c>, either order) of <see cref="Network"/> go down (<see cref="Up"/> false) or come back up.
/// </summary>
public sealed record LinkRequest(string? Node, string? Network, string? A, string? B, bool? Up);

/// <summary>
/// The answer to <c>POST /v1/links</c>: the link as the topology writes it and its state; <see cref="NewVersion"/> the
/// version that routes accordingly (null when the link was already in that state); the network's links now down.
/// </summary>
public sealed record LinkReply(string Network, string Link, bool Up, ulong? NewVersion, ulong Version, IReadOnlyList<DownLinkView> Down)
{
    public static LinkReply Of(LinkResult result) =>
        new(result.Network, DownLink.Describe(result.Link), result.Up, result.NewVersion, result.Version, [.. result.Down.Select(DownLinkView.Of)]);
}

public sealed record DevicePlanView(string Device, IReadOnlyList<string> Routes, IReadOnlyList<string> Labels, IReadOnlyList<string> Macs);

/// <summary>A node that subscribed since the controller started: open subscriptions, last version sent, its capacity.</summary>
public sealed record NodeView(string Name, int Subscriptions, ulong Version, int Workers, int PacketBuffers, int BufferSize);

/// <summary>What admission control counts: used against available, for tokens, devices (cores) and packet buffers (memory).</summary>
public sealed record AdmissionView(int Tokens, int TokenBudget, int Devices, int DeviceLimit, long Buffers, int PacketBuffers);
