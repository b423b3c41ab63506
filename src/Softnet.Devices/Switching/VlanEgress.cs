using Softnet.DataPlane;
using Softnet.Wire;

namespace Softnet.Devices.Switching;

/// <summary>
/// A switch's egress tagging, per output port: a frame leaving in the port's untagged VLAN loses its 802.1Q tag;
/// any other frame leaves tagged with its VLAN, keeping the priority and DEI bits it came with, or priority 0 when
/// it came untagged. Tags are pushed into the buffer's headroom and stripped in place: only the 12 address bytes move.
/// </summary>
/// <remarks>Frames are not padded after a strip: the transmitting MAC pads to the 60-byte minimum, as 802.3 says.</remarks>
public sealed class VlanEgress : Element
{
    public const int Out = 0;

    public const int NoHeadroom = 0;

    private const int AddressesLength = 2 * MacAddress.Size;

    private readonly VlanMembership _vlans;

    internal VlanEgress(VlanMembership vlans, string name = "vlan-egress") : base(name, ["out"], ["no-headroom"])
    {
        _vlans = vlans;
    }

    protected override void Process(ReadOnlySpan<int> packets)
    {
        var pool = Pool;
        foreach (var packet in packets)
        {
            ref var meta = ref pool.Meta(packet);
            var data = pool.Data(packet);
            var tagged = EthernetFrame.CreateUnchecked(data).EtherType == EtherType.Vlan;
            if (meta.VlanId == _vlans.UntaggedVlan(meta.OutputPort))
            {
                if (tagged) Untag(pool, packet, data);
            }
            else if (tagged)
            {
                var tag = VlanHeader.CreateUnchecked(data[EthernetFrame.HeaderLength..]);
                if (tag.VlanId != meta.VlanId) tag.VlanId = (ushort)meta.VlanId;
            }
            else if (meta.Offset < VlanHeader.Size)
            {
                Drop(NoHeadroom, packet);
                continue;
            }
            else Tag(pool, packet, ref meta);
            Emit(Out, packet);
        }
    }

    private static void Untag(PacketPool pool, int packet, Span<byte> frame)
    {
        frame[..AddressesLength].CopyTo(frame[VlanHeader.Size..]);
        pool.TrimFront(packet, VlanHeader.Size);
    }

    /// <summary>Inserts a tag with priority 0 (an untagged frame's default priority) and VID <see cref="PacketMeta.VlanId"/>.</summary>
    private static void Tag(PacketPool pool, int packet, ref PacketMeta meta)
    {
        var data = pool.Prepend(packet, VlanHeader.Size);
        data.Slice(VlanHeader.Size, AddressesLength).CopyTo(data);
        var frame = EthernetFrame.CreateUnchecked(data);
        frame.EtherType = EtherType.Vlan;
        VlanHeader.CreateUnchecked(frame.Payload).Tci = (ushort)meta.VlanId;
        meta.L3Offset = EthernetFrame.HeaderLength + VlanHeader.Size;
    }
}
