namespace Softnet.Cli.Node;

/// <summary>Why the node holds a link down.</summary>
public enum LinkCause
{
    /// <summary><c>softnet link down</c> (or <c>POST /v1/links</c>): a cable pulled on purpose; only an operator brings it back.</summary>
    Operator,

    /// <summary>A host's interface stopped carrying frames (taken down in its namespace); it comes back with the carrier.</summary>
    Carrier,
}

/// <summary>
/// A link of a software network as the node sees it: <see cref="Link"/> as the topology file writes it
/// (<c>r1:eth1 -- r2:eth0</c>); when down, since when and why.
/// </summary>
public sealed record NodeLink(string Network, string Link, bool Up, DateTimeOffset? Since, LinkCause? Cause);

/// <summary>
/// The answer to <c>POST /v1/links</c>: the link now, whether the request changed it, and, when the node follows a
/// controller, the controller's version that routes accordingly or why the controller was not told (the node keeps
/// the link as asked and tells the controller when it subscribes again).
/// </summary>
public sealed record LinkChange(NodeLink Link, bool Changed, ulong? ControllerVersion, string? ControllerError);

/// <summary>
/// The body of <c>POST /v1/links</c>: the link between <see cref="A"/> and <see cref="B"/> (<c>r1:eth1</c>, either
/// order) of <see cref="Network"/> (may be left out when one network only has that link) goes down (<see cref="Up"/>
/// false) or up.
/// </summary>
public sealed record NodeLinkRequest(string? Network, string? A, string? B, bool? Up);
