using System.Diagnostics;
using Softnet.DataPlane;
using Softnet.Devices.Ip;
using Softnet.Wire;
using SoftnetHypervisor = Softnet.Hypervisor.Runtime.Hypervisor;

namespace Softnet.Cli.Bench.Control;

/// <summary>
/// The bench's end hosts and streams, all run on the bench's thread: each host is a <see cref="Host"/> device on the
/// in-memory port the hypervisor made for it (through a <see cref="BenchPort"/>), and <see cref="Pump"/> sends what
/// the streams have due and runs every host, whose ports count what arrived. Hosts route only the prefixes they are
/// given (not a default route, which would fill a whole FIB level per host).
/// </summary>
internal sealed class BenchHosts(SoftnetHypervisor hypervisor)
{
    private readonly Dictionary<string, DeviceLoop> _hosts = new(StringComparer.Ordinal);
    private readonly Dictionary<Host, BenchPort> _ports = [];
    private readonly List<UdpStream> _streams = [];
    private long _taken;

    /// <summary>A host routing <paramref name="routes"/> through <paramref name="gateway"/>, not attached yet (making one takes milliseconds: its FIB).</summary>
    public Host Create(string name, string address, string gateway, params string[] routes)
    {
        var host = new Host(name, hypervisor.Buffers);
        host.AddAddress("eth0", address);
        foreach (var route in routes) host.AddRoute(Ipv4Prefix.Parse(route), ("eth0", Ipv4Address.Parse(gateway)));
        return host;
    }

    /// <summary>Attaches <paramref name="host"/> to its in-memory port in <paramref name="network"/> and runs it from now on.</summary>
    public Host Attach(string network, Host host)
    {
        var port = new BenchPort(hypervisor.MemoryHost($"{network}/{host.Name}"), hypervisor.Buffers);
        host.Port("eth0").Attach(port);
        _ports[host] = port;
        var loop = new DeviceLoop();
        loop.Add(host);
        _hosts.Add($"{network}/{host.Name}", loop);
        return host;
    }

    public Host Add(string network, string name, string address, string gateway, params string[] routes) =>
        Attach(network, Create(name, address, gateway, routes));

    public UdpStream Stream(Host source, Host sink, string destination, ushort port, double perSecond)
    {
        var stream = new UdpStream((source, _ports[source]), _ports[sink], Ipv4Address.Parse(destination), port, perSecond, hypervisor.Buffers);
        _streams.Add(stream);
        return stream;
    }

    public void Remove(UdpStream stream)
    {
        stream.Detach();
        _streams.Remove(stream);
    }

    /// <summary>Stops running <paramref name="host"/> of <paramref name="network"/> (before or after the hypervisor took its port away).</summary>
    public void RemoveHost(string network, Host host)
    {
        _hosts.Remove($"{network}/{host.Name}");
        if (_ports.Remove(host, out var port)) _taken -= port.Taken;
    }

    public void Clear()
    {
        _hosts.Clear();
        _ports.Clear();
        _streams.Clear();
        _taken = 0;
    }

    /// <summary>One round: the streams' due datagrams, then every host (its port counting what arrived). Returns the frames moved.</summary>
    public int Pump()
    {
        var now = Stopwatch.GetTimestamp();
        var moved = 0;
        foreach (var stream in _streams) moved += stream.SendDue(now);
        foreach (var loop in _hosts.Values) moved += loop.RunOnce();
        long taken = 0;
        foreach (var port in _ports.Values) taken += port.Taken;
        moved += (int)(taken - _taken);
        _taken = taken;
        return moved;
    }

    /// <summary>
    /// What a round that moved nothing does: sleep a millisecond (the default), leaving the processors to the node and
    /// the controller, whose latency is being measured; or, when true, only yield, so that fast paced streams keep their pace.
    /// </summary>
    public bool Spin { get; set; }

    /// <summary>Pumps until <paramref name="done"/> holds, idling (<see cref="Idle"/>) after a round that moved nothing.</summary>
    /// <exception cref="TimeoutException"><paramref name="limit"/> passed first; the message says what was awaited.</exception>
    public void RunUntil(Func<bool> done, TimeSpan limit, string what)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        while (!done())
        {
            if (Stopwatch.GetTimestamp() > deadline) throw new TimeoutException($"{what} did not happen within {limit.TotalSeconds:0.#} s.");
            if (Pump() == 0) Idle();
        }
    }

    /// <summary>Pumps for <paramref name="duration"/>.</summary>
    public void RunFor(TimeSpan duration)
    {
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < end)
        {
            if (Pump() == 0) Idle();
        }
    }

    /// <summary>Gives the processor away, for a millisecond unless <see cref="Spin"/>.</summary>
    public void Idle()
    {
        if (Spin) Thread.Yield();
        else Thread.Sleep(1);
    }

    /// <summary>Waits for <paramref name="task"/> while pumping, and returns its result (or throws its exception).</summary>
    public T Await<T>(Task<T> task, TimeSpan limit, string what)
    {
        RunUntil(() => task.IsCompleted, limit, what);
        return task.GetAwaiter().GetResult();
    }

    public void Await(Task task, TimeSpan limit, string what)
    {
        RunUntil(() => task.IsCompleted, limit, what);
        task.GetAwaiter().GetResult();
    }
}
