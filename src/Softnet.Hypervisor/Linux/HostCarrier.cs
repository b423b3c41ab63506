namespace Softnet.Hypervisor.Linux;

/// <summary>Host <paramref name="Host"/> of <paramref name="Network"/>: its interface stopped (<paramref name="Up"/> false) or started again carrying frames.</summary>
public sealed record HostCarrier(string Network, string Host, bool Up);
