using Softnet.Hypervisor.Runtime;

namespace Softnet.Cli.Node;

/// <summary>What the control API serves: the node's hypervisor, or a fake of it in tests.</summary>
public interface INodeService
{
    NodeStatus Status { get; }

    /// <summary>Every network, domain, port and counter; called only once <see cref="NodeStatus.Ready"/>.</summary>
    HypervisorSnapshot Inspect();

    /// <summary>Writes a pcap of <paramref name="port"/> to <paramref name="output"/> until the result is disposed.</summary>
    /// <exception cref="ArgumentException">No such port, or the name is ambiguous (the message says which ports there are).</exception>
    IDisposable Capture(string port, Stream output);

    /// <summary>Every link of every network, in the topology's order, with its state as the node sees it; called only once ready.</summary>
    IReadOnlyList<NodeLink> Links();

    /// <summary>
    /// Takes the link between <paramref name="a"/> and <paramref name="b"/> (<c>r1:eth1</c>, either order) of
    /// <paramref name="network"/> (null: the one network that has it) down as a pulled cable, or brings it back up;
    /// tells the controller when the node follows one. Called only once ready.
    /// </summary>
    /// <exception cref="NodeRequestException">400: a malformed end, or a link that several networks have; 404: no such network or link.</exception>
    Task<LinkChange> SetLinkAsync(string? network, string a, string b, bool up, CancellationToken cancellation);
}

/// <summary>
/// <c>GET /v1/status</c>: whether the hypervisor is ready (its hosts can send), who it is, and the steps it has
/// reported since it began to start.
/// </summary>
public sealed record NodeStatus(bool Ready, int Pid, string TopologyFile, DateTimeOffset Started, IReadOnlyList<string> Steps);
