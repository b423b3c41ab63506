namespace Softnet.Control.Store;

/// <summary>
/// A link of software network <paramref name="Network"/> that node <paramref name="Node"/> reported down at
/// <paramref name="Since"/> (offset kept as given); <paramref name="A"/> and <paramref name="B"/> are its ends as the
/// topology file writes them, <c>r1:eth1</c>. What the ends name, and whether the topology still has the link, is the
/// controller's business.
/// </summary>
public sealed record StoredLink(string Network, string A, string B, string Node, DateTimeOffset Since);
