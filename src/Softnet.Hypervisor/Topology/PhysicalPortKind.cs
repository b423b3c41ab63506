namespace Softnet.Hypervisor.Topology;

/// <summary>What carries a port's frames: a kernel TAP device, an AF_PACKET socket on a NIC, or an in-memory pipe.</summary>
public enum PhysicalPortKind
{
    Tap,
    AfPacket,
    Memory,
}
