using Softnet.Hypervisor.Scheduling;

namespace Softnet.Hypervisor.Topology;

/// <summary>Which protocol family a software network forwards; it limits the devices and addresses it may declare.</summary>
public enum NetworkArchitecture
{
    Ethernet,
    Ipv4,
    Ipv6,
    Mpls,
}

/// <summary>
/// One software network: its share of the hypervisor (base tokens and priority), its devices, hosts and links.
/// Address space is private to the network, so two networks may both use 10.0.0.0/24.
/// </summary>
public sealed record SoftwareNetwork(
    string Name,
    NetworkArchitecture Architecture,
    int Tokens,
    PriorityKind Priority,
    IReadOnlyList<DeviceSpec> Devices,
    IReadOnlyList<HostSpec> Hosts,
    IReadOnlyList<LinkSpec> Links)
{
    /// <summary>
    /// The physical port kind behind <paramref name="endpoint"/>: the one declared on the port, else
    /// <see cref="PhysicalPortKind.Tap"/> when the link reaches a host (so a real stack can sit there), else memory.
    /// </summary>
    public PhysicalPortKind PortKindOf(Endpoint endpoint)
    {
        var declared = Hosts.FirstOrDefault(h => h.Name == endpoint.Node)?.Phy
            ?? Devices.FirstOrDefault(d => d.Name == endpoint.Node)?.Ports.FirstOrDefault(p => p.Name == endpoint.Port)?.Phy;
        if (declared is { } kind) return kind;
        var link = Links.FirstOrDefault(l => l.A == endpoint || l.B == endpoint);
        var touchesHost = link is not null && Hosts.Any(h => h.Name == link.A.Node || h.Name == link.B.Node);
        return touchesHost ? PhysicalPortKind.Tap : PhysicalPortKind.Memory;
    }
}
