namespace Softnet.Hypervisor.Scheduling;

/// <summary>
/// The scheduler's decision: <see cref="Domain"/> runs next and may spend up to <see cref="Budget"/>
/// byte-equivalents; the caller always serves at least one packet, then charges what it really spent.
/// </summary>
public readonly record struct Turn(DomainId Domain, long Budget);
