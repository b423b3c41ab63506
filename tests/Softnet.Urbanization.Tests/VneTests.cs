namespace Softnet.Urbanization.Tests;

public sealed class VneDirectorTests
{
    private static readonly VneAlgorithm Greedy = new VneAlgorithm.GreedyShortestPath();
    private static readonly VneAlgorithm Softnet = new VneAlgorithm.Coordinated();

    private static NetworkRequest Pair(string name = "r", double arrival = 0, double lifetime = 10, double cpu = 10, double bandwidth = 20) =>
        new(name, arrival, lifetime, [new("v0", cpu), new("v1", cpu)], [new("v0", "v1", bandwidth)]);

    [Fact]
    public void GreedyPutsNodesWhereResourcesAreGreatestAndLinksOnFewestHops()
    {
        // Resources (CPU × bandwidth of the node's links): a 100 × 150, b 50 × 110, c 80 × 60.
        var substrate = new Substrate(
            [new("a", 100), new("b", 50), new("c", 80)],
            [new("a", "b", 100), new("b", "c", 10), new("a", "c", 50)]);
        var embedding = VneDirector.Embed(Greedy, SubstrateResidual.Full(substrate), Pair(bandwidth: 20))!;
        Assert.Equal([0, 1], embedding.Nodes.ToArray());
        Assert.Equal([0], embedding.Paths[0].ToArray());
        Assert.Equal(40, embedding.Cost(Pair(bandwidth: 20)));
    }

    [Fact]
    public void GreedyRefusesWhatTheCoordinatedEmbeddingPlacesSideBySide()
    {
        // a and b are the richest nodes but joined only by a 10-unit link; d, next to a, has the CPU for v1.
        var substrate = new Substrate(
            [new("a", 100), new("b", 100), new("d", 50), new("e", 5)],
            [new("a", "b", 10), new("a", "d", 100), new("b", "e", 100)]);
        var residual = SubstrateResidual.Full(substrate);
        Assert.Null(VneDirector.Embed(Greedy, residual, Pair()));
        var embedding = VneDirector.Embed(Softnet, residual, Pair())!;
        Assert.Equal([0, 2], embedding.Nodes.ToArray());
        Assert.Equal([1], embedding.Paths[0].ToArray());
    }

    [Fact]
    public void CoordinatedEmbeddingKeepsTheCheapestOfItsAnchors()
    {
        // Greedy sends v1 to b, two hops from a (the direct a-b link is too thin); the coordinated embedding puts the
        // two nodes on neighbours: one hop, cost 20 + 20.
        var substrate = new Substrate(
            [new("a", 100), new("b", 100), new("c", 30)],
            [new("a", "c", 100), new("c", "b", 100), new("a", "b", 5)]);
        var residual = SubstrateResidual.Full(substrate);
        var greedy = VneDirector.Embed(Greedy, residual, Pair())!;
        Assert.Equal([0, 1], greedy.Nodes.ToArray());
        Assert.Equal(2, greedy.Paths[0].Length);
        var softnet = VneDirector.Embed(Softnet, residual, Pair())!;
        Assert.Single(softnet.Paths[0]);
        Assert.Equal(40, softnet.Cost(Pair()));
    }

    [Fact]
    public void GlobalResourceCapacityRanksTheHubFirstAndSumsToOne()
    {
        var substrate = new Substrate(
            [new("hub", 50), new("x", 50), new("y", 50), new("z", 50)],
            [new("hub", "x", 100), new("hub", "y", 100), new("hub", "z", 100)]);
        var rank = VneDirector.GlobalResourceCapacity(substrate, SubstrateResidual.Full(substrate), 0.85);
        Assert.Equal(1, rank.Sum(), 9);
        Assert.All(rank.Skip(1), r => Assert.True(rank[0] > r));
        Assert.Equal(rank[1], rank[3], 12);
    }

    [Fact]
    public void NodesOfOneRequestNeverShareASubstrateNode()
    {
        var substrate = new Substrate([new("a", 100)], []);
        Assert.Null(VneDirector.Embed(Greedy, SubstrateResidual.Full(substrate), Pair(cpu: 1, bandwidth: 0)));
        Assert.Null(VneDirector.Embed(Softnet, SubstrateResidual.Full(substrate), Pair(cpu: 1, bandwidth: 0)));
    }
}

public sealed class VneSimulatorTests
{
    [Fact]
    public void DeparturesReleaseResourcesBeforeLaterArrivals()
    {
        // Two 10-CPU nodes: r0 fills them until t = 10; r1 (t = 5) is refused; r2 arrives as r0 leaves and fits.
        var substrate = new Substrate([new("a", 10), new("b", 10)], [new("a", "b", 100)]);
        NetworkRequest Request(string name, double arrival) => new(name, arrival, 10, [new("v0", 10), new("v1", 10)], [new("v0", "v1", 30)]);
        var scenario = new VneScenario(substrate, [Request("r0", 0), Request("r1", 5), Request("r2", 10)]);
        foreach (var algorithm in new VneAlgorithm[] { new VneAlgorithm.GreedyShortestPath(), new VneAlgorithm.Coordinated() })
        {
            var result = VneSimulator.Run(scenario, algorithm);
            Assert.Equal(3, result.Requests);
            Assert.Equal(2, result.Accepted);
            Assert.Equal(2.0 / 3, result.AcceptanceRatio, 12);
            Assert.Equal(2 * 50 * 10, result.Revenue);
            Assert.Equal(1, result.RevenueToCost);
        }
    }

    [Fact]
    public void SoftnetMeetsItsTargetsWhereGreedyFallsShort()
    {
        // The bench's workloads over 20,000 time units instead of 50,000 (the test budget); the figures at full length
        // are in the bench report.
        var normal = VneScenario.Generate(VneWorkload.Normal with { Horizon = 20_000 }, 1);
        var stress = VneScenario.Generate(VneWorkload.Stress with { Horizon = 20_000 }, 1);
        var softnet = new VneAlgorithm.Coordinated();
        var greedy = new VneAlgorithm.GreedyShortestPath();
        var s = VneSimulator.Run(normal, softnet);
        var g = VneSimulator.Run(normal, greedy);
        var ss = VneSimulator.Run(stress, softnet);
        var gs = VneSimulator.Run(stress, greedy);
        Assert.InRange(s.AcceptanceRatio, 0.95, 1);
        Assert.InRange(ss.AcceptanceRatio, 0.70, 1);
        Assert.InRange(s.RevenueToCost, 0.40, 1);
        Assert.InRange(ss.RevenueToCost, 0.40, 1);
        Assert.True(g.AcceptanceRatio < s.AcceptanceRatio && gs.AcceptanceRatio < ss.AcceptanceRatio);
        Assert.True(g.RevenueToCost < s.RevenueToCost);
    }
}

public sealed class VneScenarioTests
{
    [Fact]
    public void GenerationFollowsTheWorkload()
    {
        var w = VneWorkload.Normal;
        var scenario = VneScenario.Generate(w, 7);
        Assert.Equal(100, scenario.Substrate.Nodes.Length);
        Assert.All(scenario.Substrate.Nodes, n => Assert.InRange(n.Cpu, 50, 100));
        Assert.All(scenario.Substrate.Links, l => Assert.InRange(l.Bandwidth, 50, 100));
        Assert.True(IsConnected(scenario.Substrate.Nodes.Length, scenario.Substrate.Ends));
        // Poisson arrivals at 4.5 per 100 over 50,000: 2250 expected, standard deviation 47.
        Assert.InRange(scenario.Requests.Length, 2250 - 200, 2250 + 200);
        Assert.InRange(scenario.Requests.Average(r => r.Lifetime), 900, 1100);
        Assert.All(scenario.Requests, r =>
        {
            Assert.InRange(r.Nodes.Length, 2, 10);
            Assert.All(r.Nodes, n => Assert.InRange(n.Cpu, 0, 20));
            Assert.All(r.Links, l => Assert.InRange(l.Bandwidth, 0, 50));
            Assert.True(IsConnected(r.Nodes.Length, r.Ends));
        });
        Assert.Equal(scenario.Requests.Select(r => r.Arrival), scenario.Requests.Select(r => r.Arrival).Order());
        Assert.Equal(scenario.Requests.ToArray(), VneScenario.Generate(w, 7).Requests.ToArray());
    }

    [Fact]
    public void ScenarioFilesRoundTrip()
    {
        var scenario = VneScenario.Generate(VneWorkload.Normal with { SubstrateNodes = 10, Horizon = 2000 }, 3);
        var path = Path.Combine(Path.GetTempPath(), $"vne-{Guid.NewGuid():N}.json");
        try
        {
            scenario.Save(path);
            var loaded = VneScenario.Load(path);
            Assert.Equal(scenario.Substrate.Nodes.ToArray(), loaded.Substrate.Nodes.ToArray());
            Assert.Equal(scenario.Substrate.Links.ToArray(), loaded.Substrate.Links.ToArray());
            Assert.Equal(scenario.Requests.ToArray(), loaded.Requests.ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TheDocumentedExampleLoads()
    {
        const string Example = """
            {
              "substrate": {
                "nodes": [ { "name": "s0", "cpu": 80, "x": 10, "y": 20 }, { "name": "s1", "cpu": 60 } ],
                "links": [ { "a": "s0", "b": "s1", "bandwidth": 90 } ]
              },
              "requests": [
                { "name": "r0", "arrival": 12.5, "lifetime": 800,
                  "nodes": [ { "name": "v0", "cpu": 10 }, { "name": "v1", "cpu": 5 } ],
                  "links": [ { "a": "v0", "b": "v1", "bandwidth": 25 } ] }
              ]
            }
            """;
        var path = Path.Combine(Path.GetTempPath(), $"vne-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, Example);
            var scenario = VneScenario.Load(path);
            Assert.Equal(new SubstrateNode("s0", 80, 10, 20), scenario.Substrate.Nodes[0]);
            Assert.Equal(new SubstrateLink("s0", "s1", 90), scenario.Substrate.Links[0]);
            var request = Assert.Single(scenario.Requests);
            Assert.Equal(40, request.Revenue);
            Assert.Equal(1, VneSimulator.Run(scenario, new VneAlgorithm.Coordinated()).Accepted);
            File.WriteAllText(path, Example.Replace("\"b\": \"v1\"", "\"b\": \"v9\""));
            Assert.Throws<ArgumentException>(() => VneScenario.Load(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static bool IsConnected(int n, IReadOnlyList<(int A, int B)> edges)
    {
        var seen = new bool[n];
        var stack = new Stack<int>([0]);
        seen[0] = true;
        while (stack.TryPop(out var node))
        {
            foreach (var (a, b) in edges)
            {
                var next = a == node ? b : b == node ? a : -1;
                if (next >= 0 && !seen[next])
                {
                    seen[next] = true;
                    stack.Push(next);
                }
            }
        }
        return seen.All(s => s);
    }
}
