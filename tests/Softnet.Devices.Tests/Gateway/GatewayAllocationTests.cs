using Softnet.DataPlane;
using Softnet.DataPlane.Ports;
using Softnet.Devices.Gateway;
using Softnet.Devices.Tests.Allocation;
using Softnet.Wire;
using static Softnet.Devices.Tests.Gateway.GatewayFrames;

namespace Softnet.Devices.Tests.Gateway;

/// <summary>
/// The gateway's data path allocates nothing: a million packets of 4,096 established flows each way (TCP and UDP over
/// IPv4, UDP over IPv6) through the policy, the rate limits and NAT, with the thread's allocation counter unchanged.
/// </summary>
public sealed class GatewayAllocationTests
{
    private const int Flows = 4096;

    [Fact]
    public void Forwarding_established_flows_with_nat_and_rate_limits_allocates_nothing()
    {
        var gateway = new SecureGateway("gw", new PacketPool(1024), ["blue", "red"]);
        gateway.AddInterface("eth0");
        gateway.AddInterface("eth1");
        gateway.AddAddress("eth0", "192.168.1.1/30");
        gateway.AddAddress("eth1", "192.168.2.1/30");
        gateway.AddAddress("eth0", "2001:db8:ffb::1/64");
        gateway.AddAddress("eth1", "2001:db8:ffe::1/64");
        gateway.AddStaticNeighbor("eth0", "192.168.1.2", GatewayRig.BlueRouterMac);
        gateway.AddStaticNeighbor("eth1", "192.168.2.2", GatewayRig.RedRouterMac);
        gateway.AddStaticNeighbor("eth0", "2001:db8:ffb::2", GatewayRig.BlueRouterMac);
        gateway.AddStaticNeighbor("eth1", "2001:db8:ffe::2", GatewayRig.RedRouterMac);
        gateway.AddSide("eth0", "blue");
        gateway.AddSide("eth1", "red");
        gateway.AddRoute(Ipv4Prefix.Parse("10.1.0.0/16"), ("eth0", Ipv4Address.Parse("192.168.1.2")));
        gateway.AddRoute(Ipv4Prefix.Parse("10.2.0.0/24"), ("eth1", Ipv4Address.Parse("192.168.2.2")));
        gateway.AddRoute(Ipv6Prefix.Parse("2001:db8:b::/48"), ("eth0", Ipv6Address.Parse("2001:db8:ffb::2")));
        gateway.AddRoute(Ipv6Prefix.Parse("2001:db8:e::/64"), ("eth1", Ipv6Address.Parse("2001:db8:ffe::2")));
        gateway.AddNat(new GatewayNat("red", Ipv4Prefix.Parse("10.0.0.0/24"), Ipv4Prefix.Parse("10.2.0.0/24")));
        gateway.AddNat(new GatewayNat("red", Ipv6Prefix.Parse("fd00::/64"), Ipv6Prefix.Parse("2001:db8:e::/64")));
        gateway.AddRule(new GatewayRule("blue", "red", GatewayPrefix.Any, GatewayPrefix.Any));
        foreach (var (from, to) in new[] { ("blue", "red"), ("red", "blue") })
        {
            gateway.SetRateLimit(new GatewayRateLimit(from, to, new GatewayRate(1_000_000_000, 1_000_000), new GatewayRate(1_000_000_000_000, 1_000_000_000)));
        }

        var blue = new FrameSource(gateway.Pool);
        var red = new FrameSource(gateway.Pool);
        var (eth0, eth1) = (gateway.Port("eth0").Mac, gateway.Port("eth1").Mac);
        var data = new byte[18];
        for (var k = 0; k < Flows; k++)
        {
            var (host, server, port) = ($"10.1.{k / 200}.{k % 200 + 1}", $"{k % 250 + 1}", (ushort)(10_000 + k));
            var (request, reply) = (k % 4) switch
            {
                1 => (Tcp4(host, $"10.2.0.{server}", port, 443, TcpFlags.Ack), Tcp4($"10.0.0.{server}", host, 443, port, TcpFlags.Ack)),
                3 => (Udp6($"2001:db8:b::{k:x}", $"2001:db8:e::{server}", port, 53, data), Udp6($"fd00::{server}", $"2001:db8:b::{k:x}", 53, port, data)),
                _ => (Udp4(host, $"10.2.0.{server}", port, 53, data), Udp4($"10.0.0.{server}", host, 53, port, data)),
            };
            blue.Add(request(eth0, GatewayRig.BlueRouterMac));
            red.Add(reply(eth1, GatewayRig.RedRouterMac));
        }
        // The rig alternates vectors of blue and red: each red vector answers the flows the blue one before it opened.
        var rig = new SteadyStateRig(gateway, (0, blue), (1, red));

        var (allocated, delivered) = rig.Measure(warmUp: 300_000, packets: 1_000_000);

        Assert.Equal(0, allocated);
        Assert.Equal(1_000_000, delivered);
        Assert.Equal(0, rig.Dropped);
        Assert.Equal(0, gateway.Pool.InUse);
        Assert.Equal(Flows, gateway.FlowCount);
        Assert.True(gateway.Graph.Elements.Single(e => e.Name == "gateway-ip6-nat").Counters.Emitted(GatewayTranslate6.Translated) > 0);
        Assert.True(gateway.Graph.Elements.Single(e => e.Name == "gateway-ip4-nat").Counters.Emitted(GatewayTranslate4.Translated) > 0);
    }
}
