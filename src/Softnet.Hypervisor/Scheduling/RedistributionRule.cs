namespace Softnet.Hypervisor.Scheduling;

/// <summary>What a redistribution of base tokens (SPEC 4.4) does to the existing balances.</summary>
public enum RedistributionRule
{
    /// <summary>Each balance gains its base allocation; surplus and debt carry over within the clamps.</summary>
    AddBase,

    /// <summary>Each balance is reset to its base allocation; surplus and debt are forgotten.</summary>
    ResetToBase,
}
