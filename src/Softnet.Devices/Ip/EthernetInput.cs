using Softnet.DataPlane;
using Softnet.Wire;

namespace Softnet.Devices.Ip;

/// <summary>
/// First element of an IP device: keeps frames addressed to the receiving port (its MAC, broadcast or multicast)
/// and sorts them by EtherType. Router ports are untagged; a tagged frame is dropped.
/// </summary>
public sealed class EthernetInput : PacketElement
{
    public const int Ipv4 = 0, Ipv6 = 1, Arp = 2, Mpls = 3;
    private const int Malformed = 0, NotForUs = 1, Unsupported = 2, Tagged = 3;

    private readonly Device _device;
    private readonly bool _mpls;

    public EthernetInput(Device device, bool mpls)
        : base("ethernet-input", mpls ? ["ipv4", "ipv6", "arp", "mpls"] : ["ipv4", "ipv6", "arp"], ["malformed", "not-for-us", "unsupported-ethertype", "vlan-tagged"])
    {
        _device = device;
        _mpls = mpls;
    }

    protected override int Push(int packet)
    {
        var pool = Pool;
        if (!EthernetFrame.TryCreate(pool.Data(packet), out var frame)) return DropWith(Malformed);
        ref var meta = ref pool.Meta(packet);
        var destination = frame.Destination;
        if (!destination.IsMulticast && destination != _device.PortAt(meta.InputPort).Mac) return DropWith(NotForUs);
        meta.L3Offset = EthernetFrame.HeaderLength;
        return frame.EtherType switch
        {
            EtherType.Ipv4 => Ipv4,
            EtherType.Ipv6 => Ipv6,
            EtherType.Arp => Arp,
            EtherType.Mpls when _mpls => Mpls,
            EtherType.Vlan or EtherType.QinQ => DropWith(Tagged),
            _ => DropWith(Unsupported),
        };
    }
}
