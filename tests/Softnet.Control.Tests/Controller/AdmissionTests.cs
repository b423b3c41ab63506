using Softnet.Control.Controller;
using Softnet.Control.Tests.Routing;

namespace Softnet.Control.Tests.Controller;

public sealed class AdmissionTests
{
    private static readonly Hypervisor.Topology.SoftwareNetwork Lab = Topologies.Parse(Files.Lab());

    [Fact]
    public void AdmitsWhatFits()
    {
        var decision = AdmissionDirector.Decide(new AdmissionPolicy(), NodeCapacity.Default, [Lab with { Name = "a" }], Lab);

        Assert.True(decision.Admitted);
    }

    [Fact]
    public void RefusesTokensBeyondTheBudget()
    {
        var decision = AdmissionDirector.Decide(new AdmissionPolicy(TokenBudget: 19), NodeCapacity.Default, [Lab with { Name = "a" }], Lab with { Name = "user-bob" });

        Assert.Equal(AdmissionResource.Tokens, decision.Refused);
        Assert.Equal("not enough tokens: user-bob asks for 10 base tokens, the node's networks hold 10 of its budget of 19", decision.Reason);
    }

    [Fact]
    public void RefusesDevicesBeyondWhatTheWorkersRun()
    {
        var decision = AdmissionDirector.Decide(new AdmissionPolicy(DevicesPerWorker: 1), NodeCapacity.Default with { Workers = 1 }, [Lab with { Name = "a" }], Lab with { Name = "user-bob" });

        Assert.Equal(AdmissionResource.Cores, decision.Refused);
        Assert.Equal("not enough cores: user-bob's 1 devices would make 2 on 1 worker(s), at most 1 per worker", decision.Reason);
    }

    [Fact]
    public void RefusesRingsBeyondThePacketBuffers()
    {
        // Two host links of four rings each: 8 rings of 128 buffers, 1024 per network.
        var capacity = new NodeCapacity(1, 2000, 2048);

        var decision = AdmissionDirector.Decide(new AdmissionPolicy(), capacity, [Lab with { Name = "a" }], Lab with { Name = "user-bob" });

        Assert.Equal(AdmissionResource.Memory, decision.Refused);
        Assert.Equal("not enough memory: user-bob's rings need 1024 packet buffers (2 MiB), the node's networks hold 1024 of its 2000 (3.9 MiB)", decision.Reason);
    }

    [Fact]
    public void TheLeastCapacityOfTheNodesCounts()
    {
        Assert.Equal(new NodeCapacity(2, 1000, 2048), NodeCapacity.Least([new NodeCapacity(4, 1000, 4096), new NodeCapacity(2, 5000, 2048)]));
    }
}
