namespace Softnet.Urbanization;

/// <summary>Which device to move off an overloaded host. Immutable data; <see cref="VmSelector"/> applies it.</summary>
public abstract record SelectionPolicy
{
    private protected SelectionPolicy() { }

    /// <summary>Minimum migration time (MMT): the device with the least memory; the first such in host order on ties.</summary>
    public sealed record MinimumMigrationTime : SelectionPolicy;

    /// <summary>Minimum utilization (MU): the device demanding the fewest MIPS; the first such on ties.</summary>
    public sealed record MinimumUtilization : SelectionPolicy;
}
