using System.Buffers.Binary;
using System.Diagnostics;
using Softnet.DataPlane;
using Softnet.Hypervisor.Runtime;
using Softnet.Wire;
using SoftnetHypervisor = Softnet.Hypervisor.Runtime.Hypervisor;

namespace Softnet.Cli.Bench.Isolation;

/// <summary>
/// The traffic of one software network, driven from the generator's thread: h1's end of the network sends UDP/IPv4
/// frames to h2 through r1, each stamped with its send time (Stopwatch ticks) right after the UDP header; h2's end
/// counts what arrives per measurement window and records one-way latency. Both ends answer ARP for their address,
/// so r1 resolves h2 as it would any host. Frames are copies of one template in buffers of the hypervisor's pool,
/// which the sink frees: nothing is allocated per frame.
/// </summary>
internal sealed class NetworkTraffic
{
    private const int StampOffset = EthernetFrame.HeaderLength + Ipv4Packet.MinHeaderLength + UdpPacket.HeaderLength;
    private const ushort SinkPort = 5001;

    /// <summary>The shortest frame sent: Ethernet's minimum without the FCS, which holds the stamp.</summary>
    public const int MinFrameBytes = 60;

    /// <summary>Frames upstream of h2 below which a busy network counts as starved: about three turns' worth.</summary>
    public const int StarvedBelow = 16;

    /// <summary>
    /// Most frames a flood (a paced load whose latency is not measured) makes per pass of a generator round, so that
    /// a pass stays short and the other networks' frames are sent and taken on time. Other loads make up to a vector.
    /// </summary>
    private const int FloodPerPass = 64;

    /// <summary>A busy sender tops up this many frames at a time: every transmit to an in-memory port also wakes the workers (a syscall).</summary>
    private const int BusyBatch = 32;

    /// <summary>How far a paced sender may fall behind its schedule (one ring); frames due beyond it are lost at its port.</summary>
    private const int Slack = SoftnetHypervisor.RingCapacity;

    private static readonly MacAddress SenderMac = new(0x02_00_00_00_01_0AUL);
    private static readonly MacAddress SinkMac = new(0x02_00_00_00_02_0AUL);

    private readonly PacketPool _pool;
    private readonly MemoryPhysicalPort.HostEnd _sender;
    private readonly MemoryPhysicalPort.HostEnd _sink;
    private readonly byte[] _template;
    private readonly int[] _outgoing = new int[PacketBatch.MaxSize];
    private readonly int[] _incoming = new int[PacketBatch.MaxSize];
    private readonly int[] _reply = new int[1];
    private readonly long[] _windows;
    private readonly LatencyHistogram _window = new();
    private int _held;
    private Load _load;
    private long _loadStart;
    private long _offered;
    private double _framesPerTick;
    private long _measureStart;
    private long _measureEnd;
    private long _lastSeen;
    private long _windowTicks;

    public NetworkTraffic(BenchNetwork network, SoftnetHypervisor hypervisor, MacAddress routerMac, int frameBytes, int maxWindows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(frameBytes, MinFrameBytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(frameBytes, hypervisor.Buffers.MaxFrameLength);
        Network = network;
        _pool = hypervisor.Buffers;
        _sender = hypervisor.MemoryHost($"{network.Name}/h1");
        _sink = hypervisor.MemoryHost($"{network.Name}/h2");
        _template = Template(routerMac, frameBytes);
        _windows = new long[maxWindows];
    }

    public BenchNetwork Network { get; }

    public int FrameBytes => _template.Length;

    /// <summary>Frames handed to h1's port.</summary>
    public long Sent { get; private set; }

    /// <summary>Frames that reached h2.</summary>
    public long Delivered { get; private set; }

    /// <summary>Frames a paced sender was due to send but could not, its port being full for longer than its slack.</summary>
    public long Overflow { get; private set; }

    /// <summary>Frames taken out of the count of those in flight because they never arrived (see <see cref="Forget"/>).</summary>
    public long Lost { get; private set; }

    /// <summary>Frames arriving at either host that are neither the stream nor ARP (such as ICMP errors).</summary>
    public long Unexpected { get; private set; }

    /// <summary>Most frames seen waiting at h2 when the generator came round: near the ring's capacity, the sink fell behind.</summary>
    public int MaxSinkBacklog { get; private set; }

    /// <summary>
    /// Measured time during which a busy network had fewer than <see cref="StarvedBelow"/> frames not yet at h2:
    /// its domain could have run out of work because the generator fell behind.
    /// </summary>
    public long StarvedTicks { get; private set; }

    /// <summary>Frames in the network now, as far as the sender can tell.</summary>
    public long InFlight => Sent - Delivered - Lost;

    /// <summary>One-way latency of every frame a paced load delivered during the measurement.</summary>
    public LatencyHistogram Latency { get; } = new();

    /// <summary>The same, counting only the windows the generator called undisturbed.</summary>
    public LatencyHistogram UndisturbedLatency { get; } = new();

    /// <summary>Frames delivered in each window of the last measurement.</summary>
    public ReadOnlySpan<long> Windows => _windows;

    public void Start(Load load, long now)
    {
        _load = load;
        _loadStart = now;
        _framesPerTick = load.FramesPerSecond / Stopwatch.Frequency;
        _offered = 0;
    }

    /// <summary>Counts deliveries into <paramref name="windows"/> windows of <paramref name="windowTicks"/> from <paramref name="start"/> on.</summary>
    public void Measure(long start, long windowTicks, int windows)
    {
        Array.Clear(_windows);
        Latency.Clear();
        UndisturbedLatency.Clear();
        _window.Clear();
        MaxSinkBacklog = 0;
        StarvedTicks = 0;
        _lastSeen = start;
        _measureStart = start;
        _windowTicks = windowTicks;
        _measureEnd = start + windowTicks * Math.Min(windows, _windows.Length);
    }

    /// <summary>Adds the latencies of the window that ended to the totals: to the undisturbed ones too when it was.</summary>
    public void CloseWindow(bool undisturbed)
    {
        if (_window.Count == 0) return;
        Latency.Add(_window);
        if (undisturbed) UndisturbedLatency.Add(_window);
        _window.Clear();
    }

    /// <summary>After the network has drained: whatever is still counted in flight never arrived.</summary>
    public void Forget() => Lost += InFlight;

    /// <summary>
    /// Sends what the load calls for now, at most a vector (<see cref="FloodPerPass"/> for a flood); returns whether
    /// more was due and h1's port took everything, so that another pass of the same round may send more.
    /// </summary>
    public bool Send(long now)
    {
        long wanted;
        switch (_load.Kind)
        {
            case LoadKind.Busy:
                wanted = Load.InFlight - InFlight - _held;
                if (wanted < BusyBatch) wanted = 0;
                break;
            case LoadKind.Paced:
                // Frames due since Start that were neither generated nor given up as lost at h1's full port.
                var due = (long)((now - _loadStart) * _framesPerTick) - _offered;
                if (due > Slack)
                {
                    Overflow += due - Slack;
                    _offered += due - Slack;
                    due = Slack;
                }
                wanted = due;
                break;
            default:
                wanted = 0;
                break;
        }
        var most = _load.Kind == LoadKind.Paced && !_load.MeasuresLatency ? FloodPerPass : _outgoing.Length;
        var fresh = (int)Math.Max(0, Math.Min(wanted, most - _held));
        // Where latency is measured, frames carry the time they are made, not the round's start.
        var stamp = _load.MeasuresLatency && fresh > 0 ? Stopwatch.GetTimestamp() : now;
        var filled = Fill(_outgoing.AsSpan(_held, fresh), stamp);
        if (_load.Kind == LoadKind.Paced) _offered += filled;
        _held += filled;
        if (_held == 0) return false;
        var taken = _sender.Transmit(_outgoing.AsSpan(0, _held));
        Sent += taken;
        _outgoing.AsSpan(taken, _held - taken).CopyTo(_outgoing);
        _held -= taken;
        return wanted > filled && _held == 0;
    }

    /// <summary>Takes what reached h2 (and anything that came back to h1); returns the frames taken.</summary>
    public int Receive(long now)
    {
        var waiting = _sink.Waiting;
        if (now >= _measureStart && now < _measureEnd)
        {
            if (waiting > MaxSinkBacklog) MaxSinkBacklog = waiting;
            if (_load.Kind == LoadKind.Busy && InFlight - waiting < StarvedBelow) StarvedTicks += now - _lastSeen;
            _lastSeen = now;
        }
        var taken = 0;
        int n;
        while ((n = _sink.Receive(_incoming)) > 0)
        {
            taken += n;
            var arrival = _load.MeasuresLatency ? Stopwatch.GetTimestamp() : now;
            for (var i = 0; i < n; i++) Arrive(_incoming[i], now, arrival);
            _pool.Free(_incoming.AsSpan(0, n));
        }
        while ((n = _sender.Receive(_incoming)) > 0)
        {
            taken += n;
            for (var i = 0; i < n; i++) Answer(_incoming[i], _sender, SenderMac, BenchTopology.SenderAddress);
            _pool.Free(_incoming.AsSpan(0, n));
        }
        return taken;
    }

    /// <summary>Frees frames refused by a full port; nothing is held afterwards.</summary>
    public void DropHeld()
    {
        _pool.Free(_outgoing.AsSpan(0, _held));
        _held = 0;
    }

    private int Fill(Span<int> frames, long now)
    {
        var filled = 0;
        while (filled < frames.Length && _pool.TryAllocate(_template, out var frame))
        {
            BinaryPrimitives.WriteInt64LittleEndian(_pool.Data(frame)[StampOffset..], now);
            frames[filled++] = frame;
        }
        return filled;
    }

    /// <summary>
    /// Counts a frame h2 took in the round that started at <paramref name="now"/>; <paramref name="arrival"/> is when
    /// it was taken. What reaches h2 is the stream (r1 forwards it with its length unchanged) or r1's ARP requests
    /// (42 bytes, shorter than any frame sent): the length tells them apart, so the bytes of a stream frame are read
    /// only for its stamp, when latency is measured. Reading them costs a cache miss: r1 wrote them on another core.
    /// </summary>
    private void Arrive(int handle, long now, long arrival)
    {
        if (_pool.Length(handle) != _template.Length)
        {
            Answer(handle, _sink, SinkMac, BenchTopology.SinkAddress);
            return;
        }
        Delivered++;
        if (now < _measureStart || now >= _measureEnd) return;
        _windows[(int)((now - _measureStart) / _windowTicks)]++;
        if (_load.MeasuresLatency) _window.Add(arrival - BinaryPrimitives.ReadInt64LittleEndian(_pool.Data(handle)[StampOffset..]));
    }

    /// <summary>Replies to an ARP request for <paramref name="address"/>; counts anything else as unexpected.</summary>
    private void Answer(int handle, MemoryPhysicalPort.HostEnd end, MacAddress mac, Ipv4Address address)
    {
        var frame = _pool.Data(handle);
        if (!EthernetFrame.TryCreate(frame, out var ethernet) || ethernet.EtherType != EtherType.Arp
            || !ArpPacket.TryCreate(ethernet.Payload, out var arp) || !ArpRepr.TryParse(arp, out var request)
            || request.Operation != ArpOperation.Request)
        {
            Unexpected++;
            return;
        }
        if (request.TargetProtocolAddress != address || !_pool.TryAllocate(out var reply)) return;
        var bytes = _pool.Reset(reply, MinFrameBytes);
        bytes.Clear();
        new EthernetRepr(request.SenderHardwareAddress, mac, EtherType.Arp).Emit(EthernetFrame.CreateUnchecked(bytes));
        new ArpRepr(ArpOperation.Reply, mac, address, request.SenderHardwareAddress, request.SenderProtocolAddress)
            .Emit(ArpPacket.CreateUnchecked(bytes[EthernetFrame.HeaderLength..]));
        _reply[0] = reply;
        if (end.Transmit(_reply) == 0) _pool.Free(reply);
    }

    private static byte[] Template(MacAddress routerMac, int frameBytes)
    {
        var frame = new byte[frameBytes];
        new EthernetRepr(routerMac, SenderMac, EtherType.Ipv4).Emit(EthernetFrame.CreateUnchecked(frame));
        var udp = new UdpRepr(40000, SinkPort, frameBytes - StampOffset);
        new Ipv4Repr(BenchTopology.SenderAddress, BenchTopology.SinkAddress, IpProtocol.Udp, udp.BufferLength)
            .Emit(Ipv4Packet.CreateUnchecked(frame.AsSpan(EthernetFrame.HeaderLength)));
        // No UDP checksum (allowed over IPv4): the stamp differs in every frame and r1 does not look at it.
        udp.Emit(UdpPacket.CreateUnchecked(frame.AsSpan(EthernetFrame.HeaderLength + Ipv4Packet.MinHeaderLength)));
        return frame;
    }
}
