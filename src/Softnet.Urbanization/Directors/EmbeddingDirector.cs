using System.Collections.Immutable;

namespace Softnet.Urbanization;

/// <summary>The outcome of admitting a software network.</summary>
public abstract record EmbeddingDecision
{
    private protected EmbeddingDecision() { }

    /// <summary>Admitted: each device's server, and the infrastructure commitments including this network.</summary>
    public sealed record Accepted(ImmutableDictionary<string, string> Placement, InfrastructureLoad Load) : EmbeddingDecision;

    /// <summary>Refused because <paramref name="Device"/> could not be placed, for <paramref name="Reason"/>.</summary>
    public sealed record Rejected(string Device, string Reason) : EmbeddingDecision;
}

/// <summary>
/// Admission control: embeds a software network on the infrastructure or refuses it. Greedy: pinned devices first,
/// then by decreasing peak demand; each device goes to the feasible server of least marginal weighted cost, where
/// feasible means capacity, anti-affinity with its replicas, and for each virtual link to an already placed device
/// the latency bound and free bandwidth on the physical path. Pure.
/// </summary>
public static class EmbeddingDirector
{
    public static EmbeddingDecision Admit(EmbeddingPolicy policy, Infrastructure infrastructure, InfrastructureLoad load, SoftwareNetwork network)
    {
        var servers = load.Servers.ToDictionary();
        var links = new double[infrastructure.Links.Length];
        foreach (var (i, mbps) in load.LinkMbps) links[i] = mbps;
        var placement = new Dictionary<string, Server>();
        var peakWatts = infrastructure.Servers.Sum(s => s.Type.Power.PeakWatts);
        var totalCost = infrastructure.Servers.Sum(s => infrastructure.DatacenterOf(s).CostPerServerHour);

        var order = network.Devices
            .Select((device, index) => (device, index))
            .OrderBy(x => x.device.PinnedServer is null)
            .ThenByDescending(x => PlacementConstraints.PeakMips(x.device))
            .ThenBy(x => x.index)
            .Select(x => x.device);
        foreach (var device in order)
        {
            var peak = PlacementConstraints.PeakMips(device);
            IEnumerable<Server> candidates = infrastructure.Servers;
            if (device.PinnedServer is { } pinned)
            {
                if (!infrastructure.Servers.Any(s => s.Name == pinned)) return new EmbeddingDecision.Rejected(device.Name, $"pinned server '{pinned}' does not exist");
                candidates = [infrastructure.Servers[infrastructure.IndexOfServer(pinned)]];
            }
            var active = servers.Count(s => s.Value.Mips > 0);
            Server? best = null;
            var bestCost = double.PositiveInfinity;
            var failure = Failure.None;
            foreach (var server in candidates)
            {
                var check = Check(policy, infrastructure, network, placement, servers, links, device, peak, server);
                if (check != Failure.None)
                {
                    failure = (Failure)Math.Max((int)failure, (int)check);
                    continue;
                }
                var cost = MarginalCost(policy.Weights, infrastructure, servers.GetValueOrDefault(server.Name), server, peak, peakWatts, totalCost, active);
                if (cost < bestCost)
                {
                    bestCost = cost;
                    best = server;
                }
            }
            if (best is null) return new EmbeddingDecision.Rejected(device.Name, Describe(failure, device, peak));
            servers[best.Name] = servers.GetValueOrDefault(best.Name).Add(peak, device.MemoryMb);
            foreach (var (other, link) in LinksToPlaced(network, placement, device))
            {
                foreach (var physical in infrastructure.Path(best.Datacenter, other.Datacenter)) links[infrastructure.Links.IndexOf(physical)] += link.BandwidthMbps;
            }
            placement[device.Name] = best;
        }
        var newLoad = new InfrastructureLoad(
            servers.ToImmutableDictionary(),
            Enumerable.Range(0, links.Length).Where(i => links[i] != 0).ToImmutableDictionary(i => i, i => links[i]));
        return new EmbeddingDecision.Accepted(placement.ToImmutableDictionary(p => p.Key, p => p.Value.Name), newLoad);
    }

    // Ordered by how far a candidate got, so the reported reason is the last hurdle the best candidate hit.
    private enum Failure
    {
        None,
        Capacity,
        Replica,
        Latency,
        Bandwidth,
    }

    private static Failure Check(
        EmbeddingPolicy policy, Infrastructure infrastructure, SoftwareNetwork network, Dictionary<string, Server> placement,
        Dictionary<string, ServerLoad> servers, double[] links, Device device, double peak, Server server)
    {
        var used = servers.GetValueOrDefault(server.Name);
        if (used.Mips + peak > policy.MaxServerUtilization * server.Type.TotalMips || used.MemoryMb + device.MemoryMb > server.Type.MemoryMb) return Failure.Capacity;
        if (device.ReplicaGroup is { } group && network.Devices.Any(d => d.ReplicaGroup == group && placement.TryGetValue(d.Name, out var s) && s == server)) return Failure.Replica;
        var extra = new Dictionary<int, double>();
        foreach (var (other, link) in LinksToPlaced(network, placement, device))
        {
            if (infrastructure.LatencyMs(server.Datacenter, other.Datacenter) > link.MaxLatencyMs) return Failure.Latency;
            foreach (var physical in infrastructure.Path(server.Datacenter, other.Datacenter))
            {
                var i = infrastructure.Links.IndexOf(physical);
                extra[i] = extra.GetValueOrDefault(i) + link.BandwidthMbps;
            }
        }
        foreach (var (i, mbps) in extra)
        {
            if (links[i] + mbps > infrastructure.Links[i].CapacityMbps) return Failure.Bandwidth;
        }
        return Failure.None;
    }

    private static IEnumerable<(Server Other, VirtualLink Link)> LinksToPlaced(SoftwareNetwork network, Dictionary<string, Server> placement, Device device)
    {
        foreach (var link in network.Links)
        {
            var other = link.A == device.Name ? link.B : link.B == device.Name ? link.A : null;
            if (other is not null && placement.TryGetValue(other, out var server)) yield return (server, link);
        }
    }

    private static double MarginalCost(UrbanizationWeights weights, Infrastructure infrastructure, ServerLoad used, Server server, double peak, double peakWatts, double totalCost, int active)
    {
        var power = server.Type.Power;
        var before = Math.Min(1, used.Mips / server.Type.TotalMips);
        var after = Math.Min(1, (used.Mips + peak) / server.Type.TotalMips);
        var wattsBefore = used.Devices > 0 ? power.Watts(before) : power.StandbyWatts;
        var energy = peakWatts == 0 ? 0 : (power.Watts(after) - wattsBefore) / peakWatts;
        var balance = (after * after - before * before) / Math.Max(1, active);
        var cost = used.Devices > 0 || totalCost == 0 ? 0 : infrastructure.DatacenterOf(server).CostPerServerHour / totalCost;
        return weights.Energy * energy + weights.LoadBalance * balance + weights.Cost * cost;
    }

    private static string Describe(Failure failure, Device device, double peak) => failure switch
    {
        Failure.Replica => $"every server with room already holds a replica of group '{device.ReplicaGroup}'",
        Failure.Latency => "no server with room is within the latency bound of its linked devices",
        Failure.Bandwidth => "no server with room has a path with enough free bandwidth to its linked devices",
        _ => $"no server has {peak:0.#} MIPS and {device.MemoryMb} MB free",
    };
}
