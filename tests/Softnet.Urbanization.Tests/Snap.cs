using System.Collections.Immutable;

namespace Softnet.Urbanization.Tests;

/// <summary>Builds small hand-made snapshots: hosts by type, devices by requested MIPS and memory.</summary>
internal sealed class Snap
{
    private readonly List<(ServerType Type, List<int> Vms)> _hosts = [];
    private readonly List<VmSnapshot> _vms = [];

    public static ServerType G4 => ServerType.HpProLiantMl110G4;
    public static ServerType G5 => ServerType.HpProLiantMl110G5;

    /// <summary>Adds a host; its measured utilization is the sum of its devices' requests.</summary>
    public Snap Host(ServerType type)
    {
        _hosts.Add((type, []));
        return this;
    }

    /// <summary>Adds a device on the last host.</summary>
    public Snap Vm(double requestedMips, int memoryMb = 1740, double mips = 2500, double[]? history = null, string? replicaGroup = null)
    {
        _hosts[^1].Vms.Add(_vms.Count);
        _vms.Add(new VmSnapshot(mips, memoryMb, requestedMips, [.. history ?? []], ReplicaGroup: replicaGroup));
        return this;
    }

    /// <summary>Adds a device on no host (to be placed).</summary>
    public Snap Unplaced(double requestedMips, int memoryMb = 1740, double mips = 2500)
    {
        _vms.Add(new VmSnapshot(mips, memoryMb, requestedMips, []));
        return this;
    }

    public DatacenterSnapshot Build() => new(
        300.1,
        300,
        [.. _hosts.Select(h => new HostSnapshot(h.Type, h.Vms.Sum(v => _vms[v].RequestedMips), [.. h.Vms]))],
        [.. _vms]);
}
