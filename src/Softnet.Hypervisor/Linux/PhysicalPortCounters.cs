namespace Softnet.Hypervisor.Linux;

/// <summary>
/// Traffic through a physical port. Written only by the thread that drives the port (a port from another assembly,
/// served by an <c>IHostPortProvider</c>, counts its own too); other threads may read a value at any time (each is a
/// single 64-bit word).
/// </summary>
public sealed class PhysicalPortCounters
{
    public long RxFrames { get; set; }
    public long RxBytes { get; set; }
    public long TxFrames { get; set; }
    public long TxBytes { get; set; }

    /// <summary>Frames the kernel handed over that could not be delivered: the pool was empty, the frame was truncated or malformed, or (AF_PACKET) the receive ring was full.</summary>
    public long RxDropped { get; set; }

    /// <summary>Frames the port took and freed without sending: too long for the link, too short, or refused by the kernel.</summary>
    public long TxDropped { get; set; }

    /// <summary>System calls that failed with anything but "try again".</summary>
    public long Errors { get; set; }
}
