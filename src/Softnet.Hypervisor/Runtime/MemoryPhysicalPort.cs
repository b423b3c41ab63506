using Softnet.DataPlane;
using Softnet.DataPlane.Ports;
using Softnet.Hypervisor.Linux;
using Softnet.Hypervisor.Topology;

namespace Softnet.Hypervisor.Runtime;

/// <summary>
/// The in-memory physical port (SPEC 3: for tests and benchmarks): the driver domain owns one end of a link, and
/// <see cref="Host"/>, the other end, stands where a namespace would be. Frames the host transmits wake a sleeping worker.
/// </summary>
public sealed class MemoryPhysicalPort : IPhysicalPort
{
    private readonly InMemoryLink.End _driverEnd;

    private readonly PacketPool _pool;

    internal MemoryPhysicalPort(string name, PacketPool pool, int capacity, Action wake)
    {
        _pool = pool;
        var link = new InMemoryLink(capacity);
        Name = name;
        _driverEnd = link.A;
        Host = new HostEnd(link.B, wake);
    }

    public string Name { get; }
    public PhysicalPortKind Kind => PhysicalPortKind.Memory;
    public int ReadinessFd => -1;
    public bool CarriesOffloads => true;
    public PhysicalPortCounters Counters { get; } = new();

    /// <summary>The host's side: what it transmits enters the software network, what it receives left it.</summary>
    public HostEnd Host { get; }

    /// <summary>Frames the host has sent that the driver domain has not taken yet.</summary>
    public int Waiting => _driverEnd.Waiting;

    public int Receive(Span<int> destination)
    {
        var n = _driverEnd.Receive(destination);
        foreach (var frame in destination[..n]) Counters.RxBytes += _pool.Length(frame);
        Counters.RxFrames += n;
        return n;
    }

    /// <summary>Hands frames to the host; what its full queue refuses stays the caller's.</summary>
    public int Transmit(ReadOnlySpan<int> frames)
    {
        var n = _driverEnd.Transmit(frames);
        foreach (var frame in frames[..n]) Counters.TxBytes += _pool.Length(frame);
        Counters.TxFrames += n;
        return n;
    }

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
