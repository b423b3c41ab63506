namespace Softnet.Control.Diff;

/// <summary>Every difference between two topology files, in the order <see cref="TopologyDiff.Between"/> lists them.</summary>
public sealed record TopologyChanges(IReadOnlyList<TopologyChange> Changes)
{
    public bool IsEmpty => Changes.Count == 0;

    /// <summary>The networks with at least one change (added, removed or changed), in ordinal order.</summary>
    public IReadOnlySet<string> TouchedNetworks => new SortedSet<string>(Changes.Select(c => c.Network), StringComparer.Ordinal);

    public bool Equals(TopologyChanges? other) => other is not null && Changes.SequenceEqual(other.Changes);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var change in Changes) hash.Add(change);
        return hash.ToHashCode();
    }

    /// <summary>One change per line.</summary>
    public override string ToString() => string.Join('\n', Changes);
}
