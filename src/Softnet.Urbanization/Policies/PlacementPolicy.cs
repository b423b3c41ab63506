namespace Softnet.Urbanization;

/// <summary>Where to put a device that must move. Immutable data; <see cref="PlacementDirector"/> applies it.</summary>
public abstract record PlacementPolicy
{
    private protected PlacementPolicy() { }

    /// <summary>
    /// Power-aware best fit decreasing (PABFD): devices in decreasing order of demand, each to the host whose power
    /// rises least, among hosts with room that would not become overloaded.
    /// </summary>
    public sealed record PowerAwareBestFitDecreasing : PlacementPolicy;

    /// <summary>
    /// Best fit decreasing on the urbanization objective: devices in decreasing order of demand, each to the host where
    /// adding it raises the weighted cost (<see cref="UrbanizationObjective"/>) least.
    /// </summary>
    public sealed record WeightedObjective(UrbanizationWeights Weights) : PlacementPolicy;
}
