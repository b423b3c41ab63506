namespace Softnet.Urbanization;

/// <summary>How lightly loaded hosts are emptied so they can be switched off.</summary>
public abstract record UnderloadPolicy
{
    private protected UnderloadPolicy() { }

    /// <summary>Never empty hosts for consolidation.</summary>
    public sealed record None : UnderloadPolicy;

    /// <summary>
    /// CloudSim's rule: repeatedly take the least utilized active host and move all of its devices away, or none of them
    /// when one cannot be placed; until every host has been considered.
    /// </summary>
    public sealed record LeastUtilizedFirst : UnderloadPolicy;
}
