using Softnet.Devices.Ip;
using Softnet.Wire;

namespace Softnet.Devices.Gateway;

/// <summary>
/// The gateway's policy for IPv6 (see <see cref="GatewayFilter"/>): the transport header is found past the extension
/// headers; a non-first fragment is dropped.
/// </summary>
public sealed class GatewayFilter6 : GatewayFilter
{
    internal GatewayFilter6(GatewayPolicy policy) : base("gateway-ip6", policy)
    {
    }

    private protected override int ReadKey(Span<byte> network, int from, int to, out FlowKey key, out bool stateful)
    {
        key = default;
        stateful = true;
        var ip = Ipv6Packet.CreateUnchecked(network); // ip6-input checked the header
        if (!ip.TryFindUpperLayer(out var protocol, out var offset)) return Malformed;
        if (protocol == IpProtocol.Ipv6Fragment) return Fragment;
        var transport = ip.Payload[(offset - Ipv6Packet.HeaderLength)..];
        ushort source, destination;
        if (protocol == IpProtocol.Icmpv6)
        {
            if (!Icmpv6Packet.TryCreate(transport, out var icmp)) return Malformed;
            stateful = EchoPorts(icmp.Type, Icmpv6Type.EchoRequest, Icmpv6Type.EchoReply, icmp.Identifier, out source, out destination);
        }
        else if (!TryReadPorts(protocol, transport, out source, out destination)) return Malformed;
        key = Policy.KeyOf(IpFamily.Ipv6, from, to, protocol, ip.Source.Value, ip.Destination.Value, source, destination);
        return -1;
    }
}
