using System.Buffers.Binary;
using Softnet.DataPlane;
using Softnet.Wire;

namespace Softnet.Devices.Ip;

/// <summary>Pushes one MPLS label between the Ethernet header and what follows it (RFC 3032), in the buffer's headroom.</summary>
public static class MplsImposition
{
    /// <summary>Returns the grown frame. The label's TTL is given by the caller (the IP TTL in the uniform model, RFC 3443).</summary>
    public static Span<byte> Push(PacketPool pool, int packet, MplsLabel label, byte ttl)
    {
        var frame = pool.Prepend(packet, MplsHeader.Size);
        var innerType = BinaryPrimitives.ReadUInt16BigEndian(frame[(MplsHeader.Size + 12)..]);
        frame.Slice(MplsHeader.Size, 12).CopyTo(frame);
        EthernetFrame.CreateUnchecked(frame).EtherType = EtherType.Mpls;
        var header = MplsHeader.CreateUnchecked(frame[EthernetFrame.HeaderLength..]);
        header.Label = label;
        header.TrafficClass = 0;
        header.BottomOfStack = innerType != EtherType.Mpls;
        header.TimeToLive = ttl;
        return frame;
    }
}
