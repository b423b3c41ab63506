namespace Softnet.Urbanization;

/// <summary>
/// The working copy a <see cref="PackingDirector"/> round mutates: which devices each host holds and the sums behind
/// its predicted load (demand, variance of change, memory, bandwidth). A device still migrating counts on both ends
/// and does not move.
/// </summary>
internal sealed class PackingState
{
    private readonly double _headroom;
    private readonly ServerType[] _types;
    private readonly List<int>[] _vms;
    private readonly double[] _level;
    private readonly double[] _variance;
    private readonly int[] _memory;
    private readonly double[] _bandwidth;

    private readonly double[] _vmLevel;
    private readonly double[] _vmVariance;
    private readonly VmSnapshot[] _snapshots;

    public PackingState(PackingPolicy policy, DatacenterSnapshot snapshot)
    {
        _headroom = policy.Headroom;
        var hosts = snapshot.Hosts.Length;
        _types = new ServerType[hosts];
        _vms = new List<int>[hosts];
        _level = new double[hosts];
        _variance = new double[hosts];
        _memory = new int[hosts];
        _bandwidth = new double[hosts];
        Keep = new bool[hosts];
        Closed = new bool[hosts];
        _snapshots = [.. snapshot.Vms];
        _vmLevel = new double[_snapshots.Length];
        _vmVariance = new double[_snapshots.Length];
        for (var v = 0; v < _snapshots.Length; v++)
        {
            _vmLevel[v] = _snapshots[v].RequestedMips;
            _vmVariance[v] = ChangeVariance(_snapshots[v], policy.Window);
        }
        for (var h = 0; h < hosts; h++)
        {
            _types[h] = snapshot.Hosts[h].Type;
            _vms[h] = [];
            foreach (var v in snapshot.Hosts[h].Vms) Add(h, v);
        }
        BestEfficiency = _types.Length == 0 ? 0 : _types.Max(EfficiencyOf);
    }

    public int HostCount => _types.Length;

    /// <summary>Hosts that must not be emptied this round (they received devices).</summary>
    public bool[] Keep { get; }

    /// <summary>Hosts that must not receive devices this round (they shed or are being emptied).</summary>
    public bool[] Closed { get; }

    /// <summary>MIPS per peak watt of the most efficient server type present.</summary>
    public double BestEfficiency { get; }

    public double Capacity(int host) => _types[host].TotalMips;
    public double Efficiency(int host) => EfficiencyOf(_types[host]);
    public IReadOnlyList<int> VmsOn(int host) => _vms[host];
    public bool IsActive(int host) => _vms[host].Count > 0;
    public double Level(int vm) => _vmLevel[vm];
    public int MemoryOf(int vm) => _snapshots[vm].MemoryMb;
    public bool Movable(int vm) => !_snapshots[vm].InMigration && _snapshots[vm].PinnedHost < 0;

    public double Predicted(int host) => _level[host] + _headroom * Math.Sqrt(_variance[host]);

    public double PredictedWith(int host, int vm) =>
        _level[host] + _vmLevel[vm] + _headroom * Math.Sqrt(_variance[host] + _vmVariance[vm]);

    public double PredictedWithout(int host, int vm) =>
        _level[host] - _vmLevel[vm] + _headroom * Math.Sqrt(Math.Max(0, _variance[host] - _vmVariance[vm]));

    /// <summary>Whether the device may sit on the host: pinning, one core's speed, memory, bandwidth and replica anti-affinity.</summary>
    public bool Admits(int host, int vm)
    {
        var device = _snapshots[vm];
        var type = _types[host];
        if (device.PinnedHost >= 0 && device.PinnedHost != host) return false;
        if (_vmLevel[vm] > type.MipsPerCore) return false;
        if (_memory[host] + device.MemoryDemandMb > type.MemoryMb || _bandwidth[host] + device.BandwidthDemandMbps > type.BandwidthMbps) return false;
        if (device.ReplicaGroup is { } group)
        {
            foreach (var other in _vms[host])
            {
                if (other != vm && _snapshots[other].ReplicaGroup == group) return false;
            }
        }
        return true;
    }

    public void Add(int host, int vm)
    {
        _vms[host].Add(vm);
        _level[host] += _vmLevel[vm];
        _variance[host] += _vmVariance[vm];
        _memory[host] += _snapshots[vm].MemoryDemandMb;
        _bandwidth[host] += _snapshots[vm].BandwidthDemandMbps;
    }

    public void Remove(int host, int vm)
    {
        _vms[host].Remove(vm);
        _level[host] -= _vmLevel[vm];
        _variance[host] = Math.Max(0, _variance[host] - _vmVariance[vm]);
        _memory[host] -= _snapshots[vm].MemoryDemandMb;
        _bandwidth[host] -= _snapshots[vm].BandwidthDemandMbps;
        if (_vms[host].Count == 0) (_level[host], _variance[host]) = (0, 0);
    }

    private static double EfficiencyOf(ServerType type) => type.TotalMips / type.Power.PeakWatts;

    // Mean square of the step-to-step change of the device's demand (MIPS²) over its last `window` samples; the
    // forecast is the current demand, so this is the variance of its error. No history, no known variability.
    private static double ChangeVariance(VmSnapshot vm, int window)
    {
        var history = vm.History.IsDefault ? [] : vm.History.AsSpan();
        var n = Math.Min(window, history.Length);
        if (n < 2) return 0;
        var sum = 0.0;
        for (var i = 0; i + 1 < n; i++)
        {
            var change = (history[i] - history[i + 1]) * vm.Mips;
            sum += change * change;
        }
        return sum / (n - 1);
    }
}
