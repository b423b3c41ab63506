using System.Runtime.CompilerServices;

namespace Softnet.Urbanization;

/// <summary>
/// A private working copy of a snapshot that a director mutates while it decides: tentative placements, the MIPS
/// sharing they imply and the host utilization histories. Directors build one per call, so they stay pure.
/// </summary>
internal sealed class PlanningState
{
    private const int HistoryLength = DatacenterSnapshot.HistoryLength;

    private readonly ServerType[] _types;
    private readonly double[] _measured;
    private readonly double[] _costPerHour;
    private readonly MipsTable[] _tables;
    private readonly int[] _memoryUsed;
    private readonly double[] _bandwidthUsed;
    private readonly double[] _hostHistory;
    private readonly bool[] _hostHistoryValid;
    private readonly double[] _allocated;
    private readonly double[] _measuredWatts;

    private readonly double[] _mips;
    private readonly int[] _memory;
    private readonly double[] _requested;
    private readonly bool[] _inMigration;
    private readonly int[] _memoryDemand;
    private readonly double[] _bandwidthDemand;
    private readonly string?[] _replicaGroup;
    private readonly int[] _pinnedHost;
    private readonly double[] _history;
    private readonly int[] _historyCount;
    private readonly double[] _scratch = new double[HistoryLength];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot in a one-shot run: skip the slow first JIT tier
    public PlanningState(DatacenterSnapshot snapshot)
    {
        StepSeconds = snapshot.StepSeconds;
        var hosts = snapshot.Hosts.Length;
        var vms = snapshot.Vms.Length;
        _types = new ServerType[hosts];
        _measured = new double[hosts];
        _costPerHour = new double[hosts];
        _tables = new MipsTable[hosts];
        _memoryUsed = new int[hosts];
        _bandwidthUsed = new double[hosts];
        _hostHistory = new double[hosts * HistoryLength];
        _hostHistoryValid = new bool[hosts];
        _allocated = new double[hosts];
        _measuredWatts = new double[hosts];
        _mips = new double[vms];
        _memory = new int[vms];
        _requested = new double[vms];
        _inMigration = new bool[vms];
        _memoryDemand = new int[vms];
        _bandwidthDemand = new double[vms];
        _replicaGroup = new string?[vms];
        _pinnedHost = new int[vms];
        _history = new double[vms * HistoryLength];
        _historyCount = new int[vms];
        for (var v = 0; v < vms; v++)
        {
            var vm = snapshot.Vms[v];
            _mips[v] = vm.Mips;
            _memory[v] = vm.MemoryMb;
            _requested[v] = vm.RequestedMips;
            _inMigration[v] = vm.InMigration;
            _memoryDemand[v] = vm.MemoryDemandMb;
            _bandwidthDemand[v] = vm.BandwidthDemandMbps;
            _replicaGroup[v] = vm.ReplicaGroup;
            _pinnedHost[v] = vm.PinnedHost;
            var count = Math.Min(vm.History.IsDefault ? 0 : vm.History.Length, HistoryLength);
            for (var i = 0; i < count; i++) _history[v * HistoryLength + i] = vm.History[i];
            _historyCount[v] = count;
        }
        for (var h = 0; h < hosts; h++)
        {
            var host = snapshot.Hosts[h];
            _types[h] = host.Type;
            _measured[h] = host.Utilization;
            _measuredWatts[h] = host.Type.Power.Watts(Math.Min(1, _measured[h]));
            _costPerHour[h] = host.CostPerHour;
            _tables[h] = new MipsTable(host.Type);
            foreach (var v in host.MigratingIn) _tables[h].MarkMigratingIn(v);
            foreach (var v in host.Vms)
            {
                _tables[h].Add(v, _requested[v], _inMigration[v]);
                _memoryUsed[h] += _memoryDemand[v];
                _bandwidthUsed[h] += _bandwidthDemand[v];
            }
            _allocated[h] = SumAllocated(h);
        }
    }

    public int StepSeconds { get; }
    public int HostCount => _types.Length;
    public int VmCount => _mips.Length;

    public ServerType TypeOf(int host) => _types[host];
    public double MeasuredUtilization(int host) => _measured[host];
    /// <summary>Power at the measured utilization.</summary>
    public double MeasuredWatts(int host) => _measuredWatts[host];
    public double CostPerHour(int host) => _costPerHour[host];
    public IReadOnlyList<int> VmsOn(int host) => _tables[host].Vms;
    public bool IsMigratingIn(int host, int vm) => _tables[host].IsMigratingIn(vm);
    public double Requested(int vm) => _requested[vm];
    public int Memory(int vm) => _memory[vm];
    public bool InMigration(int vm) => _inMigration[vm];
    public string? ReplicaGroup(int vm) => _replicaGroup[vm];
    public bool IsPinned(int vm) => _pinnedHost[vm] >= 0;

    /// <summary>Sets what a device asks for; initial placement uses it for devices being created.</summary>
    public void SetRequested(int vm, double mips) => _requested[vm] = mips;

    /// <summary>Whether the device may be on the host and the host has the core speed, spare MIPS, memory and bandwidth it asks for.</summary>
    public bool Fits(int host, int vm)
    {
        var table = _tables[host];
        var type = _types[host];
        return (_pinnedHost[vm] < 0 || _pinnedHost[vm] == host)
            && table.CoreMips >= _requested[vm]
            && table.Available >= _requested[vm]
            && type.MemoryMb - _memoryUsed[host] >= _memoryDemand[vm]
            && type.BandwidthMbps - _bandwidthUsed[host] >= _bandwidthDemand[vm];
    }

    /// <summary>MIPS promised on the host, counting a device migrating in at its full demand.</summary>
    public double AllocatedMips(int host) => _allocated[host];

    private double SumAllocated(int host)
    {
        var table = _tables[host];
        var sum = 0.0;
        for (var i = 0; i < table.Count; i++)
        {
            var allocated = table.AllocatedAt(i);
            if (table.IsMigratingIn(table.Vms[i])) sum += allocated * 0.9 / 0.1;
            sum += allocated;
        }
        return sum;
    }

    public void Place(int host, int vm)
    {
        _tables[host].Add(vm, _requested[vm], _inMigration[vm]);
        _memoryUsed[host] += _memoryDemand[vm];
        _bandwidthUsed[host] += _bandwidthDemand[vm];
        _allocated[host] = SumAllocated(host);
        if (_hostHistoryValid[host]) AddContribution(_hostHistory.AsSpan(host * HistoryLength, HistoryLength), host, vm);
    }

    public void Unplace(int host, int vm)
    {
        _tables[host].Remove(vm);
        _memoryUsed[host] -= _memoryDemand[vm];
        _bandwidthUsed[host] -= _bandwidthDemand[vm];
        _allocated[host] = SumAllocated(host);
        _hostHistoryValid[host] = false;
    }

    public bool IsOverloaded(OverloadPolicy policy, int host)
    {
        var history = HostHistory(host);
        var load = new HostLoad(_types[host].TotalMips, RequestedOn(host), Trimmed(history), LongestMigration(host, -1), StepSeconds);
        return OverloadDetector.IsOverloaded(policy, load);
    }

    /// <summary>
    /// Whether the host would be overloaded with the device added last. CloudSim really places and removes the
    /// device to find out; on a host the device fits, that leaves the MIPS table as it was, so this only computes.
    /// </summary>
    public bool IsOverloadedWith(OverloadPolicy policy, int host, int vm)
    {
        var history = HostHistory(host);
        history.CopyTo(_scratch);
        AddContribution(_scratch, host, vm);
        var requested = RequestedOn(host) + _requested[vm];
        var load = new HostLoad(_types[host].TotalMips, requested, Trimmed(_scratch), LongestMigration(host, vm), StepSeconds);
        return OverloadDetector.IsOverloaded(policy, load);
    }

    private double RequestedOn(int host)
    {
        var sum = 0.0;
        foreach (var v in _tables[host].Vms) sum += _requested[v];
        return sum;
    }

    private double LongestMigration(int host, int extraVm)
    {
        var maxMemory = int.MinValue;
        foreach (var v in _tables[host].Vms) maxMemory = Math.Max(maxMemory, _memory[v]);
        if (extraVm >= 0) maxMemory = Math.Max(maxMemory, _memory[extraVm]);
        return _types[host].MigrationSeconds(maxMemory);
    }

    // Host utilization history: the sum over its devices, in placement order, of each device's history scaled to the host.
    private ReadOnlySpan<double> HostHistory(int host)
    {
        var history = _hostHistory.AsSpan(host * HistoryLength, HistoryLength);
        if (!_hostHistoryValid[host])
        {
            history.Clear();
            foreach (var v in _tables[host].Vms) AddContribution(history, host, v);
            _hostHistoryValid[host] = true;
        }
        return history;
    }

    private void AddContribution(Span<double> history, int host, int vm)
    {
        double hostMips = _types[host].TotalMips;
        var own = _history.AsSpan(vm * HistoryLength, _historyCount[vm]);
        for (var i = 0; i < own.Length; i++) history[i] += own[i] * _mips[vm] / hostMips;
    }

    // CloudSim's trimZeroTail: drops trailing zeros but always keeps the first sample.
    private static ReadOnlySpan<double> Trimmed(ReadOnlySpan<double> history)
    {
        var length = history.Length;
        while (length > 1 && history[length - 1] == 0) length--;
        return history[..length];
    }
}
