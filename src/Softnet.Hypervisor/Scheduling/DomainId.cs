namespace Softnet.Hypervisor.Scheduling;

/// <summary>A domain by position: index of its network in the scheduler, index of the domain within it.</summary>
public readonly record struct DomainId(int Network, int Domain)
{
    public override string ToString() => $"{Network}.{Domain}";
}
