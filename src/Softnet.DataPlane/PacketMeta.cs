namespace Softnet.DataPlane;

[Flags]
public enum PacketFlags
{
    None = 0,

    /// <summary>The device itself made the packet (an ICMP message, an echo reply): it is not forwarded, so its TTL is not decremented.</summary>
    LocallyOriginated = 1,
}

/// <summary>
/// Per-packet metadata kept beside the buffer (VPP's vlib_buffer_t opaque): where the frame lies in its buffer
/// and the scratch fields elements hand to each other along the graph.
/// </summary>
public struct PacketMeta
{
    /// <summary>Offset of the first frame byte within the packet's buffer.</summary>
    public int Offset;

    /// <summary>Frame length in bytes.</summary>
    public int Length;

    /// <summary>Index of the device port the frame arrived on.</summary>
    public int InputPort;

    /// <summary>Index of the device port the frame leaves by, once an element has decided it.</summary>
    public int OutputPort;

    /// <summary>Offset of the network-layer header from the frame start (set by the Ethernet input).</summary>
    public int L3Offset;

    /// <summary>802.1Q VLAN the frame belongs to inside a switch (0 when untagged/unknown).</summary>
    public int VlanId;

    /// <summary>Scratch value passed between elements, for example an adjacency id chosen by a lookup.</summary>
    public int NextHop;

    /// <summary>Flow hash of the 5-tuple, for ECMP.</summary>
    public uint FlowHash;

    public PacketFlags Flags;

    /// <summary>Time the frame entered the device, in <see cref="System.Diagnostics.Stopwatch"/> ticks or a test clock's.</summary>
    public long Timestamp;

    internal bool InUse;
}
