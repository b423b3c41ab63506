using Softnet.DataPlane.Pcap;
using Softnet.DataPlane.Ports;
using Softnet.Wire;

namespace Softnet.DataPlane;

/// <summary>
/// A port of a virtual device (<c>r1-eth0</c>): its MAC address and MTU, its counters, the link it is attached to and an
/// optional pcap capture. Frames the device sends out wait in a transmit vector until the port is flushed.
/// </summary>
public sealed class DevicePort
{
    private readonly int[] _tx = new int[PacketBatch.MaxSize];
    private int _txCount;

    internal DevicePort(Device device, int index, string name, MacAddress mac)
    {
        Device = device;
        Index = index;
        Name = name;
        Mac = mac;
    }

    public Device Device { get; }
    public int Index { get; }

    /// <summary>The port's own name, such as <c>eth0</c>.</summary>
    public string Name { get; }

    /// <summary>The name that is unique in a network, such as <c>r1-eth0</c>.</summary>
    public string FullName => $"{Device.Name}-{Name}";

    public MacAddress Mac { get; }
    public int Mtu { get; set; } = 1500;
    public PortCounters Counters { get; } = new();
    public IFramePort? Link { get; private set; }

    /// <summary>When set, every frame received and sent on this port is written here.</summary>
    public IFrameCapture? Capture { get; set; }

    public void Attach(IFramePort link) => Link = link;

    public void Detach() => Link = null;

    internal void CountReceived(PacketPool pool, int frame)
    {
        var length = pool.Length(frame);
        Counters.RxPackets++;
        Counters.RxBytes += length;
        Capture?.Write(pool.Data(frame), DateTimeOffset.UtcNow);
    }

    /// <summary>Queues a frame for transmission; the port owns it from now on.</summary>
    internal void Send(PacketPool pool, int frame)
    {
        if (_txCount == _tx.Length) Flush(pool);
        _tx[_txCount++] = frame;
    }

    /// <summary>Hands every queued frame to the link; frames it refuses are dropped and counted. Returns how many it took.</summary>
    internal int Flush(PacketPool pool)
    {
        if (_txCount == 0) return 0;
        var frames = _tx.AsSpan(0, _txCount);
        _txCount = 0;
        var accepted = 0;
        if (Link is null) Counters.TxNoLink += frames.Length;
        else
        {
            if (Capture is not null)
            {
                var now = DateTimeOffset.UtcNow;
                foreach (var frame in frames) Capture.Write(pool.Data(frame), now);
            }
            foreach (var frame in frames) Counters.TxBytes += pool.Length(frame);
            accepted = Link.Transmit(frames);
            Counters.TxPackets += accepted;
            Counters.TxLinkFull += frames.Length - accepted;
            for (var i = accepted; i < frames.Length; i++) Counters.TxBytes -= pool.Length(frames[i]);
        }
        pool.Free(frames[accepted..]);
        return accepted;
    }
}
