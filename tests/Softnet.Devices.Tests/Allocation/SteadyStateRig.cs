using Softnet.DataPlane;
using Softnet.DataPlane.Ports;

namespace Softnet.Devices.Tests.Allocation;

/// <summary>
/// Feeds a device as the data-plane benchmark does: a <see cref="FrameSource"/> per input port fills a vector of 256
/// fresh buffers, the device receives, runs and flushes it, and every port transmits into one <see cref="DiscardPort"/>.
/// The clock moves a millisecond per vector, so per-second work (MAC ageing sweeps, refresh stamps) runs too.
/// </summary>
internal sealed class SteadyStateRig
{
    private const long TicksPerSecond = 1_000_000_000;

    private readonly Device _device;
    private readonly (int Port, FrameSource Source)[] _inputs;
    private readonly int[] _vector = new int[PacketBatch.MaxSize];
    private long _now = TicksPerSecond;
    private int _next;

    public SteadyStateRig(Device device, params (int Port, FrameSource Source)[] inputs)
    {
        _device = device;
        _inputs = inputs;
        Sink = new DiscardPort(device.Pool);
        foreach (var port in device.Ports) port.Attach(Sink);
    }

    public DiscardPort Sink { get; }

    public void Push(long packets)
    {
        for (var left = packets; left > 0;)
        {
            var (port, source) = _inputs[_next];
            _next = (_next + 1) % _inputs.Length;
            var n = source.Fill(_vector.AsSpan(0, (int)Math.Min(left, _vector.Length)));
            _device.Receive(port, _vector.AsSpan(0, n));
            _now += TicksPerSecond / 1000;
            _device.Run(_now, TicksPerSecond);
            _device.Flush();
            left -= n;
        }
    }

    /// <summary>
    /// Pushes <paramref name="warmUp"/> packets, then <paramref name="packets"/> more; returns the bytes the thread
    /// allocated during the second stretch and how many packets the sink received in it.
    /// </summary>
    public (long AllocatedBytes, long Delivered) Measure(long warmUp, long packets)
    {
        Push(warmUp);
        var delivered = Sink.Packets;
        var before = GC.GetAllocatedBytesForCurrentThread();
        Push(packets);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        return (allocated, Sink.Packets - delivered);
    }

    /// <summary>Every drop counter of the device's elements, summed.</summary>
    public long Dropped => _device.Graph.Elements.Sum(e => e.Counters.TotalDropped);
}
