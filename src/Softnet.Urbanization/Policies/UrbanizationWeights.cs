namespace Softnet.Urbanization;

/// <summary>
/// The user's weighting of the urbanization criteria, which conflict: energy (watts), load balance (spread of host
/// utilization), cost (server-hours at each site's price), resilience (replicas sharing a server) and migration count.
/// Weights are non-negative; only their ratios matter.
/// </summary>
public sealed record UrbanizationWeights
{
    public UrbanizationWeights(double energy = 1, double loadBalance = 0, double cost = 0, double resilience = 0, double migrations = 0)
    {
        foreach (var w in (ReadOnlySpan<double>)[energy, loadBalance, cost, resilience, migrations])
        {
            if (!(w >= 0)) throw new ArgumentOutOfRangeException(nameof(energy), w, "Urbanization weights must be non-negative.");
        }
        (Energy, LoadBalance, Cost, Resilience, Migrations) = (energy, loadBalance, cost, resilience, migrations);
    }

    public double Energy { get; }
    public double LoadBalance { get; }
    public double Cost { get; }
    public double Resilience { get; }
    public double Migrations { get; }

    /// <summary>Only energy counts: pure consolidation.</summary>
    public static UrbanizationWeights EnergyOnly { get; } = new();
}
