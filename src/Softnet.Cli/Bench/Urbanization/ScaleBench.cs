using System.Diagnostics;
using Softnet.Urbanization;

namespace Softnet.Cli.Bench.Urbanization;

/// <summary>
/// <c>softnet bench scale</c>: placement of 100,000 devices of 10,000 software networks on 10,000 servers (CloudSim's
/// alternating G4 and G5) with <see cref="BulkPlacementDirector"/>, then a check of every hard constraint.
/// </summary>
public static class ScaleBench
{
    private const double SecondsTarget = 10, MemoryTargetMb = 2048;

    /// <returns>0 when everything is placed, valid and within the targets, 1 otherwise.</returns>
    public static int Run(int networks, int devicesPerNetwork, int servers, int seed, string? jsonPath, TextWriter output)
    {
        var clock = Stopwatch.StartNew();
        var infrastructure = CloudSimPlanetLab.Hosts(servers);
        var softwareNetworks = Generate(networks, devicesPerNetwork, seed);
        var generateSeconds = clock.Elapsed.TotalSeconds;
        output.WriteLine($"bench scale: {networks * devicesPerNetwork} devices of {networks} software networks on {servers} servers.");

        clock.Restart();
        var placement = BulkPlacementDirector.Place(PackingPolicy.Softnet, infrastructure, softwareNetworks);
        var wall = clock.Elapsed.TotalSeconds;
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var peakMb = process.PeakWorkingSet64 / (1024.0 * 1024);

        clock.Restart();
        var violations = PlacementConstraints.Violations(infrastructure, softwareNetworks, placement);
        var checkSeconds = clock.Elapsed.TotalSeconds;
        var used = placement.Values.Distinct().ToList();
        var byType = used.GroupBy(name => infrastructure.Servers[infrastructure.IndexOfServer(name)].Type.Name).ToDictionary(g => g.Key, g => g.Count());
        Figure[] figures =
        [
            new("devices", networks * devicesPerNetwork),
            new("networks", networks),
            new("servers", servers),
            new("devices_placed", placement.Count, placement.Count == networks * devicesPerNetwork, "all"),
            new("servers_used", used.Count),
            new("servers_used_g5", byType.GetValueOrDefault(ServerType.HpProLiantMl110G5.Name)),
            new("servers_used_g4", byType.GetValueOrDefault(ServerType.HpProLiantMl110G4.Name)),
            new("constraint_violations", violations.Count, violations.Count == 0, "0"),
            new("wall_seconds", Math.Round(wall, 3), wall < SecondsTarget, $"< {SecondsTarget}"),
            new("peak_memory_mb", Math.Round(peakMb, 1), peakMb < MemoryTargetMb, $"< {MemoryTargetMb}"),
            new("generate_seconds", Math.Round(generateSeconds, 3)),
            new("check_seconds", Math.Round(checkSeconds, 3)),
        ];
        output.WriteLine();
        BenchReport.WriteTable(figures, output);
        foreach (var violation in violations.Take(5)) output.WriteLine(violation);
        output.WriteLine("peak_memory_mb is the peak working set of the whole process (runtime, generated networks and placement).");
        if (jsonPath is not null)
        {
            BenchReport.WriteJson(figures, new Dictionary<string, string> { ["seed"] = seed.ToString(System.Globalization.CultureInfo.InvariantCulture) }, jsonPath);
            output.WriteLine($"Results written to {Path.GetFullPath(jsonPath)}.");
        }
        return figures.Any(f => f.TargetMet == false) ? 1 : 0;
    }

    // Networks of devices in CloudSim's four VM sizes with 128-512 MB of memory and a constant demand of 5-35 % of
    // their MIPS; the first two devices of each network are replicas of its gateway; the devices form a chain.
    private static List<SoftwareNetwork> Generate(int networks, int devicesPerNetwork, int seed)
    {
        var random = new Random(seed);
        var result = new List<SoftwareNetwork>(networks);
        for (var n = 0; n < networks; n++)
        {
            var devices = new Device[devicesPerNetwork];
            for (var d = 0; d < devicesPerNetwork; d++)
            {
                var (mips, _) = CloudSimPlanetLab.VmTypes[random.Next(CloudSimPlanetLab.VmTypes.Length)];
                devices[d] = new Device($"d{d}", mips, 128 * random.Next(1, 5), DemandTrace.Constant(Math.Round(0.05 + 0.3 * random.NextDouble(), 3)),
                    ReplicaGroup: d < 2 ? "gateway" : null);
            }
            var links = Enumerable.Range(1, devicesPerNetwork - 1).Select(d => new VirtualLink($"d{d - 1}", $"d{d}", 10, 100));
            result.Add(new SoftwareNetwork($"net{n}", devices, links));
        }
        return result;
    }
}
