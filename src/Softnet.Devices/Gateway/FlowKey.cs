using Softnet.Devices.Ip;

namespace Softnet.Devices.Gateway;

/// <summary>
/// What identifies a flow through the gateway: the network a packet entered from and its 5-tuple, in real addresses
/// (as each network sees itself, before NAT maps them for the other side). An IPv4 address sits in the low 32 bits.
/// For ICMP echo the identifier stands in the source port of requests and the destination port of replies.
/// </summary>
internal readonly record struct FlowKey(
    IpFamily Family, byte Side, byte Protocol, UInt128 Source, UInt128 Destination, ushort SourcePort, ushort DestinationPort)
{
    /// <summary>The key of a reply to this packet, which enters from the network <paramref name="side"/>.</summary>
    public FlowKey Reply(byte side) => new(Family, side, Protocol, Destination, Source, DestinationPort, SourcePort);
}
