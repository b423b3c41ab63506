using System.Collections.Immutable;

namespace Softnet.Urbanization;

/// <summary>
/// The setup of CloudSim 3.0.3's PlanetLab power experiments (examples/power/Constants.java, planetlab/*): 800
/// hosts alternating HP ProLiant ML110 G4 and G5, one VM per trace in trace order, VM i of type
/// ⌊i / ⌈n/4⌉⌋ among four sizes.
/// </summary>
public static class CloudSimPlanetLab
{
    public const int HostCount = 800;

    /// <summary>The four VM sizes, by type: MIPS (one core) and memory.</summary>
    public static ImmutableArray<(double Mips, int MemoryMb)> VmTypes { get; } = [(2500, 870), (2000, 1740), (1000, 1740), (500, 613)];

    /// <summary>Bandwidth of every VM: 100 Mbit/s, a tenth of a host's.</summary>
    public const double VmBandwidthMbps = 100;

    /// <summary><paramref name="count"/> hosts named host-0, host-1, ...; host i is a G4 when i is even, a G5 when odd.</summary>
    public static Infrastructure Hosts(int count = HostCount) => Infrastructure.SingleSite(
        Enumerable.Range(0, count).Select(i => new Server($"host-{i}", i % 2 == 0 ? ServerType.HpProLiantMl110G4 : ServerType.HpProLiantMl110G5, "dc0")));

    /// <summary>One VM per trace, named after it; VM i is of type ⌊i / ⌈n/4⌉⌋.</summary>
    public static ImmutableArray<Device> Vms(IReadOnlyList<PlanetLabTrace> traces)
    {
        var perType = (int)Math.Ceiling((double)traces.Count / VmTypes.Length);
        return [.. traces.Select((trace, i) =>
        {
            var (mips, memory) = VmTypes[i / perType];
            return new Device(trace.Name, mips, memory, trace.Cpu, VmBandwidthMbps);
        })];
    }

    public static Scenario Scenario(IReadOnlyList<PlanetLabTrace> traces, int hosts = HostCount) => new(Hosts(hosts), Vms(traces));

    /// <summary>Loads a directory of PlanetLab traces into the reference scenario.</summary>
    public static Scenario Load(string directory, int hosts = HostCount) => Scenario(PlanetLabTrace.Load(directory), hosts);
}
