using Softnet.DataPlane;
using Softnet.Devices.Gateway;
using Softnet.Wire;

namespace Softnet.Devices.Tests.Gateway;

/// <summary>Configuration mistakes are refused with an ArgumentException that says what is wrong.</summary>
public sealed class GatewayConfigurationTests
{
    private readonly SecureGateway _gateway = new("gw", new PacketPool(64), ["blue", "red", "green"]);

    public GatewayConfigurationTests()
    {
        _gateway.AddInterface("eth0");
        _gateway.AddInterface("eth1");
    }

    [Fact]
    public void A_gateway_joins_at_least_two_distinct_networks_with_a_sane_flow_table()
    {
        var pool = new PacketPool(64);
        Assert.Contains("at least two", Assert.Throws<ArgumentException>(() => new SecureGateway("g", pool, ["blue"])).Message);
        Assert.Contains("twice", Assert.Throws<ArgumentException>(() => new SecureGateway("g", pool, ["blue", "blue"])).Message);
        Assert.Contains("flow capacity", Assert.Throws<ArgumentException>(() => new SecureGateway("g", pool, ["a", "b"], new GatewayOptions { FlowCapacity = 0 })).Message);
        Assert.Contains("idle timeout", Assert.Throws<ArgumentException>(() => new SecureGateway("g", pool, ["a", "b"], new GatewayOptions { FlowIdleTimeout = TimeSpan.Zero })).Message);
        Assert.Equal("gateway", _gateway.Kind);
        Assert.Equal(["blue", "red", "green"], _gateway.Networks);
    }

    [Fact]
    public void Sides_name_known_ports_and_networks_once()
    {
        _gateway.AddSide("eth0", "blue");
        _gateway.AddSide("eth0", "blue");
        Assert.Contains("no port 'eth9'", Assert.Throws<ArgumentException>(() => _gateway.AddSide("eth9", "blue")).Message);
        Assert.Contains("joins no network 'purple' (it joins: blue, red, green)", Assert.Throws<ArgumentException>(() => _gateway.AddSide("eth1", "purple")).Message);
        Assert.Contains("already belongs to network 'blue'", Assert.Throws<ArgumentException>(() => _gateway.AddSide("eth0", "red")).Message);
        Assert.Equal("blue", _gateway.SideOf("eth0"));
        Assert.Null(_gateway.SideOf("eth1"));
    }

    [Fact]
    public void Rules_join_two_known_networks_with_one_family_and_ports_only_for_tcp_and_udp()
    {
        var v4 = (GatewayPrefix)Ipv4Prefix.Parse("10.0.0.0/8");
        var v6 = (GatewayPrefix)Ipv6Prefix.Parse("2001:db8::/32");
        Assert.Contains("joins no network 'purple'", Assert.Throws<ArgumentException>(() => _gateway.AddRule(new GatewayRule("blue", "purple", v4, v4))).Message);
        Assert.Contains("two different networks", Assert.Throws<ArgumentException>(() => _gateway.AddRule(new GatewayRule("red", "red", v4, v4))).Message);
        Assert.Contains("different address families", Assert.Throws<ArgumentException>(() => _gateway.AddRule(new GatewayRule("blue", "red", v4, v6))).Message);
        Assert.Contains("only to TCP and UDP", Assert.Throws<ArgumentException>(() => _gateway.AddRule(new GatewayRule("blue", "red", v4, v4, GatewayProtocol.Icmp, PortRange.Single(1)))).Message);
        Assert.Contains("is empty", Assert.Throws<ArgumentException>(() => _gateway.AddRule(new GatewayRule("blue", "red", v4, v4, GatewayProtocol.Tcp, new PortRange(90, 80)))).Message);
        Assert.Empty(_gateway.Rules);

        var rule = new GatewayRule("blue", "red", GatewayPrefix.Any, v6, GatewayProtocol.Udp, new PortRange(53, 54));
        Assert.Equal(0, _gateway.AddRule(rule));
        Assert.Equal([rule], _gateway.Rules);
        Assert.Equal("blue -> red: any -> 2001:db8::/32 udp port 53-54", rule.ToString());
        Assert.Throws<ArgumentOutOfRangeException>(() => _gateway.RuleHits(1));
    }

    [Fact]
    public void Nat_maps_prefixes_of_one_family_and_length_without_overlap()
    {
        var real = Ipv4Prefix.Parse("10.0.0.0/24");
        Assert.Contains("IPv4 or both IPv6", Assert.Throws<ArgumentException>(() => _gateway.AddNat(new GatewayNat("red", real, Ipv6Prefix.Parse("2001:db8::/120")))).Message);
        Assert.Contains("IPv4 or both IPv6", Assert.Throws<ArgumentException>(() => _gateway.AddNat(new GatewayNat("red", GatewayPrefix.Any, GatewayPrefix.Any))).Message);
        Assert.Contains("same length", Assert.Throws<ArgumentException>(() => _gateway.AddNat(new GatewayNat("red", real, Ipv4Prefix.Parse("10.1.0.0/16")))).Message);
        Assert.Contains("joins no network", Assert.Throws<ArgumentException>(() => _gateway.AddNat(new GatewayNat("purple", real, real))).Message);

        _gateway.AddNat(new GatewayNat("red", real, Ipv4Prefix.Parse("10.2.0.0/24")));
        Assert.Contains("real prefix overlaps", Assert.Throws<ArgumentException>(() => _gateway.AddNat(new GatewayNat("red", Ipv4Prefix.Parse("10.0.0.128/25"), Ipv4Prefix.Parse("10.3.0.0/25")))).Message);
        Assert.Contains("mapped prefix overlaps", Assert.Throws<ArgumentException>(() => _gateway.AddNat(new GatewayNat("red", Ipv4Prefix.Parse("10.5.0.0/24"), Ipv4Prefix.Parse("10.2.0.0/24")))).Message);
        // Another network may use the same real prefix: that is the point of the mapping.
        _gateway.AddNat(new GatewayNat("blue", real, Ipv4Prefix.Parse("10.1.0.0/24")));
        Assert.Equal(2, _gateway.Nats.Count);
    }

    [Fact]
    public void Rate_limits_need_two_networks_a_bucket_and_positive_numbers()
    {
        Assert.Contains("two different networks", Assert.Throws<ArgumentException>(() => _gateway.SetRateLimit(new GatewayRateLimit("red", "red", new GatewayRate(1, 1)))).Message);
        Assert.Contains("set packets, bits or both", Assert.Throws<ArgumentException>(() => _gateway.SetRateLimit(new GatewayRateLimit("blue", "red"))).Message);
        Assert.Contains("bits rate and burst must be positive", Assert.Throws<ArgumentException>(() => _gateway.SetRateLimit(new GatewayRateLimit("blue", "red", Bits: new GatewayRate(1000, 0)))).Message);
        Assert.Contains("joins no network", Assert.Throws<ArgumentException>(() => _gateway.SetRateLimit(new GatewayRateLimit("blue", "x", new GatewayRate(1, 1)))).Message);
        Assert.Empty(_gateway.RateLimits);

        _gateway.SetRateLimit(new GatewayRateLimit("green", "blue", new GatewayRate(10, 10)));
        Assert.Equal("rate-limited:green->blue", _gateway.Graph.Elements.Single(e => e.Name == "gateway-limit").DropReasons[4]);
    }

    [Fact]
    public void Gateway_prefixes_parse_and_format()
    {
        Assert.True(GatewayPrefix.Parse("any", null).IsAny);
        Assert.Equal((GatewayPrefix)Ipv4Prefix.Parse("10.0.0.0/8"), GatewayPrefix.Parse("10.0.0.0/8", null));
        Assert.Equal("2001:db8::/32", GatewayPrefix.Parse("2001:db8::/32", null).ToString());
        Assert.False(GatewayPrefix.TryParse("10.0.0.1/8", null, out _));
        Assert.Throws<FormatException>(() => GatewayPrefix.Parse("nothing", null));
        Assert.True(GatewayPrefix.Any.Overlaps(Ipv4Prefix.Parse("10.0.0.0/8")));
        Assert.False(((GatewayPrefix)Ipv4Prefix.Parse("10.0.0.0/8")).Overlaps(Ipv4Prefix.Parse("11.0.0.0/8")));
    }
}
