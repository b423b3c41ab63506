using Softnet.Devices.Ip;
using Softnet.Wire;

namespace Softnet.Devices.Gateway;

/// <summary>The gateway's policy for IPv4 (see <see cref="GatewayFilter"/>); every fragment is dropped.</summary>
public sealed class GatewayFilter4 : GatewayFilter
{
    internal GatewayFilter4(GatewayPolicy policy) : base("gateway-ip4", policy)
    {
    }

    private protected override int ReadKey(Span<byte> network, int from, int to, out FlowKey key, out bool stateful)
    {
        key = default;
        stateful = true;
        var ip = Ipv4Packet.CreateUnchecked(network); // ip4-input checked the header
        if (ip.IsFragment) return Fragment;
        ushort source, destination;
        if (ip.Protocol == IpProtocol.Icmp)
        {
            if (!Icmpv4Packet.TryCreate(ip.Payload, out var icmp)) return Malformed;
            stateful = EchoPorts(icmp.Type, Icmpv4Type.EchoRequest, Icmpv4Type.EchoReply, icmp.Identifier, out source, out destination);
        }
        else if (!TryReadPorts(ip.Protocol, ip.Payload, out source, out destination)) return Malformed;
        key = Policy.KeyOf(IpFamily.Ipv4, from, to, ip.Protocol, ip.Source.Value, ip.Destination.Value, source, destination);
        return -1;
    }
}
