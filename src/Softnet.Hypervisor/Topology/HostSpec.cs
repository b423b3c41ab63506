namespace Softnet.Hypervisor.Topology;

/// <summary>An end host with a single interface eth0 (h1-eth0), its addresses and default gateways.</summary>
public sealed record HostSpec(string Name, IReadOnlyList<InterfaceAddress> Addresses, IReadOnlyList<IpAddress> Gateways, PhysicalPortKind? Phy)
    : IPortSpec
{
    public const string InterfaceName = "eth0";

    string IPortSpec.Name => InterfaceName;
}
