using Softnet.DataPlane.Ports;
using Softnet.Hypervisor.Linux;
using Softnet.Hypervisor.Topology;

namespace Softnet.Hypervisor.Runtime;

/// <summary>
/// A port of the physical node, owned by the driver domain (SPEC 3): a TAP device, an AF_PACKET socket on a veth,
/// or an in-memory pipe. Frames are handles of the hypervisor's packet pool; ownership moves with them.
/// </summary>
public interface IPhysicalPort : IFramePort, IDisposable
{
    /// <summary>What the node calls it: the kernel interface name, or <c>memory:lab/h1</c>.</summary>
    string Name { get; }

    PhysicalPortKind Kind { get; }

    /// <summary>A file descriptor that becomes readable when frames wait (for epoll), or -1 for a port that is polled.</summary>
    int ReadinessFd { get; }

    /// <summary>
    /// Frames waiting to be received, for a port without a descriptor (<see cref="ReadinessFd"/> -1): a worker looks
    /// before it sleeps. A port with a descriptor returns 0; epoll tells for it.
    /// </summary>
    int Waiting { get; }

    /// <summary>
    /// Whether the port takes segmentation super-frames and partial checksums as they are (a TAP with virtio-net
    /// headers does). For a port that does not, the driver domain segments and completes checksums before transmitting.
    /// </summary>
    bool CarriesOffloads { get; }

    /// <summary>Frames and bytes through the port, and what it dropped, counted by the port itself.</summary>
    PhysicalPortCounters Counters { get; }
}
