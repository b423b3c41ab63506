namespace Softnet.Urbanization.Tests;

public sealed class EmbeddingDirectorTests
{
    // Core site: two G5 servers; edge site: one G4; one 100 Mbit/s, 10 ms link between the sites.
    private static readonly Infrastructure Sites = new(
        [new Datacenter("core", Tier.Central, 1), new Datacenter("edge", Tier.Local, 0.5)],
        [new Server("c1", ServerType.HpProLiantMl110G5, "core"), new Server("c2", ServerType.HpProLiantMl110G5, "core"), new Server("e1", ServerType.HpProLiantMl110G4, "edge")],
        [new PhysicalLink("core", "edge", 100, 10)]);

    // A firewall pinned at the edge (2000 MIPS peak) and two router replicas (500 MIPS peak each).
    private static SoftwareNetwork Vpn(string name = "vpn", double replicaLatencyMs = 15, double replicaMbps = 100) => new(name,
        [
            new Device("r1", 1000, 1000, new DemandTrace([0.2, 0.5], 300), ReplicaGroup: "routers"),
            new Device("r2", 1000, 1000, new DemandTrace([0.5, 0.4], 300), ReplicaGroup: "routers"),
            new Device("fw", 2000, 1000, DemandTrace.Constant(1), PinnedServer: "e1"),
        ],
        [new VirtualLink("r1", "r2", replicaMbps, replicaLatencyMs), new VirtualLink("r1", "fw", 60, 20)]);

    [Fact]
    public void AdmitsWithinCapacityLatencyBandwidthAndAntiAffinity()
    {
        // fw goes to its pinned e1. r1 then raises power least on e1 (already on). r2 may not join its replica on
        // e1; c1 and c2 tie (both off) and the first wins; its 100 Mbit/s to r1 fills the core-edge link.
        var decision = EmbeddingDirector.Admit(EmbeddingPolicy.EnergyFirst, Sites, InfrastructureLoad.Empty, Vpn());
        var accepted = Assert.IsType<EmbeddingDecision.Accepted>(decision);
        Assert.Equal("e1", accepted.Placement["fw"]);
        Assert.Equal("e1", accepted.Placement["r1"]);
        Assert.Equal("c1", accepted.Placement["r2"]);
        Assert.Equal(new ServerLoad(2500, 2000, 2), accepted.Load.Server("e1"));
        Assert.Equal(new ServerLoad(500, 1000, 1), accepted.Load.Server("c1"));
        Assert.Equal(100, accepted.Load.Link(0));
        var placement = accepted.Placement.ToDictionary(p => new DeviceRef("vpn", p.Key), p => p.Value);
        Assert.Empty(PlacementConstraints.Violations(Sites, [Vpn()], placement));
    }

    [Fact]
    public void RejectsWhenThePinnedServerIsFull()
    {
        var first = Assert.IsType<EmbeddingDecision.Accepted>(EmbeddingDirector.Admit(EmbeddingPolicy.EnergyFirst, Sites, InfrastructureLoad.Empty, Vpn()));
        var second = EmbeddingDirector.Admit(EmbeddingPolicy.EnergyFirst, Sites, first.Load, Vpn("vpn2"));
        Assert.Equal(new EmbeddingDecision.Rejected("fw", "no server has 2000 MIPS and 1000 MB free"), second);
    }

    [Fact]
    public void RejectsWhenNoReplicaPlacementMeetsTheLatencyBound()
    {
        var decision = EmbeddingDirector.Admit(EmbeddingPolicy.EnergyFirst, Sites, InfrastructureLoad.Empty, Vpn(replicaLatencyMs: 1));
        Assert.Equal(new EmbeddingDecision.Rejected("r2", "no server with room is within the latency bound of its linked devices"), decision);
    }

    [Fact]
    public void RejectsWhenThePathLacksBandwidth()
    {
        var decision = EmbeddingDirector.Admit(EmbeddingPolicy.EnergyFirst, Sites, InfrastructureLoad.Empty, Vpn(replicaMbps: 150));
        Assert.Equal(new EmbeddingDecision.Rejected("r2", "no server with room has a path with enough free bandwidth to its linked devices"), decision);
    }

    [Fact]
    public void ConstraintCheckReportsPinningAndAntiAffinity()
    {
        var placement = new Dictionary<DeviceRef, string>
        {
            [new("vpn", "r1")] = "e1",
            [new("vpn", "r2")] = "e1",
            [new("vpn", "fw")] = "c1",
        };
        Assert.Equal(
            ["vpn/fw is pinned to e1 but placed on c1.", "Replicas vpn/r1, vpn/r2 of group 'routers' share server e1."],
            PlacementConstraints.Violations(Sites, [Vpn()], placement));
    }

    [Fact]
    public void ConstraintCheckReportsLatencyAndLinkCapacity()
    {
        // r1 in the core, r2 and fw at the edge: r1-r2 (150 Mbit/s, 1 ms) and r1-fw (60 Mbit/s) both cross the link.
        var placement = new Dictionary<DeviceRef, string>
        {
            [new("vpn", "r1")] = "c1",
            [new("vpn", "r2")] = "e1",
            [new("vpn", "fw")] = "e1",
        };
        Assert.Equal(
            ["vpn/r1-r2: latency 10 ms exceeds 1 ms.", "Link core-edge: 210 Mbps exceeds 100."],
            PlacementConstraints.Violations(Sites, [Vpn(replicaLatencyMs: 1, replicaMbps: 150)], placement));
    }

    [Fact]
    public void ConstraintCheckReportsMissingDevicesAndOverfullServers()
    {
        var big = new SoftwareNetwork("big", [new Device("a", 2000, 3000, DemandTrace.Constant(1)), new Device("b", 2000, 3000, DemandTrace.Constant(1)), new Device("c", 10, 10, DemandTrace.Constant(0))]);
        var placement = new Dictionary<DeviceRef, string> { [new("big", "a")] = "e1", [new("big", "b")] = "e1" };
        Assert.Equal(
            ["big/c is not placed.", "Server e1: peak demand 4000 MIPS exceeds 3720.", "Server e1: 6000 MB of memory exceeds 4096."],
            PlacementConstraints.Violations(Sites, [big], placement));
    }
}
