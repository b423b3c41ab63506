using Softnet.Urbanization;
using Spectre.Console;

namespace Softnet.Cli.Bench.Urbanization;

/// <summary>
/// <c>softnet bench urbanize</c>: Softnet's urbanizer (<see cref="PackingPolicy.Softnet"/>) and CloudSim's
/// LR-MMT-1.2 run by the same simulator on one day of PlanetLab traces in CloudSim's setup (800 hosts, one VM per
/// trace), against the energy lower bound. Writes the figures as JSON and a power plot (SVG) beside it.
/// </summary>
public static class UrbanizeBench
{
    private const double EnergyTarget = 1.15;
    private const double MigrationShareTarget = 0.25;

    /// <returns>0 when every target is met, 1 when one is missed, 2 when the traces cannot be loaded.</returns>
    public static int Run(string traceDirectory, string? jsonPath, TextWriter output)
    {
        Scenario scenario;
        try
        {
            scenario = CloudSimPlanetLab.Load(traceDirectory);
        }
        catch (Exception e) when (e is IOException or ArgumentException or FormatException)
        {
            output.WriteLine($"bench urbanize: {e.Message}");
            return 2;
        }
        output.WriteLine($"bench urbanize: {scenario.Devices.Length} VMs from {Path.GetFullPath(traceDirectory)} on {scenario.Infrastructure.Servers.Length} hosts; {PackingPolicy.Softnet.Name} against LR-MMT-1.2.");

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var softnet = PackingPolicy.Softnet;
        var baseline = ConsolidationPolicy.LrMmt(1.2);
        var result = WithProgress(output, report => UrbanizationComparison.Run(scenario, softnet, baseline, progress: report), baseline.Name, softnet.Name);
        var wall = clock.Elapsed.TotalSeconds;

        var s = result.Softnet;
        var lr = result.Baseline;
        var migrationShare = (double)s.Migrations / lr.Migrations;
        Figure[] figures =
        [
            new("softnet_kwh", Math.Round(s.EnergyKWh, 2)),
            new("softnet_migrations", s.Migrations, migrationShare <= MigrationShareTarget, $"<= {MigrationShareTarget} x lr_mmt_migrations"),
            new("softnet_slatah_pct", Math.Round(100 * s.Slatah, 3)),
            new("softnet_pdm_pct", Math.Round(100 * s.Pdm, 4)),
            new("softnet_slav", s.Slav, s.Slav <= lr.Slav, "<= lr_mmt_slav"),
            new("lr_mmt_kwh", Math.Round(lr.EnergyKWh, 2)),
            new("lr_mmt_migrations", lr.Migrations),
            new("lr_mmt_slatah_pct", Math.Round(100 * lr.Slatah, 3)),
            new("lr_mmt_pdm_pct", Math.Round(100 * lr.Pdm, 4)),
            new("lr_mmt_slav", lr.Slav),
            new("lower_bound_kwh", Math.Round(result.LowerBoundKWh, 2)),
            new("energy_vs_lower_bound", Math.Round(result.EnergyVsLowerBound, 4), result.EnergyVsLowerBound <= EnergyTarget, $"<= {EnergyTarget}"),
            new("served_lower_bound_kwh", Math.Round(result.ServedLowerBoundKWh, 2)),
            new("energy_vs_served_lower_bound", Math.Round(result.EnergyVsServedLowerBound, 4), result.EnergyVsServedLowerBound <= EnergyTarget, $"<= {EnergyTarget}"),
            new("lr_mmt_energy_vs_lower_bound", Math.Round(result.BaselineEnergyVsLowerBound, 4)),
            new("migrations_vs_lr_mmt", Math.Round(migrationShare, 4)),
            new("softnet_wall_seconds", Math.Round(result.SoftnetWall.TotalSeconds, 3)),
            new("lr_mmt_wall_seconds", Math.Round(result.BaselineWall.TotalSeconds, 3)),
            new("wall_seconds", Math.Round(wall, 3)),
        ];
        output.WriteLine();
        BenchReport.WriteTable(figures, output);
        output.WriteLine("served_lower_bound_kwh counts only the demand the simulation served: like CloudSim, it finishes a VM once its demand falls to zero.");
        if (jsonPath is not null)
        {
            var facts = new Dictionary<string, string>
            {
                ["trace"] = Path.GetFullPath(traceDirectory),
                ["softnet_policy"] = Describe(softnet),
                ["baseline_policy"] = baseline.Name,
            };
            BenchReport.WriteJson(figures, facts, jsonPath);
            var svg = Path.ChangeExtension(jsonPath, ".svg");
            PowerPlot.WriteSvg([lr, s], svg);
            output.WriteLine($"Results written to {Path.GetFullPath(jsonPath)}, plot to {Path.GetFullPath(svg)}.");
        }
        return figures.Any(f => f.TargetMet == false) ? 1 : 0;
    }

    // A live bar per run on a terminal; one line per finished run otherwise (CI logs, pipes).
    internal static T WithProgress<T>(TextWriter output, Func<Action<string, SimulationProgress>, T> run, params string[] names)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            return run((name, p) =>
            {
                if (p.Step == p.Steps) output.WriteLine($"  {name}: {p.Steps} of {p.Steps} done.");
            });
        }
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                var tasks = names.ToDictionary(n => n, n => context.AddTask(n));
                result = run((name, p) =>
                {
                    var task = tasks[name];
                    task.MaxValue = p.Steps;
                    task.Value = p.Step;
                });
                foreach (var task in tasks.Values) task.Value = task.MaxValue;
            });
        return result;
    }

    private static string Describe(PackingPolicy p) => FormattableString.Invariant(
        $"{p.Name}: current demand + {p.Headroom} sd of change over {p.Window} samples; shed above {p.HighUtilization}, pack to {p.TargetUtilization}, empty below {p.LowUtilization}");
}
