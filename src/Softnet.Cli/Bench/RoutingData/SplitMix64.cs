namespace Softnet.Cli.Bench.RoutingData;

/// <summary>SplitMix64 (Steele, Lea and Flood, 2014): a tiny generator whose output depends only on the seed.</summary>
internal struct SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong Next() => Mix(_state += 0x9E37_79B9_7F4A_7C15);

    /// <summary>A uniform integer in 0..<paramref name="bound"/>-1 (Lemire's multiply-shift).</summary>
    public int NextBelow(int bound) => (int)((Next() >> 32) * (ulong)bound >> 32);

    public UInt128 Next128() => new(Next(), Next());

    /// <summary>The SplitMix64 finaliser: a bijective hash of one 64-bit word.</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9;
        z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EB;
        return z ^ (z >> 31);
    }
}
