using Google.Protobuf;
using Softnet.Control.Protos;
using Softnet.Hypervisor.Forwarding;
using Softnet.Hypervisor.Topology;
using Softnet.Wire;
using static Softnet.Control.Tests.Routing.Topologies;
using V1 = Softnet.Control.V1;

namespace Softnet.Control.Tests.Controller;

public sealed class PlanCodecTests
{
    private static readonly NetworkPlan Plan = new("lab", [
        new DevicePlan("r1",
            [
                new PlannedRoute(Prefix("0.0.0.0/0"), [new PlannedNextHop("eth0", Address("10.0.0.2"), null)], RouteOrigin.Static),
                new PlannedRoute(Prefix("10.0.3.0/24"),
                    [new PlannedNextHop("eth1", Address("10.0.1.2"), new MplsLabel(1000)), new PlannedNextHop("eth2", Address("10.0.2.2"), new MplsLabel(1001))],
                    RouteOrigin.Computed),
                new PlannedRoute(Prefix("2001:db8:3::/48"), [new PlannedNextHop("eth1", Address("fe80::1"), null)], RouteOrigin.Computed),
            ],
            [
                new PlannedLabel(new MplsLabel(16), LabelAction.Lookup, null, null, null, RouteOrigin.Static),
                new PlannedLabel(new MplsLabel(1000), LabelAction.Swap, new MplsLabel(1002), Address("10.0.1.2"), "eth1", RouteOrigin.Computed),
                new PlannedLabel(new MplsLabel(1001), LabelAction.Pop, null, Address("2001:db8::2"), "eth2", RouteOrigin.Computed),
            ]),
        new DevicePlan("r2", [], []),
    ]);

    [Fact]
    public void APlanSurvivesTheWireExactly()
    {
        var bytes = PlanCodec.ToMessage(Plan).ToByteArray();

        var back = PlanCodec.ToPlan(V1.NetworkPlan.Parser.ParseFrom(bytes));

        Assert.Equal(Plan, back);
        Assert.Equal(Plan.Devices.SelectMany(d => d.Routes).Select(r => r.ToString()), back.Devices.SelectMany(d => d.Routes).Select(r => r.ToString()));
        Assert.Equal(Plan.Devices.SelectMany(d => d.Labels).Select(l => l.ToString()), back.Devices.SelectMany(d => d.Labels).Select(l => l.ToString()));
    }

    [Fact]
    public void AddressesTravelAsTheirBytesInNetworkOrder()
    {
        var route = PlanCodec.ToMessage(Plan).Devices[0].Routes[1];

        Assert.Equal([10, 0, 3, 0], route.Prefix.Address.ToByteArray());
        Assert.Equal(24U, route.Prefix.Length);
        Assert.Equal([10, 0, 1, 2], route.NextHops[0].Via.ToByteArray());
        Assert.Equal(1000U, route.NextHops[0].Push);
    }

    [Theory]
    [InlineData("address", "an address has 3 bytes; expected 4 or 16")]
    [InlineData("host bits", "10.0.3.1/24 is not a prefix (a length beyond the address, or host bits set)")]
    [InlineData("label", "label 1048576 exceeds 1048575")]
    [InlineData("origin", "unknown route origin Unspecified")]
    [InlineData("no next hop", "route 10.0.3.0/24 has no next hop")]
    public void AMessageThisCodecDoesNotWriteIsRefused(string fault, string expected)
    {
        var message = PlanCodec.ToMessage(Plan);
        var route = message.Devices[0].Routes[1];
        switch (fault)
        {
            case "address": route.NextHops[0].Via = ByteString.CopyFrom(10, 0, 1); break;
            case "host bits": route.Prefix.Address = ByteString.CopyFrom(10, 0, 3, 1); break;
            case "label": route.NextHops[0].Push = MplsLabel.MaxValue + 1; break;
            case "origin": route.Origin = V1.Origin.Unspecified; break;
            case "no next hop": route.NextHops.Clear(); break;
        }

        var refused = Assert.Throws<InvalidDataException>(() => PlanCodec.ToPlan(message));

        Assert.Equal(expected, refused.Message);
    }
}
