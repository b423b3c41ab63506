using Softnet.DataPlane;
using Softnet.DataPlane.Offload;
using Softnet.Devices.Ip;
using Softnet.Wire;

namespace Softnet.Devices.Gateway;

/// <summary>
/// The gateway's static NAT for IPv4, before the rewrite: a destination in the mapped prefix of the network the packet
/// enters becomes real, and a source in the real prefix of the network it leaves becomes mapped. The header checksum
/// and the TCP or UDP checksum (whose pseudo-header holds the addresses) are updated incrementally (RFC 1624); ICMP's
/// does not cover them. A packet the rewrite will answer with an ICMP error (TTL expiring, too big with DF set) is
/// left as its sender sent it, so that the error quotes what the sender knows.
/// </summary>
public sealed class GatewayTranslate4 : PacketElement
{
    public const int Translated = 0, Unchanged = 1;

    private readonly GatewayPolicy _policy;
    private readonly Device _device;

    internal GatewayTranslate4(GatewayPolicy policy, Device device) : base("gateway-ip4-nat", ["translated", "unchanged"], [])
    {
        _policy = policy;
        _device = device;
    }

    protected override int Push(int packet)
    {
        var pool = Pool;
        ref var meta = ref pool.Meta(packet);
        var ip = Ipv4Packet.CreateUnchecked(pool.Data(packet)[meta.L3Offset..]);
        var mtu = _device.PortAt(meta.OutputPort).Mtu;
        if (ip.TimeToLive <= 1 || (ip.DontFragment && ip.TotalLength > mtu && !Segmentation.SegmentsFit(in meta, ip.Buffer, mtu))) return Unchanged;
        var source = ip.Source.Value;
        var destination = ip.Destination.Value;
        var mappedSource = (uint)_policy.ToMapped(_policy.NetworkOf(meta.InputPort), IpFamily.Ipv4, source);
        var realDestination = (uint)_policy.ToReal(_policy.NetworkOf(meta.OutputPort), IpFamily.Ipv4, destination);
        if (mappedSource == source && realDestination == destination) return Unchanged;

        // The policy read this transport header whole before it let the packet through.
        var partial = (meta.Flags & PacketFlags.ChecksumPartial) != 0;
        switch (ip.Protocol)
        {
            case IpProtocol.Tcp:
                var tcp = TcpPacket.CreateUnchecked(ip.Payload);
                tcp.Checksum = NatChecksum.Update(NatChecksum.Update(tcp.Checksum, source, mappedSource, partial), destination, realDestination, partial);
                break;
            case IpProtocol.Udp:
                var udp = UdpPacket.CreateUnchecked(ip.Payload);
                udp.Checksum = NatChecksum.UpdateUdp(NatChecksum.UpdateUdp(udp.Checksum, source, mappedSource, partial), destination, realDestination, partial);
                break;
        }
        if (mappedSource != source) ip.SetSourceIncremental(new Ipv4Address(mappedSource));
        if (realDestination != destination) ip.SetDestinationIncremental(new Ipv4Address(realDestination));
        return Translated;
    }
}
