using System.Diagnostics;
using System.Runtime.CompilerServices;
using Softnet.DataPlane;
using Softnet.Hypervisor.Forwarding;
using Softnet.Hypervisor.Linux;
using Softnet.Hypervisor.Scheduling;
using Softnet.Hypervisor.Topology;

namespace Softnet.Hypervisor.Runtime;

/// <summary>
/// The hypervisor of one physical node (SPEC 3): runs the domains (devices) of every software network of a topology
/// on a small pool of worker threads under the token scheduler (SPEC 4), with a driver domain that owns the
/// physical ports. Workers take turns the scheduler grants; when no domain has work they sleep until a physical
/// port is readable or a frame is handed in. <see cref="Apply"/> changes the running networks to a new topology and
/// forwarding state, rebuilding only what changed.
/// </summary>
public sealed partial class Hypervisor : IDisposable
{
    /// <summary>Frames a link between two domains, or a backend interface, holds in each direction.</summary>
    public const int RingCapacity = 1024;

    /// <summary>How often an idle device still runs, for its timers (neighbour solicitations, ageing).</summary>
    private static readonly long TimerInterval = Stopwatch.Frequency / 100;

    /// <summary>How often a busy worker polls the ports with a descriptor: a frame that arrives there waits at most this long plus one turn.</summary>
    private static readonly long DriverPollInterval = Stopwatch.Frequency / 50_000;

    private readonly IHostPortProvider _hostPorts;
    private readonly HypervisorOptions _options;
    private readonly PacketPool _pool;
    private readonly DriverDomain _driver;
    private readonly ReadinessWaiter _waiter = new();
    private readonly Lock _schedulerLock = new();
    private double? _ratedCapacity;
    private readonly Lock _control = new();
    private readonly List<HostPort> _hosts = [];
    private readonly List<Thread> _workers = [];
    private readonly List<StrongBox<int>> _workerIds = [];
    private readonly List<StrongBox<long>> _allocated = [];
    private readonly ElasticityMeter _elasticity;
    private volatile Layout _layout;
    private int _sleepers;
    private volatile bool _stopping;
    private bool _disposed;

    private Hypervisor(IHostPortProvider hostPorts, HypervisorOptions options)
    {
        _hostPorts = hostPorts;
        _options = options;
        _ratedCapacity = options.RatedCapacity;
        _pool = new PacketPool(options.PacketBuffers, options.BufferSize);
        _driver = new DriverDomain(_pool);
        _layout = Layout.Empty(new TopologyFile("(nothing yet)", []));
        _elasticity = new ElasticityMeter(() => _layout.All, options.Workers);
    }

    /// <summary>Builds every network of <paramref name="topology"/>, attaches its hosts and starts the workers.</summary>
    /// <exception cref="InvalidOperationException">The topology cannot run (a network without devices, a link between two hosts).</exception>
    public static Hypervisor Start(TopologyFile topology, IHostPortProvider hosts, HypervisorOptions? options = null, IProgress<string>? progress = null)
    {
        options ??= new HypervisorOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Workers, 1);
        var hypervisor = new Hypervisor(hosts, options);
        try
        {
            hypervisor.Apply(topology, plans: null, progress);
            hypervisor.StartWorkers();
            progress?.Report($"{options.Workers} worker(s) running {hypervisor._layout.All.Length} domain(s) of {topology.Networks.Count} network(s)");
            return hypervisor;
        }
        catch
        {
            hypervisor.Dispose();
            throw;
        }
    }

    /// <summary>The topology the node runs now.</summary>
    public TopologyFile Topology => _layout.Topology;

    /// <summary>The in-memory host <paramref name="name"/> (<c>h1</c> or <c>lab/h1</c>) of a host whose port kind is memory.</summary>
    public MemoryPhysicalPort.HostEnd MemoryHost(string name)
    {
        var (network, host) = Names.Resolve(Topology, name, n => n.Hosts.Select(h => h.Name), "host");
        IPhysicalPort? port;
        lock (_control) port = _hosts.FirstOrDefault(h => h.Network.Name == network && h.Host.Name == host)?.Port;
        if (port is null) throw new ArgumentException($"Host '{name}' has no link.", nameof(name));
        return (port as MemoryPhysicalPort)?.Host
            ?? throw new ArgumentException($"Host '{name}' is served by a {port.Kind} port, not an in-memory one.", nameof(name));
    }

    /// <summary>The packet pool every domain and port shares; in-memory hosts allocate the frames they send from it.</summary>
    public PacketPool Buffers => _pool;

    /// <summary>Every network, domain, port and counter now.</summary>
    public HypervisorSnapshot Inspect()
    {
        _elasticity.SampleIfDue();
        List<(SoftwareNetwork, HostSpec, IPhysicalPort)> hosts;
        lock (_control) hosts = [.. _hosts.Select(h => (h.Network, h.Host, h.Port))];
        return Snapshots.Take(this, _layout, _driver, hosts);
    }

    /// <summary>
    /// The Linux thread ids of the workers (0 off Linux): what a bench pins to a core and
    /// whose schedstat it reads, rather than any thread of the process with a worker's name.
    /// </summary>
    public IReadOnlyList<int> WorkerThreadIds => [.. _workerIds.Select(id => id.Value)];

    /// <summary>
    /// Sets the node's rated capacity, in byte-equivalents a second (what the scheduler charges: bytes plus a
    /// per-packet cost), of which each network is guaranteed its tokens' share; null for none. A network whose hosts
    /// offer within that share is served first (<see cref="TokenScheduler.SetRatedCapacity"/>).
    /// </summary>
    public void SetRatedCapacity(double? byteEquivalentsPerSecond)
    {
        if (byteEquivalentsPerSecond is { } rated) ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rated);
        lock (_schedulerLock)
        {
            _ratedCapacity = byteEquivalentsPerSecond;
            _layout.Scheduler?.SetRatedCapacity(_ratedCapacity, Stopwatch.Frequency);
            SkipOffers(_layout);
        }
    }

    /// <summary>
    /// Counts what the ports offered so far as metered, under the scheduler's lock: while no rated capacity is set
    /// nothing is metered, and a scheduler that starts metering starts from now, its buckets full.
    /// </summary>
    private static void SkipOffers(Layout layout)
    {
        foreach (var bindings in layout.Offers)
        {
            foreach (var binding in bindings)
            {
                binding.MeteredBytes = Volatile.Read(ref binding.OfferedBytes);
                binding.MeteredFrames = Volatile.Read(ref binding.OfferedFrames);
            }
        }
    }

    internal Lock SchedulerLock => _schedulerLock;
    internal int Workers => _options.Workers;

    /// <summary>What the workers allocated since they started, as of their last samples.</summary>
    internal long WorkerAllocatedBytes
    {
        get
        {
            long sum = 0;
            foreach (var bytes in _allocated) sum += Volatile.Read(ref bytes.Value);
            return sum;
        }
    }

    /// <summary>
    /// Writes a pcap (nanosecond) of every frame received and sent on <paramref name="port"/> (<c>r1:eth0</c>, or
    /// <c>lab/r1:eth0</c> when several networks have an r1) to <paramref name="output"/> until the result is
    /// disposed. The data plane never waits for the reader: when it falls behind, frames are left out.
    /// </summary>
    /// <exception cref="ArgumentException">No such port, or the name is ambiguous (the message lists the candidates).</exception>
    public IDisposable Capture(string port, Stream output)
    {
        var colon = port.LastIndexOf(':');
        if (colon <= 0 || colon == port.Length - 1) throw new ArgumentException($"'{port}' is not a port; write device:interface, such as r1:eth0.", nameof(port));
        var layout = _layout;
        var (network, device) = Names.Resolve(layout.Topology, port[..colon], n => n.Devices.Select(d => d.Name), "device");
        var domain = layout.All.First(d => d.Network == network && d.Device.Name == device);
        var devicePort = domain.Device.Ports.FirstOrDefault(p => p.Name == port[(colon + 1)..])
            ?? throw new ArgumentException($"Device '{device}' has no port '{port[(colon + 1)..]}' (it has: {string.Join(", ", domain.Device.Ports.Select(p => p.Name))}).", nameof(port));
        var capture = new LiveCapture(output);
        RunOn(domain, () => devicePort.Capture = capture);
        return new CaptureHandle(this, domain, devicePort, capture);
    }

    /// <summary>
    /// Wakes a sleeping worker after frames were handed in; a no-op while every worker is awake. A port without a
    /// descriptor (<see cref="IPhysicalPort.ReadinessFd"/> -1) calls it after its host handed it frames. The full
    /// fence orders the hand-over before the read of the sleepers, as <see cref="Sleep"/> orders its count before its last look.
    /// </summary>
    public void WakeIfSleeping()
    {
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _sleepers) > 0) _waiter.Wake();
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _stopping = true;
        _waiter.Wake();
        foreach (var worker in _workers) worker.Join();
        _elasticity.Dispose();
        lock (_control)
        {
            foreach (var host in _hosts) Release(host);
            _hosts.Clear();
        }
        _waiter.Dispose();
    }

    /// <summary>Runs <paramref name="action"/> on the domain's thread between turns and waits for it (at most 5 s).</summary>
    private void RunOn(Domain domain, Action action)
    {
        if (_workers.Count == 0 || _stopping)
        {
            action();
            return;
        }
        using var done = new ManualResetEventSlim();
        domain.Post(() =>
        {
            action();
            done.Set();
        });
        _waiter.Wake();
        if (!done.Wait(TimeSpan.FromSeconds(5))) throw new TimeoutException($"Domain {domain.Network}/{domain.Device.Name} did not take the command within 5 s.");
    }

    /// <summary>Starts the workers and returns once each has its thread id (<see cref="WorkerThreadIds"/>).</summary>
    private void StartWorkers()
    {
        using var started = new CountdownEvent(_options.Workers);
        for (var i = 0; i < _options.Workers; i++)
        {
            var allocated = new StrongBox<long>();
            var id = new StrongBox<int>();
            _allocated.Add(allocated);
            _workerIds.Add(id);
            var thread = new Thread(() =>
            {
                if (OperatingSystem.IsLinux()) id.Value = Libc.GetTid();
                started.Signal();
                WorkerLoop(allocated);
            }) { Name = $"softnet-worker-{i}", IsBackground = true };
            _workers.Add(thread);
            thread.Start();
        }
        started.Wait();
    }

    private void WorkerLoop(StrongBox<long> allocated)
    {
        if (_options.WorkerNice != 0) ThreadNice.TrySet(_options.WorkerNice);
        var startBytes = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            long lastPoll = 0, lastSample = 0, now = 0;
            var ran = false;
            var charge = default(Charge);
            while (!_stopping)
            {
                // One clock read per iteration (in a virtual machine it costs as much as forwarding a frame): after a
                // turn, the turn's end is the time. While domains have work, ports with a descriptor are polled once
                // per interval rather than before every turn (each is a system call); in-memory ports before every turn.
                if (!ran) now = Stopwatch.GetTimestamp();
                if (now - lastSample >= TimerInterval)
                {
                    Volatile.Write(ref allocated.Value, GC.GetAllocatedBytesForCurrentThread() - startBytes);
                    lastSample = now;
                }
                var descriptors = !ran || now - lastPoll >= DriverPollInterval;
                if (descriptors) lastPoll = now;
                var moved = _driver.TryPoll(descriptors);
                ran = RunTurn(ref now, ref charge);
                if (ran && Volatile.Read(ref _sleepers) > 0) _waiter.Wake();
                if (moved == 0 && !ran && !RunTimers()) Sleep();
            }
        }
        finally
        {
            _pool.ReleaseThreadCache();
        }
    }

    /// <summary>
    /// One scheduler turn from <paramref name="now"/>, which it moves to the turn's end (the domain is charged the
    /// worker's time since the iteration began: its turn and the poll before it). The work of this worker's previous
    /// turn, <paramref name="charge"/>, is charged under the same lock as the pick, just before it; this turn's work
    /// is left there for the next. False when no domain has work.
    /// </summary>
    private bool RunTurn(ref long now, ref Charge charge)
    {
        Domain domain;
        Turn turn;
        TokenScheduler scheduler;
        lock (_schedulerLock)
        {
            var layout = _layout;
            // A reconfiguration in between replaced the scheduler: the old one's accounts are gone, and so is the charge.
            if (charge.Scheduler is { } charged && charged == layout.Scheduler) charged.Charge(charge.Domain, charge.Bytes, charge.Packets);
            charge = default;
            if (layout.Scheduler is null) return false;
            scheduler = layout.Scheduler;
            // What each network's hosts offered since the last turn spends its guarantee (a rated capacity's share).
            var offers = scheduler.MetersOffers ? layout.Offers : [];
            for (var n = 0; n < offers.Length; n++)
            {
                foreach (var binding in offers[n])
                {
                    var offeredBytes = Volatile.Read(ref binding.OfferedBytes);
                    var offeredFrames = Volatile.Read(ref binding.OfferedFrames);
                    if (offeredFrames == binding.MeteredFrames) continue;
                    scheduler.Offer(n, offeredBytes - binding.MeteredBytes, offeredFrames - binding.MeteredFrames);
                    binding.MeteredBytes = offeredBytes;
                    binding.MeteredFrames = offeredFrames;
                }
            }
            var backlog = layout.Backlog;
            var any = false;
            for (var n = 0; n < backlog.Length; n++)
            {
                var flags = backlog[n];
                var domains = layout.Domains[n];
                for (var d = 0; d < flags.Length; d++) any |= flags[d] = !domains[d].IsRunning && domains[d].HasWork;
            }
            if (!any || scheduler.PickNext(backlog, now) is not { } picked) return false;
            turn = picked;
            domain = layout.Domains[turn.Domain.Network][turn.Domain.Domain];
            if (!domain.TryEnter()) return false;
        }
        var start = now;
        long bytes, packets;
        try
        {
            (bytes, packets) = domain.RunTurn(turn.Budget, start, Stopwatch.Frequency, _options.Policy);
        }
        finally
        {
            now = Stopwatch.GetTimestamp();
            domain.BusyTicks += now - start;
            domain.Turns++;
            domain.Exit();
        }
        charge = new Charge(scheduler, turn.Domain, bytes, packets);
        return true;
    }

    /// <summary>Runs idle devices whose timers are due; true when any ran.</summary>
    private bool RunTimers()
    {
        var now = Stopwatch.GetTimestamp();
        var ran = false;
        foreach (var domain in _layout.All)
        {
            if (now - domain.LastRun < TimerInterval || !domain.TryEnter()) continue;
            try
            {
                domain.RunTurn(0, now, Stopwatch.Frequency, _options.Policy);
            }
            finally
            {
                domain.Exit();
            }
            ran = true;
        }
        return ran;
    }

    private void Sleep()
    {
        Interlocked.Increment(ref _sleepers);
        try
        {
            if (_driver.HasWaitingFrames) return;
            foreach (var domain in _layout.All)
            {
                if (domain.HasWork) return;
            }
            _waiter.Wait(10);
        }
        finally
        {
            Interlocked.Decrement(ref _sleepers);
        }
    }

    /// <summary>
    /// What the workers run: the topology, its domains by network and the scheduler sharing the node between them
    /// (none while no network runs). Replaced whole, never changed in place, so that a worker always sees one.
    /// </summary>
    internal sealed record Layout(TopologyFile Topology, Domain[][] Domains, Domain[] All, TokenScheduler? Scheduler)
    {
        /// <summary>The host ports' bindings of each network, by the scheduler's network index: what each offers is metered.</summary>
        public DriverDomain.Binding[][] Offers { get; init; } = [];

        /// <summary>Which domains have work, by network and domain: filled and read under the scheduler's lock.</summary>
        public bool[][] Backlog { get; } = [.. Domains.Select(d => new bool[d.Length])];

        public static Layout Empty(TopologyFile topology) => new(topology, [], [], null);
    }

    /// <summary>The work of a turn, to charge to the scheduler it was picked from.</summary>
    private readonly record struct Charge(TokenScheduler? Scheduler, DomainId Domain, long Bytes, long Packets);

    /// <summary>A host's physical port, what it serves and its binding in the driver domain.</summary>
    private sealed record HostPort(SoftwareNetwork Network, HostSpec Host, Endpoint DevicePort, PhysicalPortKind Kind, IPhysicalPort Port)
    {
        public DriverDomain.Binding? Binding { get; set; }
    }

    private sealed class CaptureHandle(Hypervisor hypervisor, Domain domain, DevicePort port, LiveCapture capture) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            hypervisor.RunOn(domain, () => port.Capture = null);
            capture.Dispose();
        }
    }
}
