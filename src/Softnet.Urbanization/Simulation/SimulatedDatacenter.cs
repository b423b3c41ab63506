using System.Collections.Immutable;
using System.Runtime.CompilerServices;

namespace Softnet.Urbanization;

/// <summary>
/// The mutable state behind <see cref="Simulator"/>: hosts with their MIPS tables, devices with demand, history and
/// migration state, and the running energy and SLA sums. One instance runs one simulation.
/// </summary>
internal sealed class SimulatedDatacenter
{
    private const int HistoryLength = DatacenterSnapshot.HistoryLength;

    private readonly Controller _controller;
    private readonly SimulationSettings _settings;
    private readonly Host[] _hosts;
    private readonly Device[] _devices;
    private readonly int[] _pinnedHost;
    private readonly double[] _requested;
    private readonly double[] _requestedAt;
    private readonly double[] _history;
    private readonly int[] _historyCount;
    private readonly double[] _historyAt;
    private readonly bool[] _inMigration;
    private readonly int[] _hostOf;
    private readonly SlaTrack[] _vmSla;
    private readonly List<int> _scratch = [];
    private readonly PriorityQueue<MigrationEvent, (double, long)> _migrations = new();
    private long _serial;
    private double _lastUpdate;
    private double _joules;
    private int _migrationCount;
    private int _finished;
    private double _slaActiveSeconds;
    private double _slaViolationSeconds;

    public SimulatedDatacenter(Scenario scenario, Controller controller, SimulationSettings settings)
    {
        _controller = controller;
        _settings = settings;
        _hosts = [.. scenario.Infrastructure.Servers.Select(s => new Host(s.Type))];
        _devices = [.. scenario.Devices];
        _pinnedHost = [.. _devices.Select(d => d.PinnedServer is null ? -1 : scenario.Infrastructure.IndexOfServer(d.PinnedServer))];
        var n = _devices.Length;
        _requested = new double[n];
        _requestedAt = new double[n];
        Array.Fill(_requestedAt, double.NaN);
        _history = new double[n * HistoryLength];
        _historyCount = new int[n];
        _historyAt = new double[n];
        _inMigration = new bool[n];
        _hostOf = new int[n];
        Array.Fill(_hostOf, -1);
        _vmSla = new SlaTrack[n];
    }

    public SimulationResult Run(Action<SimulationProgress>? progress, CancellationToken cancellationToken)
    {
        PlaceDevices();
        var steps = Simulator.StepTimes(_settings);
        var samples = ImmutableArray.CreateBuilder<SimulationSample>(steps.Count);
        for (var k = 0; k < steps.Count; k++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var t = steps[k];
            if (t > _lastUpdate)
            {
                Update(t, isStep: true);
                var (watts, active, devices, requested) = Measure();
                var plan = _controller.Plan(Snapshot(t));
                foreach (var m in plan) StartMigration(m.Vm, m.TargetHost, t);
                samples.Add(new SimulationSample(t, watts, active, devices, plan.Length, requested));
            }
            // A migration ending exactly at the next step ends first (CloudSim queued it earlier); none ends at or after the horizon.
            if (k + 1 < steps.Count) CompleteMigrations(steps[k + 1], inclusive: true);
            else CompleteMigrations(_settings.DurationSeconds, inclusive: false);
            progress?.Invoke(new SimulationProgress(k + 1, steps.Count, t));
            if (!_hostOf.Any(h => h >= 0)) break;
        }
        return Result(samples.ToImmutable());
    }

    // CloudSim creates the devices before the workload starts: each asks for its full MIPS, memory and bandwidth
    // while it is placed, and for nothing once created (its workload has not started yet).
    private void PlaceDevices()
    {
        var vms = _devices.Select((d, i) => new VmSnapshot(d.Mips, d.MemoryMb, 0, [], MemoryDemandMb: d.MemoryMb, BandwidthDemandMbps: d.BandwidthMbps, ReplicaGroup: d.ReplicaGroup, PinnedHost: _pinnedHost[i]));
        var hosts = _hosts.Select(h => new HostSnapshot(h.Type, 0, []));
        var placement = PlacementDirector.PlaceNew(_controller.StartUp, new DatacenterSnapshot(0, _settings.StepSeconds, [.. hosts], [.. vms]));
        for (var vm = 0; vm < placement.Length; vm++)
        {
            if (placement[vm] < 0) throw new InvalidOperationException($"Device '{_devices[vm].Name}' ({_devices[vm].Mips} MIPS, {_devices[vm].MemoryMb} MB) fits on no server.");
            _hosts[placement[vm]].Table.Add(vm, _devices[vm].Mips, false);
            _hostOf[vm] = placement[vm];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot in a one-shot run: skip the slow first JIT tier
    private DatacenterSnapshot Snapshot(double t)
    {
        var reserve = _settings.ReserveMemoryAndBandwidth;
        var vms = ImmutableArray.CreateBuilder<VmSnapshot>(_devices.Length);
        for (var vm = 0; vm < _devices.Length; vm++)
        {
            var d = _devices[vm];
            var history = ImmutableArray.Create(_history, vm * HistoryLength, _historyCount[vm]);
            vms.Add(new VmSnapshot(d.Mips, d.MemoryMb, _requested[vm], history, _inMigration[vm],
                reserve ? d.MemoryMb : 0, reserve ? d.BandwidthMbps : 0, d.ReplicaGroup, _pinnedHost[vm]));
        }
        var hosts = ImmutableArray.CreateBuilder<HostSnapshot>(_hosts.Length);
        foreach (var host in _hosts) hosts.Add(new HostSnapshot(host.Type, host.Mips, [.. host.Table.Vms], [.. host.MigratingIn]));
        return new DatacenterSnapshot(t, _settings.StepSeconds, hosts.MoveToImmutable(), vms.MoveToImmutable());
    }

    // PowerDatacenter's update: every host re-measures at time t, energy accrues over the time since the last
    // update, then devices whose demand is zero are finished.
    private void Update(double t, bool isStep)
    {
        for (var h = 0; h < _hosts.Length; h++) UpdateHost(h, t, isStep);
        var dt = t - _lastUpdate;
        if (dt > 0)
        {
            foreach (var host in _hosts) _joules += host.Joules(dt);
        }
        if (_settings.ZeroDemandEndsDevice) FinishIdleDevices();
        _lastUpdate = t;
    }

    // HostDynamicWorkload.updateVmsProcessing: refresh demands, re-share MIPS, record SLA states.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot in a one-shot run: skip the slow first JIT tier
    private void UpdateHost(int h, double t, bool isStep)
    {
        var host = _hosts[h];
        _scratch.Clear();
        _scratch.AddRange(host.Table.Vms);
        foreach (var vm in _scratch) Refresh(vm, t, isStep);
        host.PreviousMips = host.Mips;
        host.Table.Clear();
        foreach (var vm in _scratch) host.Table.Add(vm, _requested[vm], _inMigration[vm]);
        double delivered = 0, requested = 0;
        for (var i = 0; i < _scratch.Count; i++)
        {
            var vm = _scratch[i];
            var allocated = host.Table.AllocatedAt(i);
            if (!host.MigratingIn.Contains(vm))
            {
                _vmSla[vm].Record(t, allocated, _requested[vm], _inMigration[vm]);
                // The source runs the device at 90 % during migration but still spends the full MIPS on it.
                if (_inMigration[vm]) allocated /= 0.9;
            }
            delivered += allocated;
            requested += _requested[vm];
        }
        host.Mips = delivered;
        host.Sla.Record(t, delivered, requested, delivered > 0, ref _slaActiveSeconds, ref _slaViolationSeconds);
    }

    private void Refresh(int vm, double t, bool isStep)
    {
        if (_requestedAt[vm] == t) return;
        var utilization = _devices[vm].Cpu.At(t);
        _requested[vm] = utilization * _devices[vm].Mips;
        _requestedAt[vm] = t;
        if (isStep && t > _historyAt[vm])
        {
            var history = _history.AsSpan(vm * HistoryLength, HistoryLength);
            history[..^1].CopyTo(history[1..]);
            history[0] = utilization;
            _historyCount[vm] = Math.Min(_historyCount[vm] + 1, HistoryLength);
            _historyAt[vm] = t;
        }
    }

    private void FinishIdleDevices()
    {
        foreach (var host in _hosts)
        {
            _scratch.Clear();
            foreach (var vm in host.Table.Vms)
            {
                if (!_inMigration[vm] && _requested[vm] == 0) _scratch.Add(vm);
            }
            foreach (var vm in _scratch)
            {
                if (_hostOf[vm] < 0) continue;
                _hosts[_hostOf[vm]].Table.Remove(vm);
                _hostOf[vm] = -1;
                _finished++;
            }
        }
    }

    // Host.addMigratingInVm: the destination reserves 10 % of the device's MIPS and both ends re-measure.
    private void StartMigration(int vm, int target, double t)
    {
        var host = _hosts[target];
        _inMigration[vm] = true;
        if (!host.MigratingIn.Contains(vm))
        {
            host.Table.MarkMigratingIn(vm);
            host.Table.Add(vm, _requested[vm], true);
            host.MigratingIn.Add(vm);
            UpdateHost(target, t, isStep: false);
            UpdateHost(_hostOf[vm], t, isStep: false);
        }
        _migrationCount++;
        var duration = host.Type.MigrationSeconds(_devices[vm].MemoryMb);
        _migrations.Enqueue(new MigrationEvent(vm, target), (t + duration, _serial++));
    }

    // Migrations end in time order; all hosts re-measure before the first one ending at a given time and after the last.
    private void CompleteMigrations(double limit, bool inclusive)
    {
        while (_migrations.TryPeek(out _, out var key) && (key.Item1 < limit || (inclusive && key.Item1 == limit)))
        {
            var (e, (time, _)) = (_migrations.Dequeue(), key);
            if (time > _lastUpdate) Update(time, isStep: false);
            CompleteMigration(e.Vm, e.Target);
            if (!_migrations.TryPeek(out _, out var nextKey) || nextKey.Item1 > time) Update(time, isStep: false);
        }
    }

    private void CompleteMigration(int vm, int target)
    {
        if (_hostOf[vm] >= 0) _hosts[_hostOf[vm]].Table.Remove(vm);
        var host = _hosts[target];
        host.Table.Remove(vm);
        host.MigratingIn.Remove(vm);
        host.Table.UnmarkMigratingIn(vm);
        _inMigration[vm] = false;
        host.Table.Add(vm, _requested[vm], false);
        _hostOf[vm] = target;
    }

    private (double Watts, int Active, int Devices, double Requested) Measure()
    {
        double watts = 0;
        var active = 0;
        foreach (var host in _hosts)
        {
            var utilization = host.Utilization;
            if (utilization > 0)
            {
                active++;
                watts += host.Type.Power.Watts(utilization);
            }
            else
            {
                watts += host.Type.Power.StandbyWatts;
            }
        }
        var devices = 0;
        var requested = 0.0;
        for (var vm = 0; vm < _hostOf.Length; vm++)
        {
            if (_hostOf[vm] < 0) continue;
            devices++;
            requested += _requested[vm];
        }
        return (watts, active, devices, requested);
    }

    private SimulationResult Result(ImmutableArray<SimulationSample> samples)
    {
        double requested = 0, allocated = 0, lostToMigration = 0;
        foreach (var track in _vmSla)
        {
            requested += track.Requested;
            allocated += track.Allocated;
            lostToMigration += track.LostToMigration;
        }
        return new SimulationResult(
            _controller.Name,
            _hosts.Length,
            _devices.Length,
            _joules / 3.6e6,
            _migrationCount,
            _slaActiveSeconds == 0 ? 0 : _slaViolationSeconds / _slaActiveSeconds,
            requested == 0 ? 0 : lostToMigration / requested,
            requested == 0 ? 0 : (requested - allocated) / requested,
            _finished,
            samples);
    }

    private readonly record struct MigrationEvent(int Vm, int Target);

    private sealed class Host(ServerType type)
    {
        public ServerType Type { get; } = type;
        public MipsTable Table { get; } = new(type);
        public List<int> MigratingIn { get; } = [];
        public double Mips { get; set; }
        public double PreviousMips { get; set; }
        public HostSlaTrack Sla;

        public double Utilization => HostSnapshot.Clamp(Mips / Type.TotalMips);

        // Trapezoid between the utilization at the previous and the current measurement; a host that was off
        // (no load at the previous measurement) draws standby power for the whole interval.
        public double Joules(double seconds)
        {
            var from = HostSnapshot.Clamp(PreviousMips / Type.TotalMips);
            if (from == 0) return Type.Power.StandbyWatts * seconds;
            var fromWatts = Type.Power.Watts(from);
            var toWatts = Type.Power.Watts(Utilization);
            return (fromWatts + (toWatts - fromWatts) / 2) * seconds;
        }
    }
}

