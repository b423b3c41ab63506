namespace Softnet.Devices.Gateway;

/// <summary>A token bucket: <paramref name="PerSecond"/> units a second on average, at most <paramref name="Burst"/> units at once.</summary>
public readonly record struct GatewayRate(long PerSecond, long Burst);

/// <summary>
/// The most that traffic entering from <paramref name="From"/> may take from <paramref name="To"/> through the
/// gateway: <paramref name="Packets"/> in packets (a segmentation-offload super-frame counts as its segments) and
/// <paramref name="Bits"/> in bits of IP packets. Either may be null; a packet that would exceed either is dropped.
/// </summary>
public sealed record GatewayRateLimit(string From, string To, GatewayRate? Packets = null, GatewayRate? Bits = null);
