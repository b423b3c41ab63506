using Softnet.Wire;

namespace Softnet.Hypervisor.Topology;

/// <summary>A static route; <see cref="Port"/> pins the egress interface, <see cref="PushLabels"/> (MPLS only) is imposed outermost-first.</summary>
public sealed record StaticRoute(IpPrefix Prefix, IpAddress Via, string? Port, IReadOnlyList<MplsLabel> PushLabels);
