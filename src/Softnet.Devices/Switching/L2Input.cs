using Softnet.DataPlane;
using Softnet.Wire;

namespace Softnet.Devices.Switching;

/// <summary>
/// A switch's ingress: checks the Ethernet header, classifies the frame into a VLAN (its 802.1Q tag, or the port's
/// untagged VLAN for untagged and priority-tagged frames), applies ingress filtering (the port must be a member of
/// that VLAN) and learns the source address on the input port. The frame is not modified; its VLAN is left in
/// <see cref="PacketMeta.VlanId"/> and its network header offset (14, or 18 when tagged) in <see cref="PacketMeta.L3Offset"/>.
/// </summary>
public sealed class L2Input : Element
{
    public const int Forward = 0;

    public const int Malformed = 0;
    public const int MulticastSource = 1;
    public const int ReservedDestination = 2;
    public const int UntaggedNotAllowed = 3;
    public const int VlanNotAllowed = 4;

    /// <summary>01-80-C2-00-00-00 to -0F: link-local protocols (STP, LACP, 802.1X) that an 802.1Q bridge never relays.</summary>
    private const ulong ReservedGroup = 0x0180_C200_0000UL;

    private readonly VlanMembership _vlans;
    private readonly MacTable _macs;

    internal L2Input(VlanMembership vlans, MacTable macs, string name = "l2-input")
        : base(name, ["forward"], ["malformed", "multicast-source", "reserved-destination", "untagged-not-allowed", "vlan-not-allowed"])
    {
        _vlans = vlans;
        _macs = macs;
    }

    /// <summary>Classifies the whole vector first and learns afterwards, so that the table's cache misses overlap.</summary>
    protected override void Process(ReadOnlySpan<int> packets)
    {
        var pool = Pool;
        Span<int> accepted = stackalloc int[packets.Length];
        Span<ulong> keys = stackalloc ulong[packets.Length];
        Span<int> homes = stackalloc int[packets.Length];
        var count = 0;
        foreach (var packet in packets)
        {
            var reason = Classify(pool, packet, out keys[count]);
            if (reason >= 0) Drop(reason, packet);
            else accepted[count++] = packet;
        }

        _macs.Locate(keys[..count], homes);
        for (var i = 0; i < count; i++)
        {
            _macs.LearnAt(homes[i], keys[i], pool.Meta(accepted[i]).InputPort);
            Emit(Forward, accepted[i]);
        }
    }

    /// <summary>Returns a drop reason, or -1 with the table key of the frame's (VLAN, source MAC).</summary>
    private int Classify(PacketPool pool, int packet, out ulong key)
    {
        key = 0;
        if (!EthernetFrame.TryCreate(pool.Data(packet), out var frame)) return Malformed;
        var source = frame.Source;
        if (source.IsMulticast) return MulticastSource;
        if ((frame.Destination.Value & ~0xFUL) == ReservedGroup) return ReservedDestination;

        ref var meta = ref pool.Meta(packet);
        var vlan = _vlans.UntaggedVlan(meta.InputPort);
        var l3Offset = EthernetFrame.HeaderLength;
        if (frame.EtherType == EtherType.Vlan)
        {
            if (!VlanHeader.TryCreate(frame.Payload, out var tag)) return Malformed;
            if (tag.VlanId != 0) vlan = tag.VlanId;
            l3Offset += VlanHeader.Size;
        }
        if (vlan == 0) return UntaggedNotAllowed;
        if (!_vlans.IsMember(meta.InputPort, vlan)) return VlanNotAllowed;

        meta.VlanId = vlan;
        meta.L3Offset = l3Offset;
        key = MacTable.Key(vlan, source);
        return -1;
    }
}
