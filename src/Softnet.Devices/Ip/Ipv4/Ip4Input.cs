using Softnet.DataPlane;
using Softnet.Wire;

namespace Softnet.Devices.Ip.Ipv4;

/// <summary>
/// Checks an IPv4 header as RFC 1812 section 5.2.2 asks (length, version, header length, checksum, total length)
/// and refuses martian sources; trims Ethernet padding so that the frame ends where the datagram does.
/// </summary>
public sealed class Ip4Input() : PacketElement("ip4-input", ["lookup"], ["malformed", "bad-checksum", "martian-source"])
{
    private const int Malformed = 0, BadChecksum = 1, MartianSource = 2;

    protected override int Push(int packet)
    {
        var pool = Pool;
        ref var meta = ref pool.Meta(packet);
        var frame = pool.Data(packet);
        if (!Ipv4Packet.TryCreate(frame[meta.L3Offset..], out var ip) || ip.Version != 4) return DropWith(Malformed);
        if (!ip.VerifyChecksum()) return DropWith(BadChecksum);
        var source = ip.Source;
        if (source.IsMulticast || source.IsBroadcast || source.IsLoopback) return DropWith(MartianSource);
        var end = meta.L3Offset + ip.TotalLength;
        if (end < frame.Length) pool.SetLength(packet, end);
        return 0;
    }
}
