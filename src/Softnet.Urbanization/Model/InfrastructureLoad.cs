using System.Collections.Immutable;

namespace Softnet.Urbanization;

/// <summary>What one server has committed to the devices placed on it: peak MIPS, memory and device count.</summary>
public readonly record struct ServerLoad(double Mips, int MemoryMb, int Devices)
{
    public ServerLoad Add(double mips, int memoryMb) => new(Mips + mips, MemoryMb + memoryMb, Devices + 1);
}

/// <summary>
/// Commitments on the infrastructure: per server (by name) and per physical link (by its position in
/// <see cref="Infrastructure.Links"/>, in Mbps). Immutable; admission returns an updated copy.
/// </summary>
public sealed record InfrastructureLoad(ImmutableDictionary<string, ServerLoad> Servers, ImmutableDictionary<int, double> LinkMbps)
{
    public static InfrastructureLoad Empty { get; } = new(ImmutableDictionary<string, ServerLoad>.Empty, ImmutableDictionary<int, double>.Empty);

    public ServerLoad Server(string name) => Servers.GetValueOrDefault(name);
    public double Link(int index) => LinkMbps.GetValueOrDefault(index);
}
