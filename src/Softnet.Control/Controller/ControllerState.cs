using Softnet.Control.Diff;
using Softnet.Control.Store;
using Softnet.Control.Trace;
using Softnet.Hypervisor.Forwarding;
using Softnet.Hypervisor.Topology;

namespace Softnet.Control.Controller;

/// <summary>
/// One version of the desired state. <see cref="Topology"/> is <see cref="TopologyYaml"/> loaded: the applied file
/// (<see cref="BaseYaml"/>, empty before the first apply) followed by each user's network, in user order.
/// <see cref="Plans"/> holds the forwarding plan of every one of its networks, each made without the network's
/// <see cref="DownLinks"/>. Version 0 is the state before any change: no network, and nothing is sent to nodes.
/// </summary>
public sealed record ControllerState(
    ulong Version,
    string TopologyYaml,
    TopologyFile Topology,
    IReadOnlyDictionary<string, NetworkPlan> Plans,
    string BaseYaml,
    string BaseSource,
    IReadOnlyList<UserNetwork> Users)
{
    private static readonly IReadOnlyDictionary<string, IReadOnlyList<DownLink>> NoDownLinks = new Dictionary<string, IReadOnlyList<DownLink>>();

    /// <summary>
    /// The links that nodes reported down, by network (a network with none is absent), in the order reported. Saved
    /// with the state: a restarted controller keeps them down.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<DownLink>> DownLinks { get; init; } = NoDownLinks;

    /// <summary>The name of <paramref name="user"/>'s software network.</summary>
    public static string NetworkOf(string user) => $"user-{user}";
}

/// <summary>A link of a network that <see cref="Node"/> reported down at <see cref="Since"/>; <see cref="Link"/> is the topology's own.</summary>
public sealed record DownLink(LinkSpec Link, string Node, DateTimeOffset Since)
{
    /// <summary>The link as <c>r1:eth1 -- r2:eth0</c>.</summary>
    public string Text => Describe(Link);

    public static string Describe(LinkSpec link) => $"{link.A} -- {link.B}";
}

/// <summary>
/// The outcome of a link report: the link as the topology writes it, whether it is now up, the new version
/// (<see cref="NewVersion"/> null when the link was already in that state) and the network's links now down.
/// </summary>
public sealed record LinkResult(string Network, LinkSpec Link, bool Up, ulong? NewVersion, ulong Version, IReadOnlyList<DownLink> Down);

/// <summary>
/// The outcome of a node's view of its links (<see cref="ControllerService.TakeLinkViewAsync"/>): the version that
/// routes accordingly (<see cref="NewVersion"/> null when the view changed nothing) and the entries left out, each
/// with why.
/// </summary>
public sealed record LinkViewResult(ulong? NewVersion, ulong Version, IReadOnlyList<string> Ignored);

/// <summary>The outcome of an apply: the changes it makes (or would make); <see cref="NewVersion"/> is null when it made none.</summary>
public sealed record ApplyResult(TopologyChanges Changes, ulong? NewVersion, ulong Version, bool DryRun);

/// <summary>A connected user and the size of the network made for them.</summary>
public sealed record UserInfo(string User, string Network, string TemplateSource, DateTimeOffset Connected, int Tokens, int Devices, int Hosts);

public sealed record ConnectResult(UserInfo User, ulong Version);

public sealed record DisconnectResult(string User, string Network, ulong Version);

/// <summary>A trace of a packet from <see cref="Network"/>/<see cref="From"/> to <see cref="To"/>.</summary>
public sealed record TraceReport(string Network, string From, IpAddress To, TraceProtocol Protocol, ushort? Port, TraceResult Result);

/// <summary>A node that subscribed since the controller started; <see cref="Version"/> is the last one it was sent (or reported).</summary>
public sealed record NodeInfo(string Node, int Subscriptions, ulong Version, NodeCapacity Capacity);
