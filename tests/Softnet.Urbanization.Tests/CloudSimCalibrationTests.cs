namespace Softnet.Urbanization.Tests;

/// <summary>
/// The CloudSim baseline re-implemented in the simulator against CloudSim 3.0.3 itself, run on the same PlanetLab
/// days with the trace files in ordinal name order. The requirement is 5 %; the re-implementation follows CloudSim
/// event for event, so the migration counts are asserted exactly too.
/// </summary>
public sealed class CloudSimCalibrationTests
{
    [Theory]
    [InlineData("LR", "20110303", 163.5, 27_859)]
    [InlineData("LR", "20110306", 123.3, 20_878)]
    [InlineData("LR", "20110309", 142.1, 24_959)]
    [InlineData("THR", "20110303", 192.6, 26_711)]
    public void MatchesCloudSim(string policyName, string day, double cloudSimKWh, int cloudSimMigrations)
    {
        var policy = policyName == "LR" ? ConsolidationPolicy.LrMmt(1.2) : ConsolidationPolicy.ThrMmt(0.8);
        var result = Simulator.Run(CloudSimPlanetLab.Load(SharedData.PlanetLab(day)), policy);

        Assert.InRange(result.EnergyKWh, cloudSimKWh * 0.95, cloudSimKWh * 1.05);
        Assert.InRange(result.Migrations, cloudSimMigrations * 0.95, cloudSimMigrations * 1.05);
        Assert.Equal(cloudSimKWh, Math.Round(result.EnergyKWh, 1));
        Assert.Equal(cloudSimMigrations, result.Migrations);
        Assert.Equal(800, result.Servers);
        Assert.InRange(result.Slatah, 0.01, 0.2);
        Assert.InRange(result.Pdm, 1e-4, 1e-2);
    }
}

/// <summary>Finds the shared data folder: shared/data beside the repository (CI) or above the test's directory.</summary>
internal static class SharedData
{
    public static string PlanetLab(string day)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var candidate in (string[])[Path.Combine(dir.FullName, "shared", "data", "planetlab"), Path.Combine(dir.FullName, "..", "shared", "data", "planetlab")])
            {
                if (Directory.Exists(candidate)) return Path.GetFullPath(Path.Combine(candidate, day));
            }
        }
        throw new DirectoryNotFoundException($"No shared/data/planetlab found above {AppContext.BaseDirectory}; the repository expects shared/ beside it.");
    }
}
