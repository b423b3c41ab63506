using System.Buffers.Binary;
using System.Diagnostics;
using Softnet.DataPlane;
using Softnet.Devices.Ip;
using Softnet.Wire;

namespace Softnet.Cli.Bench.Control;

/// <summary>
/// A UDP flow between two bench hosts, its datagrams numbered from 0 in their first 8 bytes. The source host's stack
/// sends the first ones (resolving its gateway); once its port has a copy of one (<see cref="BenchPort"/>), the stream
/// sends copies of that frame itself with the number and checksum rewritten, so that the bench's own work per datagram
/// stays far below the node's. Paced, each datagram is sent at its due instant; after a stall the backlog goes out
/// <see cref="MaxBurst"/> at a time, so that a window offers its rate in full, unless it is more than
/// <see cref="MaxBacklog"/> behind, when what is older is skipped. Busy, as many as keep <see cref="Window"/> in
/// flight. The sink's port counts the arrivals: one that is not after the last one that arrived is reordered. The
/// source port is the one the controller's trace hashes, so that a trace follows the stream.
/// </summary>
internal sealed class UdpStream
{
    public const ushort SourcePort = 49152;

    /// <summary>Datagrams sent at once at most.</summary>
    public const int MaxBurst = 32;

    /// <summary>How far behind its pace a stream may fall and still catch up.</summary>
    public static readonly TimeSpan MaxBacklog = TimeSpan.FromMilliseconds(10);

    private readonly Host _source;
    private readonly BenchPort _sourcePort;
    private readonly BenchPort _sinkPort;
    private readonly Ipv4Address _destination;
    private readonly ushort _port;
    private readonly PacketPool _pool;
    private readonly byte[] _payload = new byte[16];
    private readonly int[] _burst = new int[MaxBurst];
    private DatagramTemplate? _template;
    private long _interval;
    private long _due;
    private long _next;
    private long _countFrom;
    private long _highest = -1;
    private long _watchFrom = long.MaxValue;

    public UdpStream((Host Host, BenchPort Port) source, BenchPort sink, Ipv4Address destination, ushort port, double perSecond, PacketPool pool)
    {
        (_source, _sourcePort, _sinkPort, _destination, _port, _pool) = (source.Host, source.Port, sink, destination, port, pool);
        sink.Sink(port, this);
        PerSecond = perSecond;
    }

    /// <summary>Datagrams per second when paced; <see cref="double.PositiveInfinity"/> makes the stream busy.</summary>
    public double PerSecond
    {
        get;
        set
        {
            field = value;
            _interval = double.IsPositiveInfinity(value) ? 0 : (long)Math.Max(1, Stopwatch.Frequency / value);
            _due = Stopwatch.GetTimestamp();
        }
    }

    /// <summary>Datagrams a busy stream keeps in flight.</summary>
    public int Window { get; init; } = 256;

    /// <summary>False pauses the stream (arrivals are still counted).</summary>
    public bool Sending { get; set; } = true;

    /// <summary>Datagrams the source's port took, since the last <see cref="Restart"/>.</summary>
    public long Sent { get; private set; }

    public long Received { get; private set; }

    public long Reordered { get; private set; }

    /// <summary>Datagrams the source had no buffer for, or its port no room for: never on the network, not counted as sent.</summary>
    public long Refused { get; private set; }

    /// <summary>When (Stopwatch ticks) the first datagram numbered at least the watched one arrived; 0 before.</summary>
    public long WatchedArrival { get; private set; }

    public long Lost => Sent - Received;

    /// <summary>Counts from the next datagram on; those sent before arrive uncounted.</summary>
    public void Restart()
    {
        _countFrom = _next;
        _highest = _next - 1;
        Sent = Received = Reordered = Refused = 0;
        _due = Stopwatch.GetTimestamp();
    }

    /// <summary>Watches for the first arrival of a datagram sent from now on (<see cref="WatchedArrival"/>).</summary>
    public void WatchFromNext()
    {
        _watchFrom = _next;
        WatchedArrival = 0;
    }

    /// <summary>Stops counting: the sink's port leaves this stream's datagrams to the host.</summary>
    public void Detach() => _sinkPort.Unsink(_port);

    /// <summary>Sends the datagrams due at <paramref name="now"/>; returns how many.</summary>
    public int SendDue(long now)
    {
        if (!Sending) return 0;
        int count;
        if (_interval == 0)
        {
            count = (int)Math.Clamp(Window - (Sent - Received), 0, MaxBurst);
        }
        else
        {
            if (_due > now) return 0;
            var oldest = now - (long)(MaxBacklog.TotalSeconds * Stopwatch.Frequency);
            if (_due < oldest) _due = oldest;
            count = (int)Math.Min((now - _due) / _interval + 1, MaxBurst);
            _due += count * _interval;
        }
        return count == 0 ? 0 : Send(count);
    }

    /// <summary>Counts the arrival of datagram <paramref name="sequence"/> (called by the sink's port).</summary>
    public void Arrived(long sequence)
    {
        if (sequence < _countFrom) return;
        Received++;
        if (sequence <= _highest) Reordered++;
        else _highest = sequence;
        if (sequence >= _watchFrom && WatchedArrival == 0) WatchedArrival = Stopwatch.GetTimestamp();
    }

    private int Send(int count)
    {
        _template ??= _sourcePort.Template(_destination, _port);
        if (_template is null)
        {
            // The host's stack sends until the port has a frame to copy; it queues them while it resolves its gateway.
            for (var i = 0; i < count; i++)
            {
                BinaryPrimitives.WriteInt64LittleEndian(_payload, _next++);
                Sent++;
                _source.SendUdp(_destination, SourcePort, _port, _payload);
            }
            return count;
        }
        var made = 0;
        for (; made < count; made++)
        {
            if (!_pool.TryAllocate(out var frame)) break;
            var bytes = _pool.Reset(frame, _template.Frame.Length);
            _template.Frame.CopyTo(bytes);
            BinaryPrimitives.WriteInt64LittleEndian(bytes[_template.PayloadOffset..], _next + made);
            UdpPacket.CreateUnchecked(bytes[_template.UdpOffset..]).FillChecksum(_template.Source, _template.Destination);
            _burst[made] = frame;
        }
        var taken = _sourcePort.Send(_burst.AsSpan(0, made));
        _pool.Free(_burst.AsSpan(taken, made - taken));
        _next += made;
        Sent += taken;
        Refused += count - taken;
        return taken;
    }
}
