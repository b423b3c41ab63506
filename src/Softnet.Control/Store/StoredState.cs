namespace Softnet.Control.Store;

/// <summary>
/// The controller's desired state as one versioned value: the topology file (its YAML text and where it came from,
/// for error messages), the networks users are connected to, and the links nodes reported down. A store keeps the
/// last saved value whole; what <paramref name="Version"/> means, and that it grows, is the controller's business.
/// </summary>
/// <param name="Users">Loaded in ordinal order of <see cref="UserNetwork.User"/>; names are unique.</param>
public sealed record StoredState(ulong Version, string TopologyYaml, string TopologySource, IReadOnlyList<UserNetwork> Users)
{
    /// <summary>The links reported down, in the order the controller keeps them (none in a state saved before they were stored).</summary>
    public IReadOnlyList<StoredLink> DownLinks { get; init; } = [];
}
