using System.Collections.Concurrent;
using Softnet.DataPlane;
using Softnet.DataPlane.Ports;
using Softnet.Hypervisor.Scheduling;

namespace Softnet.Hypervisor.Runtime;

/// <summary>
/// One domain: a device of a software network, run by whichever worker the token scheduler gives it to, never by
/// two at once. Each of its ports is the near end of a ring pair (an in-memory link to another domain, or a backend
/// interface to the driver domain). A turn takes frames from those rings up to the turn's budget, runs the device
/// and flushes what it sent; the turn is charged with what it really took (bytes plus a per-packet cost).
/// </summary>
internal sealed class Domain
{
    private readonly InMemoryLink.End?[] _receive;
    private readonly InMemoryLink.End?[] _attached;
    private readonly ConcurrentQueue<Action> _commands = new();
    private readonly int[] _frames = new int[PacketBatch.MaxSize];
    private int _running;
    private int _firstPort;

    public Domain(DomainId id, string network, Device device)
    {
        Id = id;
        Network = network;
        Device = device;
        _receive = new InMemoryLink.End?[device.Ports.Count];
        _attached = new InMemoryLink.End?[device.Ports.Count];
        LinkedTo = new string[device.Ports.Count];
        Array.Fill(LinkedTo, "-");
    }

    /// <summary>Where the scheduler accounts for the domain; given anew whenever the set of networks changes.</summary>
    public DomainId Id { get; set; }
    public string Network { get; }
    public Device Device { get; }

    /// <summary>What each port is linked to, by port index, for inspection.</summary>
    public string[] LinkedTo { get; }

    public long Turns;
    public long BusyTicks;
    public long LastRun;

    /// <summary>Attaches port <paramref name="port"/> to <paramref name="end"/> of a link.</summary>
    public void Attach(int port, InMemoryLink.End end, string linkedTo)
    {
        Device.PortAt(port).Attach(end);
        _receive[port] = end;
        _attached[port] = end;
        LinkedTo[port] = linkedTo;
    }

    /// <summary>Frames waiting on the domain's ports (a snapshot when read off the domain's thread).</summary>
    public long Backlog
    {
        get
        {
            long waiting = 0;
            foreach (var end in _receive) waiting += end?.Waiting ?? 0;
            return waiting;
        }
    }

    public bool HasWork
    {
        get
        {
            if (!_commands.IsEmpty) return true;
            foreach (var end in _receive)
                if (end is { Waiting: > 0 }) return true;
            return false;
        }
    }

    /// <summary>Claims the domain for the calling thread; false when another thread runs it.</summary>
    public bool TryEnter() => Interlocked.CompareExchange(ref _running, 1, 0) == 0;

    public void Exit() => Volatile.Write(ref _running, 0);

    public bool IsRunning => Volatile.Read(ref _running) != 0;

    /// <summary>Share of one worker's time the domain used over the last interval the elasticity meter measured.</summary>
    public double WorkerShare;

    /// <summary>Busy ticks at the elasticity meter's last sample.</summary>
    public long SampledBusyTicks;

    /// <summary>
    /// Cuts port <paramref name="port"/>'s link, as a pulled cable: what the device sends there is dropped (counted as
    /// sent without a link), what waits or arrives on it is discarded; or restores it. On the domain's thread only.
    /// </summary>
    public void SetPort(int port, bool up)
    {
        var end = _attached[port] ?? throw new InvalidOperationException($"{Network}/{Device.Name}: port {Device.PortAt(port).Name} has no link.");
        if (up)
        {
            Device.PortAt(port).Attach(end);
            _receive[port] = end;
            return;
        }
        Device.PortAt(port).Detach();
        _receive[port] = null;
        end.Drain(Device.Pool);
    }

    /// <summary>Frees the frames waiting on every port: for a retired domain, which no thread runs any more.</summary>
    public void Drain()
    {
        foreach (var end in _attached) end?.Drain(Device.Pool);
    }

    /// <summary>Runs <paramref name="command"/> on the domain's thread before its next turn (control changes, captures).</summary>
    public void Post(Action command) => _commands.Enqueue(command);

    /// <summary>
    /// One turn, on a thread that has entered the domain: takes frames until <paramref name="budget"/>
    /// byte-equivalents are spent (always at least one frame when any waits), runs the device and flushes.
    /// </summary>
    public (long Bytes, long Packets) RunTurn(long budget, long now, long frequency, TokenPolicy policy)
    {
        while (_commands.TryDequeue(out var command)) command();
        long bytes = 0, packets = 0, spent = 0;
        var device = Device;
        var pool = device.Pool;
        // Start at a different port each turn so that no port of a busy domain starves the others.
        _firstPort = _firstPort + 1 < _receive.Length ? _firstPort + 1 : 0;
        for (var i = 0; i < _receive.Length && spent < budget; i++)
        {
            var port = _firstPort + i < _receive.Length ? _firstPort + i : _firstPort + i - _receive.Length;
            var end = _receive[port];
            if (end is null) continue;
            while (spent < budget)
            {
                var waiting = end.Peek(_frames);
                var n = 0;
                while (n < waiting && spent < budget)
                {
                    var length = pool.Length(_frames[n++]);
                    bytes += length;
                    spent += policy.Cost(length, 1);
                }
                if (n == 0) break;
                end.Skip(n);
                packets += n;
                device.Receive(port, _frames.AsSpan(0, n));
                device.Run(now, frequency);
                device.Flush();
            }
        }
        if (packets == 0)
        {
            device.Run(now, frequency);
            device.Flush();
        }
        LastRun = now;
        return (bytes, packets);
    }
}
