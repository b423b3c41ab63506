namespace Softnet.DataPlane;

/// <summary>Traffic through one device port.</summary>
public sealed class PortCounters
{
    public long RxPackets { get; internal set; }
    public long RxBytes { get; internal set; }
    public long TxPackets { get; internal set; }
    public long TxBytes { get; internal set; }

    /// <summary>Frames the device sent out of a port with no link attached.</summary>
    public long TxNoLink { get; internal set; }

    /// <summary>Frames the attached link refused (its queue was full).</summary>
    public long TxLinkFull { get; internal set; }
}
