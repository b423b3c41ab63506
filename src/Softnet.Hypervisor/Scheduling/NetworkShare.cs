namespace Softnet.Hypervisor.Scheduling;

/// <summary>A domain's share of its software network's tokens on this node (SPEC 4.1).</summary>
public sealed record DomainShare(string Name, int BaseTokens);

/// <summary>A software network's base tokens on this node, its priority and its domains (SPEC 4.1).</summary>
public sealed record NetworkShare(string Name, int BaseTokens, PriorityKind Priority, IReadOnlyList<DomainShare> Domains)
{
    /// <summary>A network with a single domain of the same name.</summary>
    public static NetworkShare Single(string name, int baseTokens, PriorityKind priority = PriorityKind.None) =>
        new(name, baseTokens, priority, [new DomainShare(name, 1)]);
}
