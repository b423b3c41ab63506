namespace Softnet.Hypervisor.Linux;

/// <summary>
/// Traffic through a physical port. Written only by the thread that drives the port; other threads may
/// read a value at any time (each is a single 64-bit word).
/// </summary>
public sealed class PhysicalPortCounters
{
    public long RxFrames { get; internal set; }
    public long RxBytes { get; internal set; }
    public long TxFrames { get; internal set; }
    public long TxBytes { get; internal set; }

    /// <summary>Frames the kernel handed over that could not be delivered: the pool was empty, the frame was truncated or malformed, or (AF_PACKET) the receive ring was full.</summary>
    public long RxDropped { get; internal set; }

    /// <summary>Frames the port took and freed without sending: too long for the link, too short, or refused by the kernel.</summary>
    public long TxDropped { get; internal set; }

    /// <summary>System calls that failed with anything but "try again".</summary>
    public long Errors { get; internal set; }
}
