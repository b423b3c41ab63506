using SoftnetHypervisor = Softnet.Hypervisor.Runtime.Hypervisor;

namespace Softnet.Cli.Bench.Isolation;

internal enum LoadKind
{
    /// <summary>Sends nothing.</summary>
    Idle,

    /// <summary>Always backlogged: <see cref="Load.InFlight"/> loop frames go round h1 to h2 and back as fast as r1 forwards them.</summary>
    Busy,

    /// <summary>Loop frames offered at h1 at <see cref="Load.FramesPerSecond"/>; what h1's backend has no room for is dropped there.</summary>
    Flood,

    /// <summary>The generator sends <see cref="Load.FramesPerSecond"/> on a schedule, each frame stamped for its one-way latency.</summary>
    Paced,

    /// <summary>
    /// Frames made anew at h1 at <see cref="Load.FramesPerSecond"/>, addressed through a gateway to another network's
    /// h2, where they are counted apart; what h1's backend has no room for is dropped there.
    /// </summary>
    Across,
}

/// <summary>What the sender of one network does during a scenario.</summary>
internal readonly record struct Load(LoadKind Kind, double FramesPerSecond = 0)
{
    /// <summary>
    /// Loop frames a busy or flooding network keeps going round: the backend ring's capacity, so that r1 always has
    /// a full ring to take from.
    /// </summary>
    public const int InFlight = SoftnetHypervisor.RingCapacity;

    public static Load Idle => new(LoadKind.Idle);

    public static Load Busy => new(LoadKind.Busy);

    public static Load Flood(double framesPerSecond) => new(LoadKind.Flood, framesPerSecond);

    /// <summary><paramref name="framesPerSecond"/> on a schedule from the generator, every frame's latency measured.</summary>
    public static Load Paced(double framesPerSecond) => new(LoadKind.Paced, framesPerSecond);

    /// <summary><paramref name="framesPerSecond"/> through the gateway to the other network (<see cref="LoadKind.Across"/>).</summary>
    public static Load Across(double framesPerSecond) => new(LoadKind.Across, framesPerSecond);

    /// <summary>Whether the network's frames go round its loop rather than through the generator.</summary>
    public bool Loops => Kind is LoadKind.Busy or LoadKind.Flood;

    public bool MeasuresLatency => Kind == LoadKind.Paced;
}
