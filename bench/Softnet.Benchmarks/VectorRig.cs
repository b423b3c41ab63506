using Softnet.DataPlane;
using Softnet.DataPlane.Ports;

namespace Softnet.Benchmarks;

/// <summary>
/// One vector through a device, as `softnet bench dataplane` drives it: a <see cref="FrameSource"/> fills 256 fresh
/// buffers, the device receives, runs and flushes them, and its ports transmit into a <see cref="DiscardPort"/>.
/// </summary>
public sealed class VectorRig
{
    public const int VectorSize = PacketBatch.MaxSize;

    private readonly Device _device;
    private readonly int _port;
    private readonly FrameSource _source;
    private readonly DiscardPort _sink;
    private readonly int[] _vector = new int[VectorSize];

    public VectorRig(Device device, int port, FrameSource source)
    {
        _device = device;
        _port = port;
        _source = source;
        _sink = new DiscardPort(device.Pool);
        foreach (var p in device.Ports) p.Attach(_sink);
    }

    /// <summary>Forwards one vector; throws if a packet did not come out, since a benchmark of drops measures nothing.</summary>
    public void ForwardVector()
    {
        var before = _sink.Packets;
        var n = _source.Fill(_vector);
        _device.Receive(_port, _vector.AsSpan(0, n));
        _device.Run(System.Diagnostics.Stopwatch.GetTimestamp(), System.Diagnostics.Stopwatch.Frequency);
        _device.Flush();
        if (_sink.Packets - before != VectorSize) throw new InvalidOperationException($"'{_device.Name}' delivered {_sink.Packets - before} of {VectorSize} packets.");
    }
}
