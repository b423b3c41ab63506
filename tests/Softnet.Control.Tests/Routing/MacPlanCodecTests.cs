using Google.Protobuf;
using Softnet.Control.Protos;
using Softnet.Control.Routing;
using Softnet.Hypervisor.Forwarding;
using Softnet.Wire;
using static Softnet.Control.Tests.Routing.Topologies;
using V1 = Softnet.Control.V1;

namespace Softnet.Control.Tests.Routing;

/// <summary>Switch plans on the wire: MAC entries in <c>DevicePlan.macs</c>.</summary>
public sealed class MacPlanCodecTests
{
    private static readonly NetworkPlan Plan = new("lan", [
        new DevicePlan("s1", [], []) { Macs = [new PlannedMac(1, MacAddress.Parse("02:00:00:00:00:01"), "eth1"), new PlannedMac(20, MacAddress.Parse("02:8f:3c:11:a0:00"), "eth3")] },
        new DevicePlan("r1", [], []),
    ]);

    [Fact]
    public void MacEntriesSurviveTheRoundTrip()
    {
        var bytes = PlanCodec.ToMessage(Plan).ToByteArray();
        var back = PlanCodec.ToPlan(V1.NetworkPlan.Parser.ParseFrom(bytes));

        Assert.Equal(Plan, back);
        Assert.Equal(Plan["s1"].Macs, back["s1"].Macs);
        var message = PlanCodec.ToMessage(Plan).Devices[0].Macs[1];
        Assert.Equal(20u, message.Vlan);
        Assert.Equal(new byte[] { 0x02, 0x8f, 0x3c, 0x11, 0xa0, 0x00 }, message.Mac.ToByteArray());
        Assert.Equal("eth3", message.Port);
        Assert.Empty(PlanCodec.ToMessage(Plan).Devices[1].Macs);
    }

    [Fact]
    public void APlannedNetworkWithSwitchesSurvivesTheRoundTrip()
    {
        var network = Parse(File.ReadAllText(Path.Combine(Root, "examples", "three-tenants.yaml")).Split("\n  - name: silver")[0]);
        var plan = ForwardingPlanner.Plan(network);

        Assert.NotEmpty(plan["s1"].Macs);
        Assert.Equal(plan, PlanCodec.ToPlan(V1.NetworkPlan.Parser.ParseFrom(PlanCodec.ToMessage(plan).ToByteArray())));
    }

    [Theory]
    [InlineData(0u, 6, "eth1", "a MAC entry has VLAN 0; expected 1-4094")]
    [InlineData(4095u, 6, "eth1", "a MAC entry has VLAN 4095; expected 1-4094")]
    [InlineData(1u, 4, "eth1", "a MAC address has 4 bytes; expected 6")]
    [InlineData(1u, 6, "", "a MAC entry has no port")]
    public void AMalformedMacEntryIsRefused(uint vlan, int length, string port, string problem)
    {
        var message = PlanCodec.ToMessage(Plan);
        message.Devices[0].Macs[0] = new V1.MacEntry { Vlan = vlan, Mac = ByteString.CopyFrom(new byte[length]), Port = port };

        Assert.Equal(problem, Assert.Throws<InvalidDataException>(() => PlanCodec.ToPlan(message)).Message);
    }
}
