using Softnet.DataPlane;
using Softnet.DataPlane.Offload;
using Softnet.Wire;

namespace Softnet.Devices.Ip.Ipv6;

/// <summary>
/// Turns the packet it is given into an ICMPv6 error of one type and code about it, in place, and sends it back
/// through the lookup. The error quotes as much of the packet as fits in the minimum IPv6 MTU of 1280 bytes and
/// carries the port MTU (packet too big) or the pointer to the offending field (parameter problem). No error is sent
/// about an ICMPv6 error, to a multicast or unspecified source, about a link-layer multicast, about a packet the
/// device made itself, or beyond the rate limit (RFC 4443 section 2.4).
/// </summary>
public sealed class Icmp6Error(IpStack stack, string name, byte type, byte code)
    : PacketElement(name, ["lookup"], ["not-allowed", "rate-limited"])
{
    private const int MinimumMtu = 1280;
    private const int NotAllowed = 0, RateLimited = 1;

    protected override int Push(int packet)
    {
        var pool = Pool;
        ref var meta = ref pool.Meta(packet);
        var original = Ipv6Packet.CreateUnchecked(pool.Data(packet)[meta.L3Offset..]);
        if ((meta.Flags & PacketFlags.LocallyOriginated) != 0 || (pool.Data(packet)[0] & 1) != 0 || !Allowed(original)) return DropWith(NotAllowed);
        var device = stack.Device;
        if (!stack.IcmpLimiter.TryTake(device.Now, device.TicksPerSecond)) return DropWith(RateLimited);

        uint rest = type switch
        {
            Icmpv6Type.PacketTooBig => (uint)device.PortAt(meta.OutputPort).Mtu,
            Icmpv6Type.ParameterProblem => (uint)meta.NextHop,
            _ => 0,
        };
        var destination = original.Source;
        var source = stack.Interface(meta.InputPort).PrimaryIpv6;
        var headers = Ipv6Packet.HeaderLength + Icmpv6Packet.HeaderLength;
        var quoted = Math.Min(Ipv6Packet.HeaderLength + original.PayloadLength, MinimumMtu - headers);
        var frameStart = meta.L3Offset - EthernetFrame.HeaderLength;
        Segmentation.ClearOffload(pool, packet);
        if (frameStart > 0) pool.TrimFront(packet, frameStart);
        pool.Prepend(packet, headers);
        var frame = pool.SetLength(packet, EthernetFrame.HeaderLength + headers + quoted);
        meta.L3Offset = EthernetFrame.HeaderLength;
        EthernetFrame.CreateUnchecked(frame).EtherType = EtherType.Ipv6;

        var ipBytes = frame[EthernetFrame.HeaderLength..];
        var ipRepr = new Ipv6Repr(source, destination, IpProtocol.Icmpv6, Icmpv6Packet.HeaderLength + quoted);
        ipRepr.Emit(Ipv6Packet.CreateUnchecked(ipBytes));
        var icmp = Icmpv6Packet.CreateUnchecked(ipBytes[Ipv6Packet.HeaderLength..]);
        icmp.Type = type;
        icmp.Code = code;
        icmp.RestOfHeader = rest;
        icmp.FillChecksum(source, destination);
        meta.Flags |= PacketFlags.LocallyOriginated;
        return 0;
    }

    private static bool Allowed(Ipv6Packet original)
    {
        var source = original.Source;
        if (source.IsUnspecified || source.IsMulticast) return false;
        if (original.Destination.IsMulticast) return false;
        if (original.TryFindUpperLayer(out var protocol, out var offset) && protocol == IpProtocol.Icmpv6)
        {
            var buffer = original.Buffer;
            if (offset >= buffer.Length || buffer[offset] < 128) return false;
        }
        return true;
    }
}
