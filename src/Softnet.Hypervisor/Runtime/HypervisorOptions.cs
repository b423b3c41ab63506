using Softnet.Hypervisor.Scheduling;

namespace Softnet.Hypervisor.Runtime;

/// <summary>How the hypervisor of one node is sized.</summary>
public sealed record HypervisorOptions
{
    /// <summary>Worker threads that run all domains of all networks (SPEC 3: a small number of cores).</summary>
    public int Workers { get; init; } = 1;

    /// <summary>
    /// Nice value of the worker threads (-20 to 19; applied when the process may, as root can). The workers are the
    /// data plane of every network on the node: below the tenants' own programs, a busy host (an iperf3 flood) would
    /// take the core from the router it sends through. -10 by default; 0 leaves them as the process is.
    /// </summary>
    public int WorkerNice { get; init; } = -10;

    /// <summary>Packet buffers in the node's pool.</summary>
    public int PacketBuffers { get; init; } = 8192;

    /// <summary>Bytes per buffer: a 64 KiB segmentation super-frame and its headroom fit in one.</summary>
    public int BufferSize { get; init; } = 65_536 + 512;

    /// <summary>
    /// The scheduler's parameters: <see cref="TokenPolicy.Default"/> with turns of 8 KiB byte-equivalents (about 66
    /// minimum-size frames or one TSO super-frame, some 20 us of work), long enough that picking a turn costs little
    /// next to it, short enough that a waiting packet sees microseconds of delay.
    /// </summary>
    public TokenPolicy Policy { get; init; } = TokenPolicy.Default with { Quantum = 8192 };

    /// <summary>
    /// The node's rated capacity in byte-equivalents a second, of which each network is guaranteed its tokens' share
    /// (<see cref="TokenScheduler.SetRatedCapacity"/>): typically 90 % of what one worker forwards busy, the rest kept
    /// as headroom. Null (the default): networks are served by their tokens alone.
    /// </summary>
    public double? RatedCapacity { get; init; }
}
