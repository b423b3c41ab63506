using System.Collections.Immutable;

namespace Softnet.Urbanization;

/// <summary>
/// A consistent view of a datacenter at one instant: everything a director decides from. Hosts and devices are
/// referred to by index; a host lists its devices in placement order, which breaks ties.
/// </summary>
public sealed record DatacenterSnapshot(double Time, int StepSeconds, ImmutableArray<HostSnapshot> Hosts, ImmutableArray<VmSnapshot> Vms)
{
    /// <summary>Number of history samples a host or device keeps (newest first).</summary>
    public const int HistoryLength = 30;
}

/// <summary>
/// A host: its type, the MIPS it delivered at the last measurement (including migration overheads), the devices on
/// it and, among them, those still migrating in.
/// </summary>
public sealed record HostSnapshot(ServerType Type, double UtilizationMips, ImmutableArray<int> Vms, ImmutableArray<int> MigratingIn = default, double CostPerHour = 0)
{
    public ImmutableArray<int> MigratingIn { get; init; } = MigratingIn.IsDefault ? [] : MigratingIn;

    /// <summary>Measured utilization in [0, 1]; rounding overshoots below 1 % are clamped to 1, as CloudSim does.</summary>
    public double Utilization => Clamp(UtilizationMips / Type.TotalMips);

    internal static double Clamp(double utilization) => utilization > 1 && utilization < 1.01 ? 1 : utilization;
}

/// <summary>
/// A device: capacity, configured memory (which sets its migration time), the MIPS it requests now, its CPU
/// utilization history (fractions of its MIPS, newest first), whether it is migrating, and what it reserves on its
/// host for memory and bandwidth (CloudSim's PlanetLab setup reserves them only while the device is being created).
/// A device with a <paramref name="PinnedHost"/> index may only be on that host and is never moved.
/// </summary>
public sealed record VmSnapshot(
    double Mips,
    int MemoryMb,
    double RequestedMips,
    ImmutableArray<double> History,
    bool InMigration = false,
    int MemoryDemandMb = 0,
    double BandwidthDemandMbps = 0,
    string? ReplicaGroup = null,
    int PinnedHost = -1);

/// <summary>A decision to move device <paramref name="Vm"/> to host <paramref name="TargetHost"/>.</summary>
public readonly record struct Migration(int Vm, int TargetHost);
