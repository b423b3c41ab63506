namespace Softnet.Urbanization;

/// <summary>
/// How a host shares its MIPS among the devices placed on it: CloudSim's time-shared scheduler with
/// over-subscription. Each device gets what it asks for, capped at one core; when the sum does not fit, every device
/// is scaled down in proportion and rounded down. A device migrating out gets 90 % (migration overhead); one
/// migrating in costs the destination only 10 %.
/// </summary>
internal sealed class MipsTable
{
    private readonly double _totalMips;
    private readonly double _coreMips;
    private readonly List<int> _vms = [];
    private readonly List<double> _requested = [];
    private readonly List<double> _allocated = [];

    public MipsTable(ServerType type)
    {
        _totalMips = type.TotalMips;
        _coreMips = type.MipsPerCore;
        Available = _totalMips;
    }

    /// <summary>MIPS not yet promised; zero once over-subscribed.</summary>
    public double Available { get; private set; }
    public double CoreMips => _coreMips;
    private HashSet<int>? _migratingIn;
    // Devices seen migrating out. Like CloudSim, a mark outlives the device's departure and is only cleared when the
    // device is next placed here outside a migration.
    private HashSet<int>? _migratingOut;

    public bool IsMigratingIn(int vm) => _migratingIn is not null && _migratingIn.Contains(vm);
    public bool IsMigratingOut(int vm) => _migratingOut is not null && _migratingOut.Contains(vm);
    public void MarkMigratingIn(int vm) => (_migratingIn ??= []).Add(vm);
    public void UnmarkMigratingIn(int vm) => _migratingIn?.Remove(vm);

    /// <summary>The devices in allocation order (which is placement order).</summary>
    public IReadOnlyList<int> Vms => _vms;
    public int Count => _vms.Count;

    public double AllocatedOf(int vm)
    {
        var i = _vms.IndexOf(vm);
        return i < 0 ? 0 : _allocated[i];
    }

    public double AllocatedAt(int index) => _allocated[index];

    /// <summary>Sum of the allocated MIPS in placement order.</summary>
    public double AllocatedTotal()
    {
        var sum = 0.0;
        foreach (var a in _allocated) sum += a;
        return sum;
    }

    /// <summary>Places a device asking for <paramref name="requested"/> MIPS, first updating its migrating-out mark.</summary>
    public void Add(int vm, double requested, bool inMigration)
    {
        if (inMigration)
        {
            if (!IsMigratingIn(vm)) (_migratingOut ??= []).Add(vm);
        }
        else
        {
            _migratingOut?.Remove(vm);
        }
        Allocate(vm, requested);
    }

    /// <summary>Removes a device and re-shares the MIPS among the others.</summary>
    public void Remove(int vm)
    {
        var i = _vms.IndexOf(vm);
        if (i < 0) return;
        _vms.RemoveAt(i);
        _requested.RemoveAt(i);
        _allocated.RemoveAt(i);
        Reshare();
    }

    /// <summary>Re-shares the MIPS among the devices as if each were placed again, in order, asking for what it asked last.</summary>
    public void Reshare()
    {
        Available = _totalMips;
        for (var i = 0; i < _vms.Count; i++) Allocate(_vms[i], _requested[i]);
    }

    public void Clear()
    {
        _vms.Clear();
        _requested.Clear();
        _allocated.Clear();
        Available = _totalMips;
    }

    private void Allocate(int vm, double requested)
    {
        var i = _vms.IndexOf(vm);
        if (i < 0)
        {
            i = _vms.Count;
            _vms.Add(vm);
            _requested.Add(requested);
            _allocated.Add(0);
        }
        else
        {
            _requested[i] = requested;
        }
        var capped = Math.Min(requested, _coreMips);
        var cost = IsMigratingIn(vm) ? capped * 0.1 : capped;
        if (Available >= cost)
        {
            _allocated[i] = IsMigratingOut(vm) ? capped * 0.9 : IsMigratingIn(vm) ? capped * 0.1 : capped;
            Available -= cost;
        }
        else
        {
            ShareProportionally();
        }
    }

    private void ShareProportionally()
    {
        var required = 0.0;
        foreach (var (vm, requested) in _vms.Zip(_requested))
        {
            var capped = Math.Min(requested, _coreMips);
            required += IsMigratingIn(vm) ? capped * 0.1 : capped;
        }
        var scale = _totalMips / required;
        for (var i = 0; i < _vms.Count; i++)
        {
            var mips = Math.Min(_requested[i], _coreMips);
            if (IsMigratingOut(_vms[i])) mips = mips * scale * 0.9;
            else if (IsMigratingIn(_vms[i])) mips = mips * 0.1 * scale;
            else mips *= scale;
            _allocated[i] = Math.Floor(mips);
        }
        Available = 0;
    }
}
