using System.Diagnostics;
using Softnet.Cli.Bench.Dataplane;
using Softnet.DataPlane;
using Softnet.Hypervisor.Runtime;
using Softnet.Hypervisor.Scheduling;
using Softnet.Hypervisor.Topology;
using Softnet.Wire;
using SoftnetHypervisor = Softnet.Hypervisor.Runtime.Hypervisor;

namespace Softnet.Cli.Bench.Isolation;

/// <summary>
/// One physical node under test: the real hypervisor with one worker (the capacity the networks share) running the
/// bench's networks, and the generator on the calling thread, pinned to another CPU than the worker's. Runs
/// scenarios one after the other; between two, every network is drained so that none starts with a queue.
/// </summary>
internal sealed class BenchNode : IDisposable
{
    public static readonly TokenPolicy Policy = new HypervisorOptions().Policy;

    /// <summary>Bytes per packet buffer: the longest frame is this less the pool's headroom.</summary>
    public const int BufferSize = PacketPool.DefaultBufferSize;

    public const int MaxFrameBytes = BufferSize - PacketPool.Headroom;

    private readonly SoftnetHypervisor _hypervisor;
    private readonly CpuPinning _pinning;
    private readonly WorkerThreads _workers;
    private readonly CpuWaitClock _waits;
    private readonly TrafficGenerator _generator;
    private readonly TimeSpan _window;
    private readonly int _windows;

    private BenchNode(IReadOnlyList<BenchNetwork> networks, TopologyFile topology, IReadOnlyDictionary<string, Ipv4Address> across, int frameBytes, TimeSpan window, int windows)
    {
        _window = window;
        _windows = windows;
        var hosts = new LoopHosts();
        _hypervisor = SoftnetHypervisor.Start(topology, hosts,
            new HypervisorOptions { Workers = 1, PacketBuffers = 8192, BufferSize = BufferSize, Policy = Policy });
        hosts.Wake = _hypervisor.WakeIfSleeping;
        try
        {
            _pinning = CpuPinning.PinCurrentThread();
            _workers = WorkerThreads.Pin(_hypervisor.WorkerThreadIds, _pinning.Cpu);
            _waits = CpuWaitClock.For(_workers.Ids);
            var snapshot = _hypervisor.Inspect();
            _generator = new TrafficGenerator(_hypervisor.Buffers, networks.Select(n => new NetworkTraffic(n, _hypervisor.Buffers, hosts[n.Name],
                MacAddress.Parse(snapshot.Networks.Single(s => s.Name == n.Name).Domains.Single().Ports.Single(p => p.Name == "eth0").Mac, null),
                frameBytes, windows, across.TryGetValue(n.Name, out var to) ? to : null)), _waits, windows);
        }
        catch
        {
            _waits?.Dispose();
            _pinning?.Dispose();
            _hypervisor.Dispose();
            throw;
        }
    }

    /// <summary>Where the generator and the worker run, for the report.</summary>
    public string Placement => $"{_pinning.Description}; {_workers.Description}";

    /// <summary>Byte-equivalents the scheduler charges for one frame of the bench.</summary>
    public long CostPerFrame => Policy.Cost(_generator.Networks[0].FrameBytes, 1);

    public IReadOnlyList<NetworkTraffic> Networks => _generator.Networks;

    /// <summary>Rates the node at <paramref name="byteEquivalentsPerSecond"/>: each network is guaranteed its tokens' share of it.</summary>
    public void SetRatedCapacity(double byteEquivalentsPerSecond) => _hypervisor.SetRatedCapacity(byteEquivalentsPerSecond);

    /// <summary>Starts the hypervisor on <paramref name="networks"/> and pins the calling thread, which generates the traffic.</summary>
    public static BenchNode Start(IReadOnlyList<BenchNetwork> networks, int frameBytes, TimeSpan window, int windows) =>
        new(networks, BenchTopology.Build(networks), new Dictionary<string, Ipv4Address>(), frameBytes, window, windows);

    /// <summary>
    /// The same on <paramref name="topology"/>, which declares <paramref name="networks"/> (each h1 — r1 — h2) and may
    /// join them by gateways; <paramref name="across"/> gives, by network, where its h1 sends through a gateway.
    /// </summary>
    public static BenchNode Start(IReadOnlyList<BenchNetwork> networks, TopologyFile topology, IReadOnlyDictionary<string, Ipv4Address> across,
        int frameBytes, TimeSpan window, int windows) =>
        new(networks, topology, across, frameBytes, window, windows);

    /// <summary>
    /// Runs <paramref name="loads"/> for <paramref name="duration"/> unmeasured (r1 resolves h2, the JIT compiles the
    /// hot paths with their profile), then drains. Fails when a network delivered nothing.
    /// </summary>
    public void WarmUp(IReadOnlyList<Load> loads, TimeSpan duration)
    {
        _generator.Start(loads);
        _generator.RunUntil(Stopwatch.GetTimestamp() + Ticks(duration));
        var drained = _generator.Drain();
        var silent = Networks.Where((n, i) => loads[i].Kind != LoadKind.Idle && n.Delivered == 0).Select(n => n.Network.Name).ToList();
        if (silent.Count > 0)
            throw new InvalidOperationException($"No frame crossed network(s) {string.Join(", ", silent)} during the warm-up; {Diagnose()}");
        if (!drained)
            throw new InvalidOperationException($"{_hypervisor.Buffers.InUse} buffers were still in the networks 2 s after the warm-up; {Diagnose()}");
    }

    /// <summary>Runs one scenario: <paramref name="settle"/> to reach a steady state, then the measured windows.</summary>
    public ScenarioResult Run(string name, string summary, IReadOnlyList<Load> loads, TimeSpan settle)
    {
        var before = _hypervisor.Inspect();
        _generator.Start(loads);
        var measureStart = Stopwatch.GetTimestamp() + Ticks(settle);
        var measureEnd = measureStart + Ticks(_window) * _windows;
        _generator.Measure(measureStart, Ticks(_window), _windows);
        _generator.RunUntil(measureStart);

        var counts = Networks.Select(n => (n.Sent, n.Overflow, n.Unexpected)).ToArray();
        var collections = GC.CollectionCount(0);
        var workerTimes = _workers.Times();
        var generatorCpu = ThreadCpuClock.Now();
        var start = Stopwatch.GetTimestamp();
        _generator.RunUntil(measureEnd);
        var elapsed = Stopwatch.GetElapsedTime(start);
        var workerTimesAfter = _workers.Times();
        var generatorShare = ThreadCpuClock.Now() - generatorCpu;
        collections = GC.CollectionCount(0) - collections;
        var waited = _generator.WaitedPerWindow.ToArray();
        var undisturbed = Enumerable.Range(0, waited.Length).Select(_generator.Undisturbed).ToArray();
        var results = Networks.Select((n, i) => Result(n, loads[i], elapsed, n.Sent - counts[i].Sent, n.Overflow - counts[i].Overflow, n.Unexpected - counts[i].Unexpected)).ToList();

        var drained = _generator.Drain();
        var after = _hypervisor.Inspect();
        results = [.. results.Select(r => WithCounters(r, before, after))];
        return new ScenarioResult(name, summary, _window.TotalSeconds, CostPerFrame, results)
        {
            CpuWaitNsPerWindow = waited,
            Undisturbed = undisturbed,
            WorkerCpuShare = (workerTimesAfter?.OnCpu - workerTimes?.OnCpu) / (elapsed * _workers.Count),
            WorkerWaitShare = (workerTimesAfter?.Waiting - workerTimes?.Waiting) / (elapsed * _workers.Count),
            GeneratorCpuShare = generatorShare / elapsed,
            Collections = collections,
            Drained = drained,
        };
    }

    public void Dispose()
    {
        _waits.Dispose();
        _pinning.Dispose();
        _hypervisor.Dispose();
    }

    private static NetworkResult Result(NetworkTraffic traffic, Load load, TimeSpan elapsed, long sent, long overflow, long unexpected)
    {
        var latency = traffic.Latency;
        var undisturbed = traffic.UndisturbedLatency;
        var toUs = 1e6 / Stopwatch.Frequency;
        return new NetworkResult(traffic.Network, load, traffic.Windows.ToArray(), latency.Quantile(0.5) * toUs, latency.Quantile(0.99) * toUs,
            latency.Count, undisturbed.Quantile(0.99) * toUs, undisturbed.Count, sent / elapsed.TotalSeconds, overflow, 0, 0, unexpected, 0);
    }

    /// <summary>Adds what the hypervisor counted during the scenario: driver drops on both ports, r1's frames per turn.</summary>
    private static NetworkResult WithCounters(NetworkResult result, HypervisorSnapshot before, HypervisorSnapshot after)
    {
        var name = result.Network.Name;
        long Dropped(HypervisorSnapshot s, string host, Func<PhysicalPortStatus, long> counter) =>
            counter(s.PhysicalPorts.Single(p => p.Network == name && p.Name.EndsWith($"/{host}", StringComparison.Ordinal)));
        DomainStatus Router(HypervisorSnapshot s) => s.Networks.Single(n => n.Name == name).Domains.Single();
        var turns = Router(after).Turns - Router(before).Turns;
        var frames = Router(after).Ports.Sum(p => p.RxPackets) - Router(before).Ports.Sum(p => p.RxPackets);
        return result with
        {
            PortDropped = Dropped(after, "h1", p => p.RxDropped) - Dropped(before, "h1", p => p.RxDropped),
            SinkDropped = Dropped(after, "h2", p => p.TxDropped) - Dropped(before, "h2", p => p.TxDropped),
            FramesPerTurn = turns == 0 ? 0 : (double)frames / turns,
        };
    }

    private string Diagnose()
    {
        var snapshot = _hypervisor.Inspect();
        return string.Join("; ", snapshot.Networks.Select(n =>
            $"{n.Name}: r1 " + string.Join(", ", n.Domains.Single().Elements.SelectMany(e => e.Counters.Select(c => $"{e.Name} {c.Key} {c.Value}")))));
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
