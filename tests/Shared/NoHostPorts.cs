using Softnet.DataPlane;
using Softnet.Hypervisor.Runtime;
using Softnet.Hypervisor.Topology;

namespace Softnet.Tests.Shared;

/// <summary>The host port provider of a test whose hosts are all in memory (the hypervisor makes those itself): any other kind is a mistake in the test's topology.</summary>
internal sealed class NoHostPorts : IHostPortProvider
{
    public IPhysicalPort Attach(SoftwareNetwork network, HostSpec host, PhysicalPortKind kind, PacketPool pool) =>
        throw new InvalidOperationException($"test topology asked for a {kind} host");

    public void Detach(SoftwareNetwork network, HostSpec host)
    {
    }
}
