using Softnet.DataPlane;
using Softnet.DataPlane.Offload;
using Softnet.Devices.Ip;
using Softnet.Wire;

namespace Softnet.Devices.Gateway;

/// <summary>
/// The gateway's static NAT for IPv6, as <see cref="GatewayTranslate4"/> does it for IPv4: IPv6 has no header
/// checksum, and the TCP, UDP or ICMPv6 checksum (all cover the pseudo-header) is updated incrementally. A packet the
/// rewrite will answer with an ICMPv6 error (hop limit expiring, too big) is left as its sender sent it.
/// </summary>
public sealed class GatewayTranslate6 : PacketElement
{
    public const int Translated = 0, Unchanged = 1;

    private readonly GatewayPolicy _policy;
    private readonly Device _device;

    internal GatewayTranslate6(GatewayPolicy policy, Device device) : base("gateway-ip6-nat", ["translated", "unchanged"], [])
    {
        _policy = policy;
        _device = device;
    }

    protected override int Push(int packet)
    {
        var pool = Pool;
        ref var meta = ref pool.Meta(packet);
        var ip = Ipv6Packet.CreateUnchecked(pool.Data(packet)[meta.L3Offset..]);
        var mtu = _device.PortAt(meta.OutputPort).Mtu;
        if (ip.HopLimit <= 1 || (Ipv6Packet.HeaderLength + ip.PayloadLength > mtu && !Segmentation.SegmentsFit(in meta, ip.Buffer, mtu))) return Unchanged;
        var source = ip.Source.Value;
        var destination = ip.Destination.Value;
        var mappedSource = _policy.ToMapped(_policy.NetworkOf(meta.InputPort), IpFamily.Ipv6, source);
        var realDestination = _policy.ToReal(_policy.NetworkOf(meta.OutputPort), IpFamily.Ipv6, destination);
        if (mappedSource == source && realDestination == destination) return Unchanged;

        // The policy walked these extension headers and read the transport header whole before it let the packet through.
        ip.TryFindUpperLayer(out var protocol, out var offset);
        var transport = ip.Payload[(offset - Ipv6Packet.HeaderLength)..];
        var partial = (meta.Flags & PacketFlags.ChecksumPartial) != 0;
        switch (protocol)
        {
            case IpProtocol.Tcp:
                var tcp = TcpPacket.CreateUnchecked(transport);
                tcp.Checksum = NatChecksum.Update(NatChecksum.Update(tcp.Checksum, source, mappedSource, partial), destination, realDestination, partial);
                break;
            case IpProtocol.Udp:
                var udp = UdpPacket.CreateUnchecked(transport);
                udp.Checksum = NatChecksum.UpdateUdp(NatChecksum.UpdateUdp(udp.Checksum, source, mappedSource, partial), destination, realDestination, partial);
                break;
            case IpProtocol.Icmpv6:
                var icmp = Icmpv6Packet.CreateUnchecked(transport);
                icmp.Checksum = NatChecksum.Update(NatChecksum.Update(icmp.Checksum, source, mappedSource, partial), destination, realDestination, partial);
                break;
        }
        ip.Source = new Ipv6Address(mappedSource);
        ip.Destination = new Ipv6Address(realDestination);
        return Translated;
    }
}
