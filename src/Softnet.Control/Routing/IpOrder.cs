using Softnet.Hypervisor.Forwarding;
using Softnet.Hypervisor.Topology;

namespace Softnet.Control.Routing;

/// <summary>The order of a plan's addresses and next hops: IPv4 before IPv6, then by address value (prefixes order themselves).</summary>
internal static class IpOrder
{
    public static int Compare(IpAddress a, IpAddress b) =>
        a.IsIpv4 != b.IsIpv4 ? (a.IsIpv4 ? -1 : 1)
        : a.IsIpv4 ? a.V4!.Value.CompareTo(b.V4!.Value)
        : a.V6!.Value.CompareTo(b.V6!.Value);

    /// <summary>Next hops: by port name (ordinal), then address.</summary>
    public static int Compare(PlannedNextHop a, PlannedNextHop b) => CompareHops(a.Port, a.Via, b.Port, b.Via);

    public static int Compare(NeighbourEdge a, NeighbourEdge b) => CompareHops(a.Port, a.Via, b.Port, b.Via);

    private static int CompareHops(string portA, IpAddress viaA, string portB, IpAddress viaB)
    {
        var byPort = string.CompareOrdinal(portA, portB);
        return byPort != 0 ? byPort : Compare(viaA, viaB);
    }

    /// <summary>fe80::/10 and its subnets: never a destination, and the last choice of next-hop address.</summary>
    public static bool IsLinkLocal(IpPrefix prefix) => prefix.V6 is { } p && p.Length >= 10 && p.Network.IsLinkLocal;

    public static bool IsLinkLocal(IpAddress address) => address.V6 is { } a && a.IsLinkLocal;
}
