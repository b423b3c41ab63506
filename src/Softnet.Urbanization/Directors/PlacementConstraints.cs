namespace Softnet.Urbanization;

/// <summary>A device of a software network: the key of a network placement.</summary>
public readonly record struct DeviceRef(string Network, string Device)
{
    public override string ToString() => $"{Network}/{Device}";
}

/// <summary>
/// Checks a placement of software networks against the hard constraints: server capacity (peak MIPS and memory),
/// pinned devices, anti-affinity of replicas, and for every virtual link the latency bound and the bandwidth of the
/// physical links on its path. Pure.
/// </summary>
public static class PlacementConstraints
{
    /// <summary>Peak MIPS a device may ask for: its capacity times its highest demand sample.</summary>
    public static double PeakMips(Device device) => device.Mips * device.Cpu.Samples.Max();

    /// <summary>Every violated constraint, described; empty when the placement is valid.</summary>
    public static IReadOnlyList<string> Violations(Infrastructure infrastructure, IEnumerable<SoftwareNetwork> networks, IReadOnlyDictionary<DeviceRef, string> placement)
    {
        var violations = new List<string>();
        var servers = infrastructure.Servers.ToDictionary(s => s.Name);
        var load = new Dictionary<string, ServerLoad>();
        var linkMbps = new double[infrastructure.Links.Length];
        foreach (var network in networks)
        {
            foreach (var device in network.Devices)
            {
                var key = new DeviceRef(network.Name, device.Name);
                if (!placement.TryGetValue(key, out var serverName))
                {
                    violations.Add($"{key} is not placed.");
                    continue;
                }
                if (!servers.ContainsKey(serverName))
                {
                    violations.Add($"{key} is on unknown server '{serverName}'.");
                    continue;
                }
                if (device.PinnedServer is { } pinned && pinned != serverName) violations.Add($"{key} is pinned to {pinned} but placed on {serverName}.");
                load[serverName] = load.GetValueOrDefault(serverName).Add(PeakMips(device), device.MemoryMb);
            }
            foreach (var group in network.Devices.Where(d => d.ReplicaGroup is not null).GroupBy(d => d.ReplicaGroup))
            {
                foreach (var shared in group.Where(d => placement.ContainsKey(new(network.Name, d.Name))).GroupBy(d => placement[new(network.Name, d.Name)]).Where(g => g.Count() > 1))
                {
                    violations.Add($"Replicas {string.Join(", ", shared.Select(d => $"{network.Name}/{d.Name}"))} of group '{group.Key}' share server {shared.Key}.");
                }
            }
            foreach (var link in network.Links)
            {
                if (!placement.TryGetValue(new(network.Name, link.A), out var a) || !placement.TryGetValue(new(network.Name, link.B), out var b)) continue;
                if (!servers.TryGetValue(a, out var sa) || !servers.TryGetValue(b, out var sb)) continue;
                var latency = infrastructure.LatencyMs(sa.Datacenter, sb.Datacenter);
                if (latency > link.MaxLatencyMs) violations.Add($"{network.Name}/{link.A}-{link.B}: latency {latency} ms exceeds {link.MaxLatencyMs} ms.");
                foreach (var physical in infrastructure.Path(sa.Datacenter, sb.Datacenter)) linkMbps[infrastructure.Links.IndexOf(physical)] += link.BandwidthMbps;
            }
        }
        foreach (var (name, used) in load)
        {
            var type = servers[name].Type;
            if (used.Mips > type.TotalMips) violations.Add($"Server {name}: peak demand {used.Mips} MIPS exceeds {type.TotalMips}.");
            if (used.MemoryMb > type.MemoryMb) violations.Add($"Server {name}: {used.MemoryMb} MB of memory exceeds {type.MemoryMb}.");
        }
        for (var i = 0; i < linkMbps.Length; i++)
        {
            var physical = infrastructure.Links[i];
            if (linkMbps[i] > physical.CapacityMbps) violations.Add($"Link {physical.A}-{physical.B}: {linkMbps[i]} Mbps exceeds {physical.CapacityMbps}.");
        }
        return violations;
    }
}
