namespace Softnet.Urbanization.Tests;

public sealed class InfrastructureTests
{
    private static Infrastructure Triangle() => new(
        [new Datacenter("a", Tier.Central), new Datacenter("b", Tier.Regional), new Datacenter("c", Tier.Local), new Datacenter("z", Tier.Femto)],
        [new Server("s1", ServerType.HpProLiantMl110G5, "a")],
        [new PhysicalLink("a", "b", 1000, 5), new PhysicalLink("b", "c", 1000, 7), new PhysicalLink("c", "a", 100, 20)]);

    [Fact]
    public void LatencyFollowsTheFastestPath()
    {
        var infrastructure = Triangle();
        Assert.Equal(12, infrastructure.LatencyMs("a", "c"));
        Assert.Equal(0, infrastructure.LatencyMs("b", "b"));
        Assert.Equal(["a-b", "b-c"], infrastructure.Path("a", "c").Select(l => $"{l.A}-{l.B}"));
        Assert.Equal(["b-c", "a-b"], infrastructure.Path("c", "a").Select(l => $"{l.A}-{l.B}"));
    }

    [Fact]
    public void UnconnectedSitesAreInfinitelyFar()
    {
        var infrastructure = Triangle();
        Assert.Equal(double.PositiveInfinity, infrastructure.LatencyMs("a", "z"));
        Assert.Empty(infrastructure.Path("a", "z"));
    }

    [Fact]
    public void InconsistentInfrastructureIsRejected()
    {
        Assert.Throws<ArgumentException>(() => new Infrastructure([new Datacenter("a", Tier.Central)], [new Server("s", ServerType.HpProLiantMl110G4, "nowhere")]));
        Assert.Throws<ArgumentException>(() => new Infrastructure([new Datacenter("a", Tier.Central), new Datacenter("a", Tier.Local)], []));
        Assert.Throws<ArgumentException>(() => new Infrastructure([new Datacenter("a", Tier.Central)], [], [new PhysicalLink("a", "b", 10, 1)]));
    }
}
