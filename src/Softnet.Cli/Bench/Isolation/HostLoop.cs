using System.Buffers.Binary;
using System.Diagnostics;
using Softnet.DataPlane;
using Softnet.DataPlane.Ports;
using Softnet.Hypervisor.Linux;
using Softnet.Hypervisor.Runtime;
using Softnet.Hypervisor.Topology;
using Softnet.Wire;
using SoftnetHypervisor = Softnet.Hypervisor.Runtime.Hypervisor;

namespace Softnet.Cli.Bench.Isolation;

/// <summary>How a network's loop offers its frames at h1.</summary>
internal enum LoopMode
{
    /// <summary>Not at all: loop frames that come round are freed.</summary>
    Off,

    /// <summary>As soon as h1's backend has room: the network is always backlogged.</summary>
    Busy,

    /// <summary>
    /// At a fixed rate, each frame due at its own instant. Due frames wait at h1 as in a NIC's receive ring of
    /// <see cref="HostLoop.PortQueue"/> frames; one due when that ring is full is dropped at h1 (it stays in the loop,
    /// as if dropped and made anew).
    /// </summary>
    Rate,

    /// <summary>
    /// At a fixed rate as <see cref="Rate"/>, but every frame is made anew from the header, which addresses it to
    /// another network through a gateway: it does not come back. Loop frames that come round are freed.
    /// </summary>
    Across,
}

/// <summary>
/// The bench's hosts: h1 and h2 of each network are the two ends of one in-memory loop, served on the driver
/// domain's thread, so that no generator thread limits what a network offers and every network can saturate the
/// worker. The generator thread only fills the loops and answers r1's ARP requests.
/// </summary>
internal sealed class LoopHosts : IHostPortProvider
{
    private readonly Dictionary<string, HostLoop> _loops = [];

    public HostLoop this[string network] => _loops[network];

    /// <summary>Called after the generator hands frames to a host: the hypervisor's <c>WakeIfSleeping</c>, once it runs.</summary>
    public Action Wake { get; set; } = () => { };

    public IPhysicalPort Attach(SoftwareNetwork network, HostSpec host, PhysicalPortKind kind, PacketPool pool)
    {
        if (!_loops.TryGetValue(network.Name, out var loop)) _loops[network.Name] = loop = new HostLoop(network.Name, pool, this);
        return host.Name switch
        {
            "h1" => loop.Sender,
            "h2" => loop.Sink,
            _ => throw new InvalidOperationException($"The isolation bench serves hosts h1 and h2 only, not {network.Name}/{host.Name}."),
        };
    }

    public void Detach(SoftwareNetwork network, HostSpec host)
    {
    }
}

/// <summary>
/// One network's loop. Loop frames (UDP from <see cref="LoopSourcePort"/>) that reach h2 are counted in the window
/// of their arrival, their one-way latency recorded when they carry a stamp, and offered again at h1 with their
/// headers restored and stamped: with the instant they were due at a fixed rate, else with the instant they were
/// offered. Every mode stamps and measures, so that a frame costs the worker the same in every scenario (the
/// capacity one scenario measures holds in the next). Everything else (ARP) goes to the
/// generator through rings. The driver domain's thread runs the ports; the generator's thread sets the mode, fills
/// the loop and reads the counts.
/// </summary>
internal sealed class HostLoop
{
    public const ushort LoopSourcePort = 40001;

    /// <summary>The UDP source port of frames sent across a gateway (<see cref="LoopMode.Across"/>): a sink counts them apart and frees them.</summary>
    public const ushort AcrossSourcePort = 40002;

    /// <summary>Where a frame carries its stamp (Stopwatch ticks, little-endian): right after the UDP header.</summary>
    public const int StampOffset = HeaderBytes;

    /// <summary>Windows whose latencies are kept at once: the generator reads a window's well after the driver has moved on.</summary>
    public const int LatencySlots = 4;

    private const int UdpSourcePortOffset = EthernetFrame.HeaderLength + Ipv4Packet.MinHeaderLength;

    /// <summary>Bytes of header a loop frame gets back at h1: Ethernet, IPv4 (r1 rewrote MACs, TTL, checksum) and UDP.</summary>
    private const int HeaderBytes = UdpSourcePortOffset + UdpPacket.HeaderLength;

    /// <summary>Frames due at h1 that may wait for its backend to take them, as in a NIC's receive ring.</summary>
    public const int PortQueue = SoftnetHypervisor.RingCapacity;

    /// <summary>Most loop frames waiting at h1 to go round again: more than any loop the bench fills.</summary>
    private const int LoopCapacity = 8192;

    private readonly PacketPool _pool;
    private readonly LoopHosts _hosts;
    private readonly int[] _queue = new int[LoopCapacity];
    private readonly int[] _others = new int[PacketBatch.MaxSize];
    private readonly LatencyHistogram[] _latency = [new(), new(), new(), new()];
    private int _queueHead;
    private int _queueCount;
    private volatile Config _config = new(LoopMode.Off, 0, new byte[HeaderBytes]);
    private Config _applied;
    private double _nextDue;
    private double _firstDue;
    private long _pending;
    private long[] _delivered = [];
    private long _measureStart;
    private long _windowTicks;
    private long _loopSent;
    private long _loopDelivered;
    private long _loopRefused;
    private long _toGeneratorDropped;
    private long _crossed;

    public HostLoop(string network, PacketPool pool, LoopHosts hosts)
    {
        _pool = pool;
        _hosts = hosts;
        _applied = _config;
        Sender = new Port(this, $"loop:{network}/h1", sender: true);
        Sink = new Port(this, $"loop:{network}/h2", sender: false);
    }

    public IPhysicalPort Sender { get; }
    public IPhysicalPort Sink { get; }

    /// <summary>The generator's side of h1: loop frames go in here; it receives what r1 sends h1 (ARP).</summary>
    public GeneratorSide H1 => ((Port)Sender).Generator;

    /// <summary>The generator's side of h2: it receives what r1 sends h2 that is not a loop frame (ARP), and answers through it.</summary>
    public GeneratorSide H2 => ((Port)Sink).Generator;

    /// <summary>Loop frames h1 handed to its backend.</summary>
    public long LoopSent => Volatile.Read(ref _loopSent);

    /// <summary>Loop frames that reached h2.</summary>
    public long LoopDelivered => Volatile.Read(ref _loopDelivered);

    /// <summary>Loop frames due at h1 at a fixed rate that found its receive ring full (see <see cref="LoopMode.Rate"/>).</summary>
    public long LoopRefused => Volatile.Read(ref _loopRefused);

    /// <summary>Frames another network sent across a gateway (<see cref="AcrossSourcePort"/>) that reached this loop's h2.</summary>
    public long Crossed => Volatile.Read(ref _crossed);

    /// <summary>Frames for the generator (ARP) that arrived while its ring was full.</summary>
    public long ToGeneratorDropped => Volatile.Read(ref _toGeneratorDropped);

    /// <summary>
    /// Sets how the loop offers frames from now on (<paramref name="framesPerSecond"/> for <see cref="LoopMode.Rate"/>);
    /// <paramref name="header"/> holds the first bytes (Ethernet,
    /// IPv4, UDP) every loop frame gets back at h1. Called between scenarios, on the generator's thread.
    /// </summary>
    public void Start(LoopMode mode, double framesPerSecond, byte[] header)
    {
        if (header.Length < HeaderBytes) throw new ArgumentException($"A loop frame's header has {HeaderBytes} bytes.", nameof(header));
        var paced = mode is LoopMode.Rate or LoopMode.Across;
        if (paced && !(framesPerSecond > 0)) throw new ArgumentOutOfRangeException(nameof(framesPerSecond));
        // One immutable object, taken up by the driver's thread at its next receive: the two threads share no other state.
        _config = new Config(mode, paced ? Stopwatch.Frequency / framesPerSecond : 0, header);
    }

    /// <summary>Counts deliveries into <paramref name="windows"/> windows of <paramref name="windowTicks"/> from <paramref name="start"/> on.</summary>
    public void Measure(long start, long windowTicks, int windows)
    {
        foreach (var slot in _latency) slot.Clear();
        _windowTicks = windowTicks;
        _measureStart = start;
        // Published last: the driver's thread counts only once it sees the array, and then sees the window's bounds too.
        Volatile.Write(ref _delivered, new long[windows]);
    }

    /// <summary>Loop frames delivered in window <paramref name="window"/> of the last measurement.</summary>
    public long DeliveredIn(int window) => Volatile.Read(ref _delivered[window]);

    /// <summary>
    /// The latencies (ticks) of the frames delivered in window <paramref name="window"/>; read it once the window
    /// has ended, then clear it for window <paramref name="window"/> + <see cref="LatencySlots"/>.
    /// </summary>
    public LatencyHistogram LatencyIn(int window) => _latency[window % LatencySlots];

    private static bool IsLoopFrame(ReadOnlySpan<byte> frame) => IsFrom(frame, LoopSourcePort);

    private static bool IsFrom(ReadOnlySpan<byte> frame, ushort sourcePort) =>
        frame.Length >= HeaderBytes + sizeof(long)
        && BinaryPrimitives.ReadUInt16BigEndian(frame[(EthernetFrame.HeaderLength - 2)..]) == (ushort)EtherType.Ipv4
        && BinaryPrimitives.ReadUInt16BigEndian(frame[UdpSourcePortOffset..]) == sourcePort;

    /// <summary>h1's receive, on the driver's thread: frames the generator put in first, then loop frames as the mode allows.</summary>
    private int SenderReceive(Span<int> destination, Port port)
    {
        var n = port.FromGenerator.Dequeue(destination);
        var config = _config;
        if (!ReferenceEquals(config, _applied))
        {
            _applied = config;
            _nextDue = Stopwatch.GetTimestamp();
            _pending = 0;
        }
        switch (config.Mode)
        {
            case LoopMode.Off:
                DropQueue();
                break;
            case LoopMode.Busy:
                // The clock is read on every poll, as at a fixed rate: a frame costs the worker the same in every mode.
                var stamp = Stopwatch.GetTimestamp();
                n += Offer(destination[n..], Math.Min(destination.Length - n, _queueCount), stamp, 0, config.Header);
                break;
            case LoopMode.Rate:
                var take = Due(Math.Min(destination.Length - n, _queueCount), config.TicksPerFrame);
                n += Offer(destination[n..], take, _firstDue, config.TicksPerFrame, config.Header);
                _firstDue += take * config.TicksPerFrame;
                _pending -= take;
                break;
            case LoopMode.Across:
                DropQueue();
                var made = Make(destination[n..], Due(destination.Length - n, config.TicksPerFrame), _firstDue, config.TicksPerFrame, config.Header);
                n += made;
                _firstDue += made * config.TicksPerFrame;
                _pending -= made;
                break;
        }
        return n;
    }

    /// <summary>
    /// Adds the frames due since the last receive at one per <paramref name="ticksPerFrame"/> to those waiting in the
    /// port's ring, drops the oldest beyond its <see cref="PortQueue"/>, and returns how many of them may go now: at
    /// most <paramref name="room"/>.
    /// </summary>
    private int Due(int room, double ticksPerFrame)
    {
        var now = Stopwatch.GetTimestamp();
        var due = _nextDue <= now ? (long)((now - _nextDue) / ticksPerFrame) + 1 : 0;
        if (_pending == 0) _firstDue = _nextDue;
        _nextDue += due * ticksPerFrame;
        _pending += due;
        if (_pending > PortQueue)
        {
            // The port's ring is full: the oldest due frames were dropped as newer ones arrived (as a NIC counts them).
            Volatile.Write(ref _loopRefused, _loopRefused + _pending - PortQueue);
            Sender.Counters.RxDropped += _pending - PortQueue;
            _firstDue += (_pending - PortQueue) * ticksPerFrame;
            _pending = PortQueue;
        }
        return (int)Math.Min(_pending, room);
    }

    /// <summary>Makes up to <paramref name="count"/> frames from <paramref name="frame"/>, stamped from <paramref name="due"/> on; fewer when the pool runs out.</summary>
    private int Make(Span<int> destination, int count, double due, double ticksPerFrame, byte[] frame)
    {
        var made = 0;
        while (made < count && _pool.TryAllocate(frame, out var handle))
        {
            BinaryPrimitives.WriteInt64LittleEndian(_pool.Data(handle)[StampOffset..], (long)(due + made * ticksPerFrame));
            destination[made++] = handle;
        }
        Volatile.Write(ref _loopSent, _loopSent + made);
        return made;
    }

    /// <summary>Takes <paramref name="count"/> loop frames, restores their headers and stamps them from <paramref name="due"/> on.</summary>
    private int Offer(Span<int> destination, int count, double due, double ticksPerFrame, byte[] header)
    {
        for (var i = 0; i < count; i++)
        {
            var frame = _queue[_queueHead];
            _queueHead = _queueHead + 1 == _queue.Length ? 0 : _queueHead + 1;
            var data = _pool.Data(frame);
            header.CopyTo(data);
            BinaryPrimitives.WriteInt64LittleEndian(data[StampOffset..], (long)(due + i * ticksPerFrame));
            destination[i] = frame;
        }
        _queueCount -= count;
        Volatile.Write(ref _loopSent, _loopSent + count);
        return count;
    }

    /// <summary>h2's transmit, on the driver's thread: loop frames are counted and go round again (or are freed when the loop is off), the rest go to the generator.</summary>
    private void SinkTransmit(ReadOnlySpan<int> frames, Port port)
    {
        var looping = _config.Mode is LoopMode.Busy or LoopMode.Rate;
        var now = Stopwatch.GetTimestamp();
        var delivered = Volatile.Read(ref _delivered);
        var window = delivered.Length == 0 ? 0 : (now - _measureStart) / _windowTicks;
        var counted = delivered.Length > 0 && now >= _measureStart && window < delivered.Length;
        var latency = _latency[counted ? window % LatencySlots : 0];
        var loop = 0;
        var others = 0;
        var crossed = 0;
        foreach (var frame in frames)
        {
            var data = _pool.Data(frame);
            if (!IsLoopFrame(data))
            {
                if (IsFrom(data, AcrossSourcePort))
                {
                    crossed++;
                    _pool.Free(frame);
                    continue;
                }
                _others[others++] = frame;
                continue;
            }
            loop++;
            if (counted) latency.Add(now - BinaryPrimitives.ReadInt64LittleEndian(data[StampOffset..]));
            if (!looping || _queueCount == _queue.Length)
            {
                _pool.Free(frame);
                continue;
            }
            var tail = _queueHead + _queueCount;
            _queue[tail >= _queue.Length ? tail - _queue.Length : tail] = frame;
            _queueCount++;
        }
        if (counted) Volatile.Write(ref delivered[window], delivered[window] + loop);
        Volatile.Write(ref _loopDelivered, _loopDelivered + loop);
        if (crossed > 0) Volatile.Write(ref _crossed, _crossed + crossed);
        ToGenerator(_others.AsSpan(0, others), port);
    }

    /// <summary>Hands frames to the generator's side of a port; what its full ring refuses is freed and counted.</summary>
    private void ToGenerator(ReadOnlySpan<int> frames, Port port)
    {
        var taken = port.ToGenerator.Enqueue(frames);
        if (taken == frames.Length) return;
        _pool.Free(frames[taken..]);
        Volatile.Write(ref _toGeneratorDropped, _toGeneratorDropped + frames.Length - taken);
    }

    private void DropQueue()
    {
        while (_queueCount > 0)
        {
            _pool.Free(_queue[_queueHead]);
            _queueHead = _queueHead + 1 == _queue.Length ? 0 : _queueHead + 1;
            _queueCount--;
        }
    }

    /// <summary>h1 or h2 as the driver domain sees it: a port whose other side is the generator and, for loop frames, the loop.</summary>
    public sealed class Port : IPhysicalPort
    {
        private readonly HostLoop _loop;
        private readonly bool _sender;

        public Port(HostLoop loop, string name, bool sender)
        {
            _loop = loop;
            _sender = sender;
            Name = name;
            Generator = new GeneratorSide(this, loop._hosts);
        }

        public HandleRing FromGenerator { get; } = new(SoftnetHypervisor.RingCapacity);
        public HandleRing ToGenerator { get; } = new(SoftnetHypervisor.RingCapacity);
        public GeneratorSide Generator { get; }

        public string Name { get; }
        public PhysicalPortKind Kind => PhysicalPortKind.Memory;
        public int ReadinessFd => -1;

        /// <summary>
        /// Frames from the generator, and at h1 every loop frame queued (due or not: a worker keeps polling a loop until
        /// it is empty), or one while it sends across (frames keep falling due).
        /// </summary>
        public int Waiting => FromGenerator.Count + (!_sender ? 0 : _loop._config.Mode == LoopMode.Across ? 1 : _loop._queueCount);

        public bool CarriesOffloads => true;
        public PhysicalPortCounters Counters { get; } = new();

        public int Receive(Span<int> destination)
        {
            var n = _sender ? _loop.SenderReceive(destination, this) : FromGenerator.Dequeue(destination);
            foreach (var frame in destination[..n]) Counters.RxBytes += _loop._pool.Length(frame);
            Counters.RxFrames += n;
            return n;
        }

        public int Transmit(ReadOnlySpan<int> frames)
        {
            foreach (var frame in frames) Counters.TxBytes += _loop._pool.Length(frame);
            Counters.TxFrames += frames.Length;
            if (_sender) _loop.ToGenerator(frames, this);
            else _loop.SinkTransmit(frames, this);
            return frames.Length;
        }

        public void Dispose()
        {
            if (_sender) _loop.DropQueue();
        }
    }

    /// <summary>The generator's side of a port: one thread transmits, one receives.</summary>
    public sealed class GeneratorSide(Port port, LoopHosts hosts) : IFramePort
    {
        public int Waiting => port.ToGenerator.Count;

        public int Receive(Span<int> destination) => port.ToGenerator.Dequeue(destination);

        public int Transmit(ReadOnlySpan<int> frames)
        {
            var taken = port.FromGenerator.Enqueue(frames);
            if (taken > 0) hosts.Wake();
            return taken;
        }
    }

    /// <summary>How the loop offers frames: set by the generator's thread, taken up by the driver's.</summary>
    private sealed record Config(LoopMode Mode, double TicksPerFrame, byte[] Header);
}
