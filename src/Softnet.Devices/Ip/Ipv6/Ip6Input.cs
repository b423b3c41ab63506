using Softnet.DataPlane;
using Softnet.Wire;

namespace Softnet.Devices.Ip.Ipv6;

/// <summary>
/// Checks an IPv6 header (length, version, payload length within the frame), refuses multicast and loopback
/// sources, and trims Ethernet padding so that the frame ends where the packet does.
/// </summary>
public sealed class Ip6Input() : PacketElement("ip6-input", ["lookup"], ["malformed", "martian-source"])
{
    private const int Malformed = 0, MartianSource = 1;

    protected override int Push(int packet)
    {
        var pool = Pool;
        ref var meta = ref pool.Meta(packet);
        var frame = pool.Data(packet);
        if (!Ipv6Packet.TryCreate(frame[meta.L3Offset..], out var ip) || ip.Version != 6) return DropWith(Malformed);
        var source = ip.Source;
        if (source.IsMulticast || source == Ipv6Address.Loopback) return DropWith(MartianSource);
        var end = meta.L3Offset + Ipv6Packet.HeaderLength + ip.PayloadLength;
        if (end < frame.Length) pool.SetLength(packet, end);
        return 0;
    }
}
