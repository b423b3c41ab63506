using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using Softnet.DataPlane;
using Softnet.DataPlane.Ports;

namespace Softnet.Cli.Bench.Dataplane;

/// <summary>
/// Drives one device the way a poll-mode NIC loop would: a <see cref="FrameSource"/> per input port fills a vector of
/// 256 fresh buffers, the device receives it, runs and flushes, and every port transmits into one
/// <see cref="DiscardPort"/>. Input ports take turns, one vector each. Every packet sent must reach the sink.
/// </summary>
internal sealed class DeviceTrial : Trial
{
    private readonly Device _device;
    private readonly (int Port, FrameSource Source)[] _inputs;
    private readonly DiscardPort _sink;
    private readonly int[] _vector = new int[PacketBatch.MaxSize];
    private int _nextInput;

    public DeviceTrial(Device device, IEnumerable<(int Port, FrameSource Source)> inputs)
    {
        _device = device;
        _inputs = [.. inputs];
        if (_inputs.Length == 0) throw new ArgumentException("A device trial needs at least one input.", nameof(inputs));
        _sink = new DiscardPort(device.Pool);
        foreach (var port in device.Ports) port.Attach(_sink);
        AddFact("distinct_frames", _inputs.Sum(i => (long)i.Source.Count));
        AddFact("frame_bytes", _inputs[0].Source.Template(0).Length);
    }

    public override void Run(long packets)
    {
        var delivered = _sink.Packets;
        for (var left = packets; left > 0;)
        {
            var n = ForwardVector((int)Math.Min(left, _vector.Length));
            if (n == 0) throw new BenchmarkFailure($"The packet pool of '{_device.Name}' is exhausted: {Diagnose(packets - left)}");
            left -= n;
        }
        delivered = _sink.Packets - delivered;
        if (delivered != packets || _device.Pool.InUse != 0)
            throw new BenchmarkFailure($"'{_device.Name}' delivered {delivered:N0} of {packets:N0} packets: {Diagnose(packets)}");
    }

    /// <summary>
    /// One turn of the poll loop: the next input's vector in, processed and out. A method of its own, called once per
    /// vector and never inlined, so that the tiered JIT compiles it fully optimized with its profile rather than as
    /// on-stack replacement of a long-running loop.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private int ForwardVector(int count)
    {
        var (port, source) = _inputs[_nextInput];
        if (++_nextInput == _inputs.Length) _nextInput = 0;
        var vector = _vector.AsSpan(0, count);
        var n = source.Fill(vector);
        _device.Receive(port, vector[..n]);
        _device.Run(Stopwatch.GetTimestamp(), Stopwatch.Frequency);
        _device.Flush();
        return n;
    }

    /// <summary>Where packets went instead: every non-zero drop counter, what is still held, and port-level losses.</summary>
    private string Diagnose(long sent)
    {
        var text = new StringBuilder($"{sent:N0} sent, {_device.Pool.InUse:N0} buffers still in use");
        foreach (var element in _device.Graph.Elements)
        {
            for (var reason = 0; reason < element.DropReasons.Count; reason++)
            {
                var dropped = element.Counters.Dropped(reason);
                if (dropped > 0) text.Append($"; {element.Name} dropped {dropped:N0} ({element.DropReasons[reason]})");
            }
            if (element.Counters.Held > 0) text.Append($"; {element.Name} held {element.Counters.Held:N0}");
        }
        foreach (var port in _device.Ports)
        {
            var lost = port.Counters.TxNoLink + port.Counters.TxLinkFull;
            if (lost > 0) text.Append($"; port {port.Name} lost {lost:N0}");
        }
        return text.ToString();
    }
}
