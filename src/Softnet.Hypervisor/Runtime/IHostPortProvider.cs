using Softnet.DataPlane;
using Softnet.Hypervisor.Topology;

namespace Softnet.Hypervisor.Runtime;

/// <summary>
/// Makes the hosts of a software network: for a real host a network namespace whose <c>eth0</c> is wired to the
/// physical port it returns; for an in-memory host just the pipe.
/// </summary>
public interface IHostPortProvider
{
    /// <summary>Builds <paramref name="host"/> of <paramref name="network"/>; the caller owns the returned port.</summary>
    IPhysicalPort Attach(SoftwareNetwork network, HostSpec host, PhysicalPortKind kind, PacketPool pool);

    /// <summary>Removes everything <see cref="Attach"/> made for the host (namespace, links); the port is disposed by its owner.</summary>
    void Detach(SoftwareNetwork network, HostSpec host);
}
