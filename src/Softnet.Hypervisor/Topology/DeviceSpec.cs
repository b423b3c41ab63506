namespace Softnet.Hypervisor.Topology;

/// <summary>A named port of a device or host, such as eth0 of r1 (r1-eth0 in the drawing).</summary>
public interface IPortSpec
{
    string Name { get; }
    PhysicalPortKind? Phy { get; }
}

/// <summary>A forwarding device of a software network; its ports are what links attach to.</summary>
public abstract record DeviceSpec(string Name)
{
    public abstract IEnumerable<IPortSpec> Ports { get; }
}

/// <summary>An Ethernet learning switch.</summary>
public sealed record SwitchSpec(string Name, IReadOnlyList<SwitchPortSpec> SwitchPorts) : DeviceSpec(Name)
{
    public override IEnumerable<IPortSpec> Ports => SwitchPorts;
}

/// <summary>A switch port: untagged in <see cref="AccessVlan"/>, or a trunk carrying <see cref="TrunkVlans"/> tagged; neither means VLAN 1 untagged.</summary>
public sealed record SwitchPortSpec(string Name, int? AccessVlan, IReadOnlyList<int> TrunkVlans, PhysicalPortKind? Phy) : IPortSpec;

/// <summary>An IP router; in an MPLS network it is a label edge router whose routes may push labels.</summary>
public sealed record RouterSpec(string Name, IReadOnlyList<InterfaceSpec> Interfaces, IReadOnlyList<StaticRoute> Routes) : DeviceSpec(Name)
{
    public override IEnumerable<IPortSpec> Ports => Interfaces;
}

/// <summary>A label switching router: IP interfaces plus an incoming-label map.</summary>
public sealed record LsrSpec(string Name, IReadOnlyList<InterfaceSpec> Interfaces, IReadOnlyList<StaticRoute> Routes, IReadOnlyList<LabelBinding> Labels)
    : DeviceSpec(Name)
{
    public override IEnumerable<IPortSpec> Ports => Interfaces;
}

/// <summary>A routed interface and its addresses (each with the length of its connected subnet).</summary>
public sealed record InterfaceSpec(string Name, IReadOnlyList<InterfaceAddress> Addresses, PhysicalPortKind? Phy) : IPortSpec;
