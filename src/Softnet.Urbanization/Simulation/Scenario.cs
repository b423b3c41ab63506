using System.Collections.Immutable;

namespace Softnet.Urbanization;

/// <summary>What the simulator runs: the infrastructure and the devices (with their demand traces) to host on it.</summary>
public sealed record Scenario(Infrastructure Infrastructure, ImmutableArray<Device> Devices);

/// <summary>
/// Simulation parameters. The defaults reproduce CloudSim 3.0.3's PlanetLab experiments: 300 s steps over 24 h, the
/// first step 0.1 s after creation (CloudSim submits the workload 0.1 s after the VMs), devices whose demand falls
/// to exactly zero treated as finished and removed (CloudSim's PowerDatacenter does so), and memory and bandwidth
/// reserved only while a device is created (the PlanetLab cloudlets have a null RAM and bandwidth model).
/// </summary>
public sealed record SimulationSettings(
    int StepSeconds = 300,
    double DurationSeconds = 24 * 3600,
    double StartOffsetSeconds = 0.1,
    bool ZeroDemandEndsDevice = true,
    bool ReserveMemoryAndBandwidth = false)
{
    public static SimulationSettings CloudSim { get; } = new();
}

/// <summary>Reported after each step: <paramref name="Step"/> of <paramref name="Steps"/>, at simulated time <paramref name="Seconds"/>.</summary>
public readonly record struct SimulationProgress(int Step, int Steps, double Seconds);

/// <summary>The datacenter at one step: power drawn, servers on, devices hosted, migrations started, and the MIPS the hosted devices request.</summary>
public readonly record struct SimulationSample(double Seconds, double Watts, int ActiveServers, int Devices, int Migrations, double RequestedMips = 0);

/// <summary>
/// Outcome of one run. SLA metrics follow Beloglazov and Buyya (2012) as CloudSim's Helper computes them:
/// SLATAH is the share of active-host time during which a host delivered less than requested; PDM is the share of
/// requested MIPS lost to migrations; SLAV = SLATAH × PDM.
/// </summary>
public sealed record SimulationResult(
    string Policy,
    int Servers,
    int Devices,
    double EnergyKWh,
    int Migrations,
    double Slatah,
    double Pdm,
    double OverallSlaViolation,
    int FinishedDevices,
    ImmutableArray<SimulationSample> Samples)
{
    public double Slav => Slatah * Pdm;
}
