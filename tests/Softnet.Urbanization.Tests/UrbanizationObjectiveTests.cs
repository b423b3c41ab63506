namespace Softnet.Urbanization.Tests;

public sealed class UrbanizationObjectiveTests
{
    // Two G5 hosts costing 2 and 3 per hour; two replicas of 1330 MIPS share host 0 (utilization 0.5).
    private static DatacenterSnapshot Replicas()
    {
        var snapshot = new Snap().Host(Snap.G5).Vm(1330, replicaGroup: "g").Vm(1330, replicaGroup: "g").Host(Snap.G5).Build();
        return snapshot with { Hosts = [snapshot.Hosts[0] with { CostPerHour = 2 }, snapshot.Hosts[1] with { CostPerHour = 3 }] };
    }

    private static readonly UrbanizationWeights All = new(energy: 1, loadBalance: 1, cost: 1, resilience: 1, migrations: 1);

    [Fact]
    public void ScoresEachCriterion()
    {
        var score = UrbanizationObjective.Evaluate(All, Replicas());
        Assert.Equal(116.0 / 270, score.Energy, 12); // P(0.5) = 116 W, the idle host 0 W standby, over 2 × 135 W peak
        Assert.Equal(0, score.LoadBalance);
        Assert.Equal(2.0 / 5, score.Cost, 12);
        Assert.Equal(1, score.Resilience);
        Assert.Equal(0, score.Migrations);
        Assert.Equal(116.0 / 270 + 0.4 + 1, score.Total, 12);
    }

    [Fact]
    public void SplittingTheReplicasTradesEnergyAndCostForResilience()
    {
        var score = UrbanizationObjective.Evaluate(All, Replicas(), [new Migration(1, 1)]);
        Assert.Equal(2 * 103.0 / 270, score.Energy, 12); // two hosts at 0.25: 101 + 0.5 × (105 - 101)
        Assert.Equal(0, score.LoadBalance, 12);
        Assert.Equal(1, score.Cost, 12);
        Assert.Equal(0, score.Resilience);
        Assert.Equal(0.5, score.Migrations);
        Assert.Equal(206.0 / 270 + 1 + 0.5, score.Total, 12);
    }

    [Fact]
    public void LoadBalanceIsTheSpreadOfUtilizationOverActiveHosts()
    {
        var snapshot = new Snap().Host(Snap.G5).Vm(0.2 * 5320).Host(Snap.G5).Vm(0.6 * 5320).Build();
        var score = UrbanizationObjective.Evaluate(new UrbanizationWeights(energy: 0, loadBalance: 1), snapshot);
        Assert.Equal(0.2, score.LoadBalance, 12);
        Assert.Equal(0.2, score.Total, 12);
    }

    [Fact]
    public void WeightsMustBeNonNegative() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new UrbanizationWeights(energy: -1));
}
