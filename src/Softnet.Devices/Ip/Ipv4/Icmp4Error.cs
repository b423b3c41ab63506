using Softnet.DataPlane;
using Softnet.DataPlane.Offload;
using Softnet.Wire;

namespace Softnet.Devices.Ip.Ipv4;

/// <summary>
/// Turns the packet it is given into an ICMP error of one type and code about it, in place, and sends it back
/// through the lookup. The error quotes as much of the datagram as fits in 576 bytes (RFC 1812 section 4.3.2.3)
/// and comes from the address of the port the datagram arrived on. No error is sent about an ICMP error, a
/// non-initial fragment, a broadcast or multicast, or from a bad source (RFC 1812 section 4.3.2.7), about a packet
/// the device made itself, nor beyond the device's ICMP rate limit.
/// </summary>
public sealed class Icmp4Error(IpStack stack, string name, byte type, byte code)
    : PacketElement(name, ["lookup"], ["not-allowed", "rate-limited", "no-source-address"])
{
    private const int MaxErrorLength = 576;
    private const int NotAllowed = 0, RateLimited = 1, NoSourceAddress = 2;

    protected override int Push(int packet)
    {
        var pool = Pool;
        ref var meta = ref pool.Meta(packet);
        var original = Ipv4Packet.CreateUnchecked(pool.Data(packet)[meta.L3Offset..]);
        if ((meta.Flags & PacketFlags.LocallyOriginated) != 0 || (pool.Data(packet)[0] & 1) != 0 || !Allowed(original)) return DropWith(NotAllowed);
        var device = stack.Device;
        if (!stack.IcmpLimiter.TryTake(device.Now, device.TicksPerSecond)) return DropWith(RateLimited);
        var source = SourceAddress(meta.InputPort);
        if (source is null) return DropWith(NoSourceAddress);

        var mtu = code == Icmpv4Code.FragmentationNeeded ? (ushort)device.PortAt(meta.OutputPort).Mtu : (ushort)0;
        var destination = original.Source;
        var headers = Ipv4Packet.MinHeaderLength + Icmpv4Packet.HeaderLength;
        var quoted = Math.Min(original.TotalLength, MaxErrorLength - headers);
        var frameStart = meta.L3Offset - EthernetFrame.HeaderLength;
        Segmentation.ClearOffload(pool, packet);
        if (frameStart > 0) pool.TrimFront(packet, frameStart);
        pool.Prepend(packet, headers);
        var frame = pool.SetLength(packet, EthernetFrame.HeaderLength + headers + quoted);
        meta.L3Offset = EthernetFrame.HeaderLength;
        EthernetFrame.CreateUnchecked(frame).EtherType = EtherType.Ipv4;

        var ipBytes = frame[EthernetFrame.HeaderLength..];
        new Ipv4Repr(source.Value, destination, IpProtocol.Icmp, Icmpv4Packet.HeaderLength + quoted).Emit(Ipv4Packet.CreateUnchecked(ipBytes));
        var icmp = Icmpv4Packet.CreateUnchecked(ipBytes[Ipv4Packet.MinHeaderLength..]);
        icmp.Type = type;
        icmp.Code = code;
        icmp.RestOfHeader = mtu;
        icmp.FillChecksum();
        meta.Flags |= PacketFlags.LocallyOriginated;
        return 0;
    }

    private static bool Allowed(Ipv4Packet original)
    {
        if (original.FragmentOffset != 0) return false;
        var source = original.Source;
        if (source.IsUnspecified || source.IsBroadcast || source.IsMulticast || source.IsLoopback) return false;
        var destination = original.Destination;
        if (destination.IsBroadcast || destination.IsMulticast) return false;
        if (original.Protocol == IpProtocol.Icmp)
        {
            var payload = original.Payload;
            if (payload.Length == 0) return false;
            var icmpType = payload[0];
            if (icmpType is not (Icmpv4Type.EchoRequest or Icmpv4Type.EchoReply)) return false;
        }
        return true;
    }

    private Ipv4Address? SourceAddress(int inputPort)
    {
        if ((uint)inputPort < (uint)stack.Interfaces.Count && stack.Interface(inputPort).PrimaryIpv4 is { } own) return own;
        foreach (var ip in stack.Interfaces)
        {
            if (ip.PrimaryIpv4 is { } any) return any;
        }
        return null;
    }
}
