namespace Softnet.Urbanization;

/// <summary>
/// How software networks are admitted: devices are committed at their peak demand, a server may be committed up to
/// <paramref name="MaxServerUtilization"/> of its MIPS, and among feasible servers the one that raises the weighted
/// urbanization objective least is chosen.
/// </summary>
public sealed record EmbeddingPolicy(UrbanizationWeights Weights, double MaxServerUtilization = 1.0)
{
    public static EmbeddingPolicy EnergyFirst { get; } = new(UrbanizationWeights.EnergyOnly);
}
