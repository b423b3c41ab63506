using SoftnetHypervisor = Softnet.Hypervisor.Runtime.Hypervisor;

namespace Softnet.Cli.Bench.Isolation;

internal enum LoadKind
{
    /// <summary>Sends nothing.</summary>
    Idle,

    /// <summary>Always backlogged: keeps <see cref="Load.InFlight"/> frames in the network, so its rings never run dry.</summary>
    Busy,

    /// <summary>Sends <see cref="Load.FramesPerSecond"/> on a schedule, whatever the network does with them.</summary>
    Paced,
}

/// <summary>What the sender of one network does during a scenario, and whether its one-way latency is measured.</summary>
internal readonly record struct Load(LoadKind Kind, double FramesPerSecond = 0, bool MeasuresLatency = false)
{
    /// <summary>
    /// Frames a busy sender keeps between its h1 and its h2: the backend ring's capacity, so that the driver domain
    /// never has to drop one of them (a drop would be work no network is charged for) and the domain never waits.
    /// </summary>
    public const int InFlight = SoftnetHypervisor.RingCapacity;

    public static Load Idle => new(LoadKind.Idle);

    public static Load Busy => new(LoadKind.Busy);

    /// <summary>
    /// <paramref name="framesPerSecond"/> on a schedule; with <paramref name="latency"/>, every frame's latency is
    /// measured, which costs the generator a cache miss per frame (a flood goes without, to go faster).
    /// </summary>
    public static Load Paced(double framesPerSecond, bool latency = true) => new(LoadKind.Paced, framesPerSecond, latency);
}
