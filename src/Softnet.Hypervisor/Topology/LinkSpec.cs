namespace Softnet.Hypervisor.Topology;

/// <summary>A point-to-point link between two ports, written <c>endpoints: ["h1:eth0", "s1:eth1"]</c>.</summary>
public sealed record LinkSpec(Endpoint A, Endpoint B);

/// <summary>A port of a named node: "r1:eth0".</summary>
public readonly record struct Endpoint(string Node, string Port)
{
    public override string ToString() => $"{Node}:{Port}";
}
