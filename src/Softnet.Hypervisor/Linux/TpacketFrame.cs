namespace Softnet.Hypervisor.Linux;

/// <summary>A received frame in a TPACKET_V3 block: a view of its <c>struct tpacket3_hdr</c> and the bytes after it.</summary>
internal readonly unsafe struct TpacketFrame
{
    private const int NextOffsetField = 0, SnapLengthField = 12, LengthField = 16, StatusField = 20, MacField = 24;
    private const int VlanTciField = 32, VlanTpidField = 36;
    private const uint StatusVlanValid = 0x10, StatusVlanTpidValid = 0x40;
    private const ushort Ieee8021Q = 0x8100;

    private readonly byte* _header;

    public TpacketFrame(byte* header) => _header = header;

    /// <summary>Bytes from this frame's header to the next one's in the same block.</summary>
    public uint NextOffset => *(uint*)(_header + NextOffsetField);

    /// <summary>The frame as it was on the link; longer than <see cref="Data"/> when the ring truncated it.</summary>
    public int Length => (int)*(uint*)(_header + LengthField);

    /// <summary>The captured bytes, from the Ethernet header on (without the VLAN tag when <see cref="HasVlanTag"/>).</summary>
    public ReadOnlySpan<byte> Data => new(_header + *(ushort*)(_header + MacField), (int)*(uint*)(_header + SnapLengthField));

    /// <summary>The kernel took the 802.1Q/802.1ad tag out of the frame (a VLAN offload) and reports it here.</summary>
    public bool HasVlanTag => (Status & StatusVlanValid) != 0;

    public ushort VlanTci => (ushort)*(uint*)(_header + VlanTciField);

    public ushort VlanTpid => (Status & StatusVlanTpidValid) != 0 ? *(ushort*)(_header + VlanTpidField) : Ieee8021Q;

    private uint Status => *(uint*)(_header + StatusField);
}
