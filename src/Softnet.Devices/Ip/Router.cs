using Softnet.DataPlane;

namespace Softnet.Devices.Ip;

/// <summary>
/// An IPv4/IPv6 router: longest-prefix-match forwarding with ECMP, ARP and neighbour discovery, TTL and hop-limit
/// handling, fragmentation, and the ICMP errors RFC 1812 and RFC 4443 ask for; it answers pings to its own addresses.
/// </summary>
public sealed class Router(string name, PacketPool pool) : IpDevice(name, pool, forwarding: true, mpls: false)
{
    public override string Kind => "router";
}
