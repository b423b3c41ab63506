using System.Buffers.Binary;
using Softnet.DataPlane;
using Softnet.Hypervisor.Linux;
using Softnet.Hypervisor.Runtime;
using Softnet.Wire;

namespace Softnet.Hypervisor.Tests.Linux;

/// <summary>
/// A wire between two ports: a thread (the pool's only user while it runs) that receives from each and transmits to
/// the other, handing the handles straight through, and records what crossed. Disposing stops it and rethrows what
/// failed on it.
/// </summary>
internal sealed class FrameBridge : IDisposable
{
    private const int EthernetFrameLimit = 1514;

    private readonly PacketPool _pool;
    private readonly IPhysicalPort _a;
    private readonly IPhysicalPort _b;
    private readonly ReadinessWaiter _waiter = new();
    private readonly Thread _thread;
    private readonly int[] _batch = new int[64];
    private volatile bool _stop;
    private Exception? _failure;

    public FrameBridge(PacketPool pool, IPhysicalPort a, IPhysicalPort b)
    {
        (_pool, _a, _b) = (pool, a, b);
        _waiter.Add(a.ReadinessFd);
        _waiter.Add(b.ReadinessFd);
        _thread = new Thread(Run) { IsBackground = true, Name = "frame bridge" };
        _thread.Start();
    }

    public long Frames { get; private set; }

    /// <summary>Frames longer than an Ethernet frame that carry a segment size (TSO/GSO super-frames).</summary>
    public long SuperFrames { get; private set; }

    public int LongestFrame { get; private set; }

    /// <summary>Frames with an 802.1Q tag in their bytes.</summary>
    public long Tagged { get; private set; }

    /// <summary>Frames the receiving port did not take (freed here).</summary>
    public long Refused { get; private set; }

    public void Dispose()
    {
        _stop = true;
        _waiter.Wake();
        _thread.Join();
        _waiter.Dispose();
        if (_failure is not null) throw new InvalidOperationException("The frame bridge failed.", _failure);
    }

    private void Run()
    {
        try
        {
            while (!_stop)
            {
                if (Move(_a, _b) + Move(_b, _a) == 0) _waiter.Wait(100);
            }
        }
        catch (Exception e)
        {
            _failure = e;
        }
    }

    private int Move(IPhysicalPort from, IPhysicalPort to)
    {
        var count = from.Receive(_batch);
        foreach (var handle in _batch.AsSpan(0, count))
        {
            var length = _pool.Length(handle);
            LongestFrame = Math.Max(LongestFrame, length);
            if (_pool.Meta(handle).GsoSize > 0 && length > EthernetFrameLimit) SuperFrames++;
            if (BinaryPrimitives.ReadUInt16BigEndian(_pool.Data(handle)[12..]) == EtherType.Vlan) Tagged++;
        }
        Frames += count;
        var sent = to.Transmit(_batch.AsSpan(0, count));
        _pool.Free(_batch.AsSpan(sent, count - sent));
        Refused += count - sent;
        return count;
    }
}
