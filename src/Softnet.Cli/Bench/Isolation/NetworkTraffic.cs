using System.Buffers.Binary;
using Softnet.DataPlane;
using Softnet.Wire;

namespace Softnet.Cli.Bench.Isolation;

/// <summary>
/// The traffic of one software network, seen from the generator's thread. Its frames go round the network's
/// <see cref="HostLoop"/> (h1 — r1 — h2 and back, on the driver's thread) as the load says: as fast as r1 takes them
/// (busy), or offered at a rate (paced, whose one-way latency is reported, each frame stamped with the instant it
/// was due; a flood). The generator fills the loop with UDP/IPv4 frames when the load starts, answers r1's ARP
/// requests at both hosts (so r1 resolves h2 as it would any host), and reads the loop's counts as windows close.
/// Nothing is allocated per frame.
/// </summary>
internal sealed class NetworkTraffic
{
    private const ushort SinkPort = 5001;

    /// <summary>The shortest frame sent: Ethernet's minimum without the FCS, which holds the stamp.</summary>
    public const int MinFrameBytes = 60;

    private static readonly MacAddress SenderMac = new(0x02_00_00_00_01_0AUL);
    private static readonly MacAddress SinkMac = new(0x02_00_00_00_02_0AUL);

    private readonly PacketPool _pool;
    private readonly HostLoop _loop;
    private readonly byte[] _template;
    private readonly byte[]? _across;
    private readonly int[] _outgoing = new int[PacketBatch.MaxSize];
    private readonly int[] _incoming = new int[PacketBatch.MaxSize];
    private readonly int[] _reply = new int[1];
    private readonly long[] _windows;
    private Load _load;
    private int _toFill;
    private int _held;
    private int _closed;
    private long _sentBefore;
    private long _refusedBefore;

    /// <param name="across">Where h1 sends frames through a gateway (<see cref="LoadKind.Across"/>), as this network addresses it; null when it has no gateway.</param>
    public NetworkTraffic(BenchNetwork network, PacketPool pool, HostLoop loop, MacAddress routerMac, int frameBytes, int maxWindows, Ipv4Address? across = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(frameBytes, MinFrameBytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(frameBytes, pool.MaxFrameLength);
        Network = network;
        _pool = pool;
        _loop = loop;
        _template = Template(routerMac, frameBytes, HostLoop.LoopSourcePort, BenchTopology.SinkAddress);
        if (across is { } destination) _across = Template(routerMac, frameBytes, HostLoop.AcrossSourcePort, destination);
        _windows = new long[maxWindows];
    }

    public BenchNetwork Network { get; }

    public int FrameBytes => _template.Length;

    /// <summary>Frames h1 handed to its backend since the load started, each time round.</summary>
    public long Sent => _loop.LoopSent - _sentBefore;

    /// <summary>Frames that reached h2, each time round, since the bench began.</summary>
    public long Delivered => _loop.LoopDelivered;

    /// <summary>Frames a paced load or a flood had due at h1 while h1's backend had no room, since the load started.</summary>
    public long Overflow => _loop.LoopRefused - _refusedBefore;

    /// <summary>Frames another network sent across a gateway that reached h2, since the bench began.</summary>
    public long Crossed => _loop.Crossed;

    /// <summary>Frames arriving at either host that are neither the stream nor ARP (such as ICMP errors).</summary>
    public long Unexpected { get; private set; }

    /// <summary>One-way latency of every frame a paced load delivered during the measurement.</summary>
    public LatencyHistogram Latency { get; } = new();

    /// <summary>The same, counting only the windows the generator called undisturbed.</summary>
    public LatencyHistogram UndisturbedLatency { get; } = new();

    /// <summary>Frames delivered in each window of the last measurement.</summary>
    public ReadOnlySpan<long> Windows => _windows;

    /// <summary>Gives the network its load from now on; the loop is filled over the next rounds.</summary>
    public void Start(Load load)
    {
        if (load.Kind == LoadKind.Across && _across is null) throw new InvalidOperationException($"{Network.Name} has no gateway to send across.");
        _load = load;
        _toFill = load.Kind is LoadKind.Idle or LoadKind.Across ? 0 : Load.InFlight;
        _sentBefore = _loop.LoopSent;
        _refusedBefore = _loop.LoopRefused;
        var mode = load.Kind switch
        {
            LoadKind.Busy => LoopMode.Busy,
            LoadKind.Flood or LoadKind.Paced => LoopMode.Rate,
            LoadKind.Across => LoopMode.Across,
            _ => LoopMode.Off,
        };
        _loop.Start(mode, load.FramesPerSecond, mode == LoopMode.Across ? _across! : _template);
    }

    /// <summary>Counts deliveries into <paramref name="windows"/> windows of <paramref name="windowTicks"/> from <paramref name="start"/> on.</summary>
    public void Measure(long start, long windowTicks, int windows)
    {
        Array.Clear(_windows);
        Latency.Clear();
        UndisturbedLatency.Clear();
        _closed = 0;
        _loop.Measure(start, windowTicks, Math.Min(windows, _windows.Length));
    }

    /// <summary>
    /// Closes the next window, which ended a while ago: takes its count, and adds its latencies to the totals (to the
    /// undisturbed ones too when it was).
    /// </summary>
    public void CloseWindow(bool undisturbed)
    {
        if (_closed >= _windows.Length) return;
        _windows[_closed] = _loop.DeliveredIn(_closed);
        var latency = _loop.LatencyIn(_closed);
        if (_load.MeasuresLatency)
        {
            Latency.Add(latency);
            if (undisturbed) UndisturbedLatency.Add(latency);
        }
        latency.Clear();
        _closed++;
    }

    /// <summary>Puts what is left of the loop's frames in; returns whether all are in.</summary>
    public bool Fill()
    {
        var fresh = Math.Min(_toFill, _outgoing.Length - _held);
        var filled = 0;
        while (filled < fresh && _pool.TryAllocate(_template, out var frame)) _outgoing[_held + filled++] = frame;
        _toFill -= filled;
        _held += filled;
        if (_held > 0)
        {
            var taken = _loop.H1.Transmit(_outgoing.AsSpan(0, _held));
            _outgoing.AsSpan(taken, _held - taken).CopyTo(_outgoing);
            _held -= taken;
        }
        return _toFill == 0 && _held == 0;
    }

    /// <summary>Answers the ARP requests that reached either host; returns the frames taken.</summary>
    public int Answer()
    {
        var taken = 0;
        int n;
        while ((n = _loop.H2.Receive(_incoming)) > 0)
        {
            taken += n;
            for (var i = 0; i < n; i++) Answer(_incoming[i], _loop.H2, SinkMac, BenchTopology.SinkAddress);
            _pool.Free(_incoming.AsSpan(0, n));
        }
        while ((n = _loop.H1.Receive(_incoming)) > 0)
        {
            taken += n;
            for (var i = 0; i < n; i++) Answer(_incoming[i], _loop.H1, SenderMac, BenchTopology.SenderAddress);
            _pool.Free(_incoming.AsSpan(0, n));
        }
        return taken;
    }

    /// <summary>Stops the load: the loop frees its frames as they come round; frames not yet put in are freed now.</summary>
    public void Stop()
    {
        _loop.Start(LoopMode.Off, 0, _template);
        _pool.Free(_outgoing.AsSpan(0, _held));
        _held = 0;
        _toFill = 0;
    }

    /// <summary>Replies to an ARP request for <paramref name="address"/>; counts anything else as unexpected.</summary>
    private void Answer(int handle, HostLoop.GeneratorSide end, MacAddress mac, Ipv4Address address)
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

    private static byte[] Template(MacAddress routerMac, int frameBytes, ushort sourcePort, Ipv4Address destination)
    {
        var frame = new byte[frameBytes];
        new EthernetRepr(routerMac, SenderMac, EtherType.Ipv4).Emit(EthernetFrame.CreateUnchecked(frame));
        var udp = new UdpRepr(sourcePort, SinkPort, frameBytes - HostLoop.StampOffset);
        new Ipv4Repr(BenchTopology.SenderAddress, destination, IpProtocol.Udp, udp.BufferLength)
            .Emit(Ipv4Packet.CreateUnchecked(frame.AsSpan(EthernetFrame.HeaderLength)));
        // No UDP checksum (allowed over IPv4): the stamp differs in every frame and r1 does not look at it.
        udp.Emit(UdpPacket.CreateUnchecked(frame.AsSpan(EthernetFrame.HeaderLength + Ipv4Packet.MinHeaderLength)));
        BinaryPrimitives.WriteInt64LittleEndian(frame.AsSpan(HostLoop.StampOffset), 0);
        return frame;
    }
}
