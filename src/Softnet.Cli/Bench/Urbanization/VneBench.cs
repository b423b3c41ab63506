using Softnet.Urbanization;

namespace Softnet.Cli.Bench.Urbanization;

/// <summary>
/// <c>softnet bench vne</c>: online virtual network embedding, Softnet's coordinated algorithm against the greedy
/// baseline on the same substrate and request stream, at normal load and under stress; or on one scenario file.
/// </summary>
public static class VneBench
{
    private const double NormalTarget = 0.95, StressTarget = 0.70, RevenueCostTarget = 0.40;

    /// <returns>0 when every target is met, 1 when one is missed, 2 when the scenario file cannot be read.</returns>
    public static int Run(int seed, string? inputPath, string? savePath, string? jsonPath, TextWriter output)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var figures = new List<Figure>();
        var facts = new Dictionary<string, string>();
        if (inputPath is not null)
        {
            VneScenario scenario;
            try
            {
                scenario = VneScenario.Load(inputPath);
            }
            catch (Exception e) when (e is IOException or ArgumentException or FormatException or System.Text.Json.JsonException)
            {
                output.WriteLine($"bench vne: {inputPath}: {e.Message}");
                return 2;
            }
            facts["input"] = Path.GetFullPath(inputPath);
            figures.AddRange(Measure(scenario, "", NormalTarget, output));
        }
        else
        {
            facts["seed"] = seed.ToString(System.Globalization.CultureInfo.InvariantCulture);
            foreach (var (workload, suffix, target) in new[] { (VneWorkload.Normal, "", NormalTarget), (VneWorkload.Stress, "_stress", StressTarget) })
            {
                var scenario = VneScenario.Generate(workload, seed);
                if (savePath is not null)
                {
                    var path = suffix.Length == 0 ? savePath : Path.ChangeExtension(savePath, null) + suffix + Path.GetExtension(savePath);
                    scenario.Save(path);
                    output.WriteLine($"Scenario written to {Path.GetFullPath(path)}.");
                }
                figures.AddRange(Measure(scenario, suffix, target, output));
            }
        }
        figures.Add(new("wall_seconds", Math.Round(clock.Elapsed.TotalSeconds, 3)));
        output.WriteLine();
        BenchReport.WriteTable(figures, output);
        if (jsonPath is not null)
        {
            BenchReport.WriteJson(figures, facts, jsonPath);
            output.WriteLine($"Results written to {Path.GetFullPath(jsonPath)}.");
        }
        return figures.Any(f => f.TargetMet == false) ? 1 : 0;
    }

    private static IEnumerable<Figure> Measure(VneScenario scenario, string suffix, double acceptanceTarget, TextWriter output)
    {
        output.WriteLine($"bench vne{suffix}: {scenario.Substrate.Nodes.Length} substrate nodes, {scenario.Substrate.Links.Length} links, {scenario.Requests.Length} requests.");
        VneAlgorithm greedyAlgorithm = new VneAlgorithm.GreedyShortestPath(), softnetAlgorithm = new VneAlgorithm.Coordinated();
        var (greedy, softnet) = UrbanizeBench.WithProgress(output, report =>
        {
            var g = VneSimulator.Run(scenario, greedyAlgorithm, (i, n) => report(greedyAlgorithm.Name, new SimulationProgress(i, n, i)));
            var s = VneSimulator.Run(scenario, softnetAlgorithm, (i, n) => report(softnetAlgorithm.Name, new SimulationProgress(i, n, i)));
            return (g, s);
        }, greedyAlgorithm.Name, softnetAlgorithm.Name);
        return
        [
            new($"softnet_acceptance{suffix}", Math.Round(softnet.AcceptanceRatio, 4), softnet.AcceptanceRatio >= acceptanceTarget, $">= {acceptanceTarget}"),
            new($"softnet_revenue_cost{suffix}", Math.Round(softnet.RevenueToCost, 4), softnet.RevenueToCost >= RevenueCostTarget, $">= {RevenueCostTarget}"),
            new($"greedy_acceptance{suffix}", Math.Round(greedy.AcceptanceRatio, 4)),
            new($"greedy_revenue_cost{suffix}", Math.Round(greedy.RevenueToCost, 4)),
            new($"requests{suffix}", scenario.Requests.Length),
        ];
    }
}
