namespace Softnet.DataPlane;

[Flags]
public enum PacketFlags
{
    None = 0,

    /// <summary>The device itself made the packet (an ICMP message, an echo reply): it is not forwarded, so its TTL is not decremented.</summary>
    LocallyOriginated = 1,

    /// <summary>
    /// The L4 checksum is partial (pseudo-header sum only), as a kernel with checksum offload hands it over:
    /// whoever puts the frame on a wire without offload completes it at <see cref="PacketMeta.ChecksumStart"/> +
    /// <see cref="PacketMeta.ChecksumOffset"/>.
    /// </summary>
    ChecksumPartial = 2,
}

/// <summary>What a segmentation-offload super-frame holds (virtio-net's gso_type).</summary>
public enum GsoKind : byte
{
    None = 0,
    TcpIpv4 = 1,
    UdpIpv4 = 3,
    TcpIpv6 = 4,
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

    /// <summary>
    /// Segmentation offload: when not <see cref="GsoKind.None"/>, the frame is a super-frame of up to 64 KiB that
    /// leaves as segments of <see cref="GsoSize"/> payload bytes each (TSO/GSO). These offload fields describe the
    /// frame itself, so they cross links with it and survive <see cref="PacketPool.ClearMetadata"/>.
    /// </summary>
    public GsoKind GsoType;

    /// <summary>Payload bytes per segment of a super-frame (the MSS for TCP).</summary>
    public ushort GsoSize;

    /// <summary>Offset from the frame start where a partial checksum's coverage starts (the L4 header).</summary>
    public ushort ChecksumStart;

    /// <summary>Offset of the checksum field from <see cref="ChecksumStart"/>.</summary>
    public ushort ChecksumOffset;

    /// <summary>Time the frame entered the device, in <see cref="System.Diagnostics.Stopwatch"/> ticks or a test clock's.</summary>
    public long Timestamp;

    internal bool InUse;
}
