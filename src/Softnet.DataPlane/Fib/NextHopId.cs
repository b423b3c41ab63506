namespace Softnet.DataPlane.Fib;

/// <summary>The range of next-hop ids shared by <see cref="Ipv4Fib"/> and <see cref="Ipv6Fib"/>.</summary>
public static class NextHopId
{
    /// <summary>What a lookup returns when no route matches; never a valid route id.</summary>
    public const ushort NoRoute = 0;

    /// <summary>The largest id a route may carry: valid ids are 1..32767 (15 bits, as DIR-24-8 entries keep one flag bit).</summary>
    public const ushort Max = 0x7FFF;

    internal static void Validate(ushort nextHop, object prefix)
    {
        if (nextHop is NoRoute or > Max)
            throw new ArgumentOutOfRangeException(nameof(nextHop), nextHop, $"The next-hop id of {prefix} must be in 1..{Max}.");
    }
}
