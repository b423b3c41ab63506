using Softnet.DataPlane;
using Softnet.DataPlane.Offload;
using Softnet.DataPlane.Ports;

namespace Softnet.Hypervisor.Runtime;

/// <summary>
/// The driver domain (SPEC 3, bridge mode): owns the physical ports; demultiplexes each frame a port receives to
/// the backend interface of the domain that port serves, and multiplexes what the backends send onto the ports.
/// Frames move as handles through the backends' rings (zero copy). It takes from a port only what the backend ring
/// has room for: when a domain is out of tokens and backlogged, its frames wait (and overflow) in that port's own
/// queue, so a flood in one network never holds up another's frames. For a port without offloads, super-frames
/// are segmented and partial checksums completed on the way out. One thread polls at a time.
/// </summary>
internal sealed class DriverDomain(PacketPool pool)
{
    /// <summary>Most segments one super-frame may make: 64 KiB at the smallest MSS a Linux sender uses (536 bytes).</summary>
    private const int MaxSegments = 128;

    /// <summary>Ethernet's shortest frame without the FCS: the size of a dropped frame when the port has received none.</summary>
    private const int MinFrameLength = 60;

    private volatile Binding[] _bindings = [];
    private readonly int[] _frames = new int[PacketBatch.MaxSize];
    private readonly int[] _segments = new int[2 * PacketBatch.MaxSize];
    private int _polling;

    public IReadOnlyList<Binding> Bindings => _bindings;

    /// <summary>
    /// Serves <paramref name="bindings"/> from now on. Waits for a poll in progress to end, so that no poll runs on the
    /// old bindings afterwards: their rings are the caller's to empty.
    /// </summary>
    public void Replace(Binding[] bindings)
    {
        var spin = new SpinWait();
        while (Interlocked.CompareExchange(ref _polling, 1, 0) != 0) spin.SpinOnce();
        _bindings = bindings;
        Volatile.Write(ref _polling, 0);
    }

    /// <summary>
    /// Whether the driver has work no descriptor would wake a worker for: frames waiting at a port without one (in
    /// memory), or frames a domain has sent that are not on their port yet.
    /// </summary>
    public bool HasWaitingFrames
    {
        get
        {
            foreach (var binding in _bindings)
            {
                if (binding.Port.Waiting > 0 || binding.Backend.Waiting > 0) return true;
            }
            return false;
        }
    }

    /// <summary>
    /// Moves what is waiting in both directions, unless another thread is polling; returns frames moved. Ports with
    /// a descriptor (a TAP, a socket: a system call each) are polled only when <paramref name="descriptors"/> is set;
    /// ports without one (in memory) every time.
    /// </summary>
    public int TryPoll(bool descriptors)
    {
        if (Interlocked.CompareExchange(ref _polling, 1, 0) != 0) return 0;
        try
        {
            var moved = 0;
            foreach (var binding in _bindings)
            {
                if (descriptors || binding.Port.ReadinessFd < 0) moved += Receive(binding) + Transmit(binding);
            }
            return moved;
        }
        finally
        {
            Volatile.Write(ref _polling, 0);
        }
    }

    /// <summary>
    /// Takes no more frames from the port than the backend has room for: what the domain cannot take yet stays in the
    /// port's own queue (the kernel's, for a TAP or a socket), so a flooded port costs its own network, not the node.
    /// </summary>
    private int Receive(Binding binding)
    {
        // What the port dropped (its ring full, or the pool) was offered too: a flood is metered at its full rate.
        var counters = binding.Port.Counters;
        var dropped = counters.RxDropped;
        if (dropped != binding.SeenDropped)
        {
            var lost = dropped - binding.SeenDropped;
            binding.SeenDropped = dropped;
            Volatile.Write(ref binding.OfferedBytes, binding.OfferedBytes + lost * (counters.RxFrames > 0 ? counters.RxBytes / counters.RxFrames : MinFrameLength));
            Volatile.Write(ref binding.OfferedFrames, binding.OfferedFrames + lost);
        }
        var room = Math.Min(binding.Backend.Room, _frames.Length);
        if (room == 0) return 0;
        var n = binding.Port.Receive(_frames.AsSpan(0, room));
        if (n == 0) return 0;
        long bytes = 0;
        foreach (var frame in _frames.AsSpan(0, n)) bytes += pool.Length(frame);
        Volatile.Write(ref binding.OfferedBytes, binding.OfferedBytes + bytes);
        Volatile.Write(ref binding.OfferedFrames, binding.OfferedFrames + n);
        // This thread is the ring's only producer and there was room for n: the backend takes them all.
        binding.Backend.Transmit(_frames.AsSpan(0, n));
        return n;
    }

    private int Transmit(Binding binding)
    {
        var n = binding.Backend.Receive(_frames);
        if (n == 0) return 0;
        var frames = _frames.AsSpan(0, n);
        if (binding.Port.CarriesOffloads)
        {
            Send(binding, frames);
            return n;
        }
        var count = 0;
        foreach (var frame in frames)
        {
            if (count > _segments.Length - MaxSegments)
            {
                Send(binding, _segments.AsSpan(0, count));
                count = 0;
            }
            ref var meta = ref pool.Meta(frame);
            if (meta.GsoType == GsoKind.None)
            {
                if ((meta.Flags & PacketFlags.ChecksumPartial) != 0) Segmentation.CompleteChecksum(pool, frame);
                _segments[count++] = frame;
                continue;
            }
            var made = Segmentation.Segment(pool, frame, _segments.AsSpan(count, MaxSegments));
            if (made < 0)
            {
                pool.Free(frame);
                binding.TxDropped++;
                continue;
            }
            binding.Segmented++;
            count += made;
        }
        Send(binding, _segments.AsSpan(0, count));
        return n;
    }

    /// <summary>Hands frames to the port; what it refuses (its queue is full) is dropped and counted here.</summary>
    private void Send(Binding binding, Span<int> frames)
    {
        if (frames.IsEmpty) return;
        var accepted = binding.Port.Transmit(frames);
        pool.Free(frames[accepted..]);
        binding.TxDropped += frames.Length - accepted;
    }

    /// <summary>A physical port and the backend interface of the domain port it serves, with what only the driver can count.</summary>
    internal sealed class Binding(IPhysicalPort port, InMemoryLink.End backend, string network, string domainPort)
    {
        public IPhysicalPort Port { get; } = port;
        public InMemoryLink.End Backend { get; } = backend;
        public string Network { get; } = network;
        public string DomainPort { get; } = domainPort;

        /// <summary>Frames the port refused or that could not be segmented: the port's own counters never saw them.</summary>
        public long TxDropped;

        /// <summary>What the network offered through this port (taken into its backend, or dropped by the port), written by the polling thread.</summary>
        public long OfferedBytes;
        public long OfferedFrames;

        /// <summary>The port's <c>RxDropped</c> already counted as offered.</summary>
        public long SeenDropped;

        /// <summary>How much of that the scheduler has been told of (<see cref="Hypervisor"/>'s turn, under its lock).</summary>
        public long MeteredBytes;
        public long MeteredFrames;
        public long Segmented;
    }
}
