using Softnet.Wire;

namespace Softnet.DataPlane;

/// <summary>
/// A virtual device: named ports and the element graph that processes what they receive. Frames enter through
/// <see cref="Receive"/>; <see cref="Run"/> processes them and queues what the device sends on its ports;
/// <see cref="Flush"/> hands those frames to the links. A device is driven by one thread at a time.
/// </summary>
public abstract class Device
{
    private readonly List<DevicePort> _ports = [];
    private DevicePort[] _portArray = [];

    protected Device(string name, PacketPool pool)
    {
        Name = name;
        Pool = pool;
        Graph = new Graph(pool);
        Output = Graph.Add(new PortOutput(this));
    }

    public string Name { get; }

    /// <summary>The kind of device, as a topology file names it (<c>switch</c>, <c>router</c>, <c>lsr</c>, <c>host</c>).</summary>
    public abstract string Kind { get; }

    public PacketPool Pool { get; }
    public Graph Graph { get; }
    public IReadOnlyList<DevicePort> Ports => _ports;

    /// <summary>The current time of the device, in <see cref="TimeProvider"/> timestamp units, set by each <see cref="Run"/>.</summary>
    public long Now { get; private set; }

    /// <summary>Ticks per second of <see cref="Now"/>.</summary>
    public long TicksPerSecond { get; private set; } = TimeProvider.System.TimestampFrequency;

    /// <summary>The element every received frame enters first.</summary>
    protected abstract Element Entry { get; }

    /// <summary>The element that queues packets on the port named by their metadata.</summary>
    protected PortOutput Output { get; }

    internal DevicePort[] PortArray => _portArray;

    /// <summary>The port with index <paramref name="index"/>: the forwarding path's way to a port.</summary>
    public DevicePort PortAt(int index) => _portArray[index];

    public DevicePort Port(string name) =>
        _ports.Find(p => p.Name == name) ?? throw new KeyNotFoundException($"Device '{Name}' has no port '{name}' (it has: {string.Join(", ", _ports.Select(p => p.Name))}).");

    protected DevicePort AddPort(string name, MacAddress mac)
    {
        if (_ports.Exists(p => p.Name == name)) throw new ArgumentException($"Device '{Name}' already has a port named '{name}'.", nameof(name));
        var port = new DevicePort(this, _ports.Count, name, mac);
        _ports.Add(port);
        _portArray = [.. _ports];
        return port;
    }

    /// <summary>
    /// Takes ownership of frames received on port <paramref name="port"/> and queues them for processing. Whatever
    /// another device wrote in their metadata is cleared: only the bytes cross a link.
    /// </summary>
    public void Receive(int port, ReadOnlySpan<int> frames)
    {
        var devicePort = _portArray[port];
        var pool = Pool;
        var graph = Graph;
        var entry = Entry;
        var now = Now;
        foreach (var frame in frames)
        {
            pool.ClearMetadata(frame);
            ref var meta = ref pool.Meta(frame);
            meta.InputPort = port;
            meta.Timestamp = now;
            devicePort.CountReceived(pool, frame);
            graph.Enqueue(entry, frame);
        }
    }

    /// <summary>Processes everything pending, at time <paramref name="now"/>.</summary>
    public void Run(long now, long ticksPerSecond)
    {
        Now = now;
        TicksPerSecond = ticksPerSecond;
        OnTick();
        Graph.Run();
    }

    /// <summary>Hands every frame queued on the ports to their links; returns how many the links took.</summary>
    public int Flush()
    {
        var sent = 0;
        foreach (var port in _portArray) sent += port.Flush(Pool);
        return sent;
    }

    /// <summary>Periodic work before each run (timers, ageing); the default does nothing.</summary>
    protected virtual void OnTick()
    {
    }
}
