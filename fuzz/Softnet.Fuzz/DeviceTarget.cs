using Softnet.DataPlane;
using Softnet.DataPlane.Ports;

namespace Softnet.Fuzz;

/// <summary>
/// A device built once and driven as in a test network: every port is wired to an in-memory link whose far end
/// puts frames on the wire and takes what the device sends, and time is a manual clock. After each input the
/// device settles and every packet buffer must be back in the pool: a buffer missing is a leak, a buffer freed
/// twice throws in the pool.
/// </summary>
internal abstract class DeviceTarget : IFuzzTarget
{
    private readonly List<InMemoryLink.End> _wires = [];
    private readonly int[] _sent = new int[PacketBatch.MaxSize];

    protected DeviceTarget(int poolCapacity)
    {
        Pool = new PacketPool(poolCapacity);
        Loop = new DeviceLoop(Clock);
    }

    protected PacketPool Pool { get; }
    protected ManualClock Clock { get; } = new();
    protected DeviceLoop Loop { get; }
    protected int PortCount => _wires.Count;

    public abstract void Run(ReadOnlySpan<byte> input);

    /// <summary>Attaches the far end of a new link to <paramref name="port"/>; ports are wired in index order.</summary>
    protected void Wire(DevicePort port)
    {
        if (port.Index != _wires.Count) throw new InvalidOperationException($"Port {port.FullName} is wired out of index order.");
        var link = new InMemoryLink();
        port.Attach(link.A);
        _wires.Add(link.B);
    }

    /// <summary>Puts <paramref name="frame"/> (cut to the largest frame a buffer holds) on the wire to <paramref name="port"/> and runs until idle.</summary>
    protected void Deliver(int port, ReadOnlySpan<byte> frame)
    {
        if (!Pool.TryAllocate(frame[..Math.Min(frame.Length, Pool.MaxFrameLength)], out var packet))
        {
            throw new InvalidOperationException($"The pool of {Pool.Capacity} buffers is empty before a delivery.");
        }
        if (_wires[port].Transmit([packet]) != 1) throw new InvalidOperationException($"The link to port {port} refused a frame.");
        Loop.RunUntilIdle();
    }

    /// <summary>
    /// Lets <paramref name="time"/> pass in steps of one second so that the device's timers run, frees everything the
    /// device sent, and checks that no buffer is left outside the pool.
    /// </summary>
    protected void Settle(TimeSpan time)
    {
        for (var elapsed = TimeSpan.Zero; elapsed < time; elapsed += TimeSpan.FromSeconds(1))
        {
            Clock.Advance(TimeSpan.FromSeconds(1));
            Loop.RunUntilIdle();
        }
        foreach (var wire in _wires)
        {
            int n;
            while ((n = wire.Receive(_sent)) > 0) Pool.Free(_sent.AsSpan(0, n));
        }
        if (Pool.Available != Pool.Capacity)
        {
            throw new InvalidOperationException($"{Pool.Capacity - Pool.Available} of {Pool.Capacity} packet buffers were not back in the pool once the device was idle.");
        }
    }
}
