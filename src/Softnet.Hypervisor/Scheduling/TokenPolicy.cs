namespace Softnet.Hypervisor.Scheduling;

/// <summary>
/// The node-wide parameters of the token scheduler. Tokens are counted in byte-equivalents:
/// a packet of n bytes costs n + <see cref="PerPacketCost"/> (SPEC 4.2).
/// </summary>
/// <param name="PerPacketCost">Fixed cost of one packet, in byte-equivalents.</param>
/// <param name="BytesPerToken">Byte-equivalents that one base token is worth at each redistribution.</param>
/// <param name="Quantum">Byte-equivalents a domain may spend in one turn (at least one packet is always allowed).</param>
/// <param name="DebtClamp">Deepest debt, as a multiple of the account's base allocation (SPEC 4.7).</param>
/// <param name="HoardClamp">Largest balance, as a multiple of the account's base allocation (SPEC 4.7).</param>
/// <param name="Redistribution">How balances are refilled when SPEC 4.4 triggers.</param>
public sealed record TokenPolicy(
    long PerPacketCost,
    long BytesPerToken,
    long Quantum,
    double DebtClamp,
    double HoardClamp,
    RedistributionRule Redistribution)
{
    /// <summary>
    /// 64 byte-equivalents per packet, 16 KB per token, debt clamped at two allocations, hoard at 32.
    /// Turns of 512 byte-equivalents (about 50 us at 10 MB/s): a waiting packet is delayed by at most
    /// one short turn of a flooding network, so real-time traffic keeps microsecond delays (SPEC 3).
    /// </summary>
    /// <remarks>
    /// A round (every network spending its allocation once) of 16 tokens lasts about 0.2 ms on a core of 1.5 G
    /// byte-equivalents a second, so 32 allocations hold some 6 ms of a network's own rate: what a network that
    /// keeps below its guarantee banks while the machine is fast, to spend ahead of a flood when the machine slows
    /// down for tens of milliseconds (a virtual machine does, by 10 % and more). It remains a small burst for the
    /// node: a 1-token network of 16 banks 32 allocations, 2 rounds' work. Debt stays at two allocations, so a
    /// network that borrowed idle capacity is back among those with tokens within two rounds.
    /// </remarks>
    public static TokenPolicy Default { get; } = new(64, 16_384, 512, 2.0, 32.0, RedistributionRule.AddBase);

    /// <summary>Cost of <paramref name="packets"/> packets totalling <paramref name="bytes"/> bytes.</summary>
    public long Cost(long bytes, long packets) => bytes + packets * PerPacketCost;

    internal void Validate()
    {
        if (PerPacketCost < 0) throw new ArgumentOutOfRangeException(nameof(PerPacketCost));
        if (BytesPerToken <= 0) throw new ArgumentOutOfRangeException(nameof(BytesPerToken));
        if (Quantum <= 0) throw new ArgumentOutOfRangeException(nameof(Quantum));
        if (!(DebtClamp >= 0)) throw new ArgumentOutOfRangeException(nameof(DebtClamp));
        if (!(HoardClamp >= 1)) throw new ArgumentOutOfRangeException(nameof(HoardClamp), "a balance must be able to hold one allocation");
    }
}
