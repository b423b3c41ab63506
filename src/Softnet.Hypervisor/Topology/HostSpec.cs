using Softnet.Devices;
using Softnet.Wire;

namespace Softnet.Hypervisor.Topology;

/// <summary>An end host with a single interface eth0 (h1-eth0), its addresses and default gateways.</summary>
public sealed record HostSpec(string Name, IReadOnlyList<InterfaceAddress> Addresses, IReadOnlyList<IpAddress> Gateways, PhysicalPortKind? Phy)
    : IPortSpec
{
    public const string InterfaceName = "eth0";

    /// <summary>
    /// The MAC address of eth0: the file's <c>mac</c>, else a stable one derived from the host's name
    /// (<see cref="MacAddresses.For"/>, port 0), so that the controller can pin it in the switches' MAC tables.
    /// </summary>
    public MacAddress Mac { get; init; } = MacAddresses.For(Name, 0);

    string IPortSpec.Name => InterfaceName;
}
