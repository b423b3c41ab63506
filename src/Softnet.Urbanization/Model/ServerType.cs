namespace Softnet.Urbanization;

/// <summary>A server model: cores of equal speed, memory, network bandwidth and its power curve.</summary>
public sealed record ServerType
{
    public ServerType(string name, int cores, int mipsPerCore, int memoryMb, double bandwidthMbps, PowerCurve power)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cores);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(mipsPerCore);
        ArgumentOutOfRangeException.ThrowIfNegative(memoryMb);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bandwidthMbps);
        ArgumentNullException.ThrowIfNull(power);
        (Name, Cores, MipsPerCore, MemoryMb, BandwidthMbps, Power) = (name, cores, mipsPerCore, memoryMb, bandwidthMbps, power);
    }

    public string Name { get; }
    public int Cores { get; }
    public int MipsPerCore { get; }
    public int MemoryMb { get; }
    public double BandwidthMbps { get; }
    public PowerCurve Power { get; }
    public int TotalMips => Cores * MipsPerCore;

    /// <summary>Seconds to live-migrate <paramref name="memoryMb"/> when half of this server's bandwidth carries the copy.</summary>
    public double MigrationSeconds(int memoryMb) => memoryMb / (BandwidthMbps / 16);

    public static ServerType HpProLiantMl110G4 { get; } = new("HP ProLiant ML110 G4", 2, 1860, 4096, 1000, PowerCurve.HpProLiantMl110G4);
    public static ServerType HpProLiantMl110G5 { get; } = new("HP ProLiant ML110 G5", 2, 2660, 4096, 1000, PowerCurve.HpProLiantMl110G5);
}
