using Softnet.DataPlane.Ports;
using Softnet.Hypervisor.Topology;

namespace Softnet.Hypervisor.Runtime;

/// <summary>
/// The in-memory physical port (SPEC 3: for tests and benchmarks): the driver domain owns one end of a link, and
/// <see cref="Host"/>, the other end, stands where a namespace would be. Frames the host transmits wake a sleeping worker.
/// </summary>
public sealed class MemoryPhysicalPort : IPhysicalPort
{
    private readonly InMemoryLink.End _driverEnd;

    internal MemoryPhysicalPort(string name, int capacity, Action wake)
    {
        var link = new InMemoryLink(capacity);
        Name = name;
        _driverEnd = link.A;
        Host = new HostEnd(link.B, wake);
    }

    public string Name { get; }
    public PhysicalPortKind Kind => PhysicalPortKind.Memory;
    public int ReadinessFd => -1;
    public bool CarriesOffloads => true;

    /// <summary>The host's side: what it transmits enters the software network, what it receives left it.</summary>
    public HostEnd Host { get; }

    /// <summary>Frames the host has sent that the driver domain has not taken yet.</summary>
    public int Waiting => _driverEnd.Waiting;

    public int Receive(Span<int> destination) => _driverEnd.Receive(destination);

    public int Transmit(ReadOnlySpan<int> frames) => _driverEnd.Transmit(frames);

    public void Dispose()
    {
    }

    /// <summary>The host's end of an in-memory physical port; one thread at a time may transmit, one may receive.</summary>
    public sealed class HostEnd(InMemoryLink.End end, Action wake) : IFramePort
    {
        /// <summary>Frames the network has delivered and the host has not taken yet.</summary>
        public int Waiting => end.Waiting;

        public int Receive(Span<int> destination) => end.Receive(destination);

        public int Transmit(ReadOnlySpan<int> frames)
        {
            var taken = end.Transmit(frames);
            if (taken > 0) wake();
            return taken;
        }
    }
}
