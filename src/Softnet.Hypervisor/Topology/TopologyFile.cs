namespace Softnet.Hypervisor.Topology;

/// <summary>A parsed and validated topology file: one or more software networks sharing the physical infrastructure.</summary>
public sealed record TopologyFile(string SourceName, IReadOnlyList<SoftwareNetwork> Networks)
{
    /// <summary>The secure gateways between the networks; without one, no traffic crosses from a network to another.</summary>
    public IReadOnlyList<GatewaySpec> Gateways { get; init; } = [];

    /// <summary>The network called <paramref name="name"/>; throws <see cref="InvalidOperationException"/> when there is none.</summary>
    public SoftwareNetwork this[string name] => Networks.First(n => n.Name == name);
}
