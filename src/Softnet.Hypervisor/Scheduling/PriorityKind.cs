namespace Softnet.Hypervisor.Scheduling;

/// <summary>How a software network is favoured by the token scheduler (SPEC 4.5, 4.6).</summary>
public enum PriorityKind
{
    /// <summary>Served in proportion to its base tokens only.</summary>
    None,

    /// <summary>Spends its positive tokens before the others (SPEC 4.5).</summary>
    Relative,

    /// <summary>Relative, and also first in line for excess capacity once its tokens are spent (SPEC 4.6).</summary>
    Accentuated,
}
