using Softnet.Control.Controller;
using Softnet.Hypervisor.Forwarding;
using static Softnet.Control.Tests.Routing.Topologies;

namespace Softnet.Control.Tests.Controller;

/// <summary>
/// The controller keeps the plan of a network whose text did not change, unless a gateway that joins it changed: the
/// routes a network has towards a gateway come from the gateway's routes on its other sides.
/// </summary>
public sealed class GatewayReplanTests : IAsyncLifetime
{
    private RunningController _controller = null!;

    public async Task InitializeAsync() => _controller = await RunningController.StartAsync();

    public async Task DisposeAsync() => await _controller.DisposeAsync();

    [Fact]
    public async Task AChangeToAGatewayAloneReplansTheNetworksItJoins()
    {
        var service = _controller.Service;
        var yaml = File.ReadAllText(Path.Combine(Root, "examples", "gateway-planned.yaml"));
        await service.ApplyAsync(yaml, "gateway-planned.yaml", dryRun: false, default);
        var before = service.State;
        Assert.Equal(["172.16.2.0/24"], ToGateway(before.Plans["red"]));

        // Blue's side of the gateway now also routes 172.16.3.0/24: red's text is unchanged, but red may now reach it.
        const string blueRoute = "          - prefix: 172.16.2.0/24\n            via: 192.168.200.1\n";
        Assert.Contains(blueRoute, yaml);
        var changed = yaml.Replace(blueRoute, blueRoute + "          - prefix: 172.16.3.0/24\n            via: 192.168.200.1\n", StringComparison.Ordinal);
        await service.ApplyAsync(changed, "gateway-planned.yaml", dryRun: false, default);

        var after = service.State;
        Assert.True(after.Version > before.Version);
        Assert.Equal(["172.16.2.0/24", "172.16.3.0/24"], ToGateway(after.Plans["red"]));
        Assert.Equal(before.Plans["blue"], after.Plans["blue"]);
    }

    /// <summary>The prefixes r1 routes through its port facing the gateway (eth2).</summary>
    private static string[] ToGateway(NetworkPlan plan) =>
        [.. plan["r1"].Routes.Where(r => r.NextHops.Any(h => h.Port == "eth2")).Select(r => r.Prefix.ToString()).Order(StringComparer.Ordinal)];
}
