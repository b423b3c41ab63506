using System.Globalization;
using Softnet.Hypervisor.Runtime;
using Softnet.Hypervisor.Topology;

namespace Softnet.Control.Controller;

/// <summary>What a node can carry, as it reports it when it subscribes.</summary>
public sealed record NodeCapacity(int Workers, int PacketBuffers, int BufferSize)
{
    /// <summary>A node started with the hypervisor's default options: what the controller assumes until a node reports.</summary>
    public static NodeCapacity Default { get; } = Of(new HypervisorOptions());

    public static NodeCapacity Of(HypervisorOptions options) => new(options.Workers, options.PacketBuffers, options.BufferSize);

    /// <summary>The capacity that every one of <paramref name="nodes"/> has (each node runs the whole desired state).</summary>
    public static NodeCapacity Least(IEnumerable<NodeCapacity> nodes) =>
        nodes.Aggregate((a, b) => new NodeCapacity(Math.Min(a.Workers, b.Workers), Math.Min(a.PacketBuffers, b.PacketBuffers), Math.Min(a.BufferSize, b.BufferSize)));
}

/// <summary>
/// The limits of admission control (SPEC 5): base tokens of all networks within <see cref="TokenBudget"/>, at most
/// <see cref="DevicesPerWorker"/> devices per worker, and <see cref="BuffersPerRing"/> packet buffers set aside for each
/// ring of every network (a link has one ring each way; a host's link also its physical port's pair) within the node's pool.
/// </summary>
public sealed record AdmissionPolicy(int TokenBudget = 64, int DevicesPerWorker = 64, int BuffersPerRing = 128);

/// <summary>The resource that refused a network.</summary>
public enum AdmissionResource
{
    Tokens,
    Cores,
    Memory,
}

/// <summary>What the node's networks use of each resource; <see cref="Buffers"/> is the policy's ring estimate.</summary>
public sealed record NodeLoad(int Tokens, int Devices, long Buffers)
{
    public static NodeLoad Of(IEnumerable<SoftwareNetwork> networks, AdmissionPolicy policy) =>
        networks.Aggregate(new NodeLoad(0, 0, 0), (load, n) => new NodeLoad(
            load.Tokens + n.Tokens,
            load.Devices + n.Devices.Count,
            load.Buffers + (long)Rings(n) * policy.BuffersPerRing));

    private static int Rings(SoftwareNetwork network)
    {
        var hosts = network.Hosts.Select(h => h.Name).ToHashSet();
        return network.Links.Sum(l => hosts.Contains(l.A.Node) || hosts.Contains(l.B.Node) ? 4 : 2);
    }
}

/// <summary>A refusal names the resource and says, in numbers, why; an admission has neither.</summary>
public sealed record AdmissionDecision(AdmissionResource? Refused, string Reason)
{
    public bool Admitted => Refused is null;
}

/// <summary>Admission control as a pure function of the policy, the node's capacity, what it runs and the candidate.</summary>
public static class AdmissionDirector
{
    public static AdmissionDecision Decide(AdmissionPolicy policy, NodeCapacity capacity, IEnumerable<SoftwareNetwork> running, SoftwareNetwork candidate)
    {
        var before = NodeLoad.Of(running, policy);
        var adds = NodeLoad.Of([candidate], policy);
        var name = candidate.Name;
        if (before.Tokens + adds.Tokens > policy.TokenBudget)
            return new(AdmissionResource.Tokens,
                $"not enough tokens: {name} asks for {adds.Tokens} base tokens, the node's networks hold {before.Tokens} of its budget of {policy.TokenBudget}");
        var devices = (long)policy.DevicesPerWorker * capacity.Workers;
        if (before.Devices + adds.Devices > devices)
            return new(AdmissionResource.Cores,
                $"not enough cores: {name}'s {adds.Devices} devices would make {before.Devices + adds.Devices} on {capacity.Workers} worker(s), at most {policy.DevicesPerWorker} per worker");
        if (before.Buffers + adds.Buffers > capacity.PacketBuffers)
            return new(AdmissionResource.Memory,
                $"not enough memory: {name}'s rings need {adds.Buffers} packet buffers ({MiB(adds.Buffers, capacity)}), the node's networks hold {before.Buffers} of its {capacity.PacketBuffers} ({MiB(capacity.PacketBuffers, capacity)})");
        return new(null, "");
    }

    private static string MiB(long buffers, NodeCapacity capacity) =>
        string.Create(CultureInfo.InvariantCulture, $"{buffers * capacity.BufferSize / (1024.0 * 1024):0.#} MiB");
}
