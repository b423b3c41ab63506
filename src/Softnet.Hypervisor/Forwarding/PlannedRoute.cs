using Softnet.Hypervisor.Topology;
using Softnet.Wire;

namespace Softnet.Hypervisor.Forwarding;

/// <summary>Where a route or label binding of a plan comes from: the controller's shortest paths, or the topology file.</summary>
public enum RouteOrigin
{
    Computed,
    Static,
}

/// <summary>One next hop of a route: send out of <see cref="Port"/> to the neighbour <see cref="Via"/>, imposing <see cref="Push"/> first when set.</summary>
public sealed record PlannedNextHop(string Port, IpAddress Via, MplsLabel? Push)
{
    public override string ToString() => Push is { } label ? $"via {Via} port {Port} push {label}" : $"via {Via} port {Port}";
}

/// <summary>A FIB entry of one device; <see cref="NextHops"/> (at least one) are sorted by port, then address, and share the traffic (ECMP).</summary>
public sealed record PlannedRoute(IpPrefix Prefix, IReadOnlyList<PlannedNextHop> NextHops, RouteOrigin Origin)
{
    public bool Equals(PlannedRoute? other) =>
        other is not null && Prefix == other.Prefix && Origin == other.Origin && NextHops.SequenceEqual(other.NextHops);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Prefix);
        hash.Add(Origin);
        foreach (var hop in NextHops) hash.Add(hop);
        return hash.ToHashCode();
    }

    /// <summary>As a routing table shows it: <c>10.0.3.0/24 via 10.0.0.2 port eth1, via 10.0.1.2 port eth2 (computed)</c>.</summary>
    public override string ToString() => $"{Prefix} {string.Join(", ", NextHops)} ({Origin.ToString().ToLowerInvariant()})";
}

/// <summary>
/// An incoming-label-map entry of an LSR, as <see cref="LabelBinding"/> in a topology file: <see cref="Out"/> is set for
/// swap only, <see cref="Via"/> and <see cref="Port"/> for swap and pop.
/// </summary>
public sealed record PlannedLabel(MplsLabel In, LabelAction Action, MplsLabel? Out, IpAddress? Via, string? Port, RouteOrigin Origin)
{
    /// <summary><c>1003 swap 1004 via 10.0.0.2 port eth1 (computed)</c>, <c>1003 pop via …</c>, <c>16 lookup (static)</c>.</summary>
    public override string ToString()
    {
        var origin = Origin.ToString().ToLowerInvariant();
        return Action switch
        {
            LabelAction.Swap => $"{In} swap {Out} via {Via} port {Port} ({origin})",
            LabelAction.Pop => $"{In} pop via {Via} port {Port} ({origin})",
            _ => $"{In} lookup ({origin})",
        };
    }
}

/// <summary>
/// A static entry of a switch's MAC table: frames to <see cref="Mac"/> in VLAN <see cref="Vlan"/> leave by
/// <see cref="Port"/>, the first port on a shortest L2 path to that station. It never ages and learning does not move it.
/// </summary>
public sealed record PlannedMac(int Vlan, MacAddress Mac, string Port)
{
    /// <summary><c>vlan 1 02:8f:3c:11:a0:00 port eth2</c>.</summary>
    public override string ToString() => $"vlan {Vlan} {Mac} port {Port}";
}
