using Softnet.Devices.Gateway;
using Softnet.Wire;
using static Softnet.Devices.Tests.Gateway.GatewayFrames;

namespace Softnet.Devices.Tests.Gateway;

/// <summary>
/// The policy without NAT: blue is 10.1.0.0/16, red 10.2.0.0/16, and one rule lets blue open TCP connections to port
/// 80 in red. Everything else is dropped and counted.
/// </summary>
public sealed class GatewayPolicyTests
{
    private readonly GatewayRig _rig = Rig();

    private static GatewayRig Rig(GatewayOptions? options = null)
    {
        var rig = new GatewayRig(options);
        rig.Route("10.1.0.0/16", "blue");
        rig.Route("10.2.0.0/16", "red");
        Assert.Equal(0, rig.Gateway.AddRule(new GatewayRule("blue", "red", Ipv4Prefix.Parse("10.1.0.0/16"), Ipv4Prefix.Parse("10.2.0.0/16"), GatewayProtocol.Tcp, PortRange.Single(80))));
        return rig;
    }

    [Fact]
    public void Allowed_tcp_crosses_and_its_reply_comes_back_byte_for_byte()
    {
        var syn = Tcp4("10.1.0.5", "10.2.0.7", 40000, 80);
        var (blue, red) = _rig.Exchange(_rig.Blue, _rig.FromBlue(syn));
        Assert.Empty(blue);
        Assert.Equal(_rig.ToRed(Tcp4("10.1.0.5", "10.2.0.7", 40000, 80, ttl: 63)), Assert.Single(red));

        var synAck = Tcp4("10.2.0.7", "10.1.0.5", 80, 40000, TcpFlags.Syn | TcpFlags.Ack);
        (blue, red) = _rig.Exchange(_rig.Red, _rig.FromRed(synAck));
        Assert.Empty(red);
        Assert.Equal(_rig.ToBlue(Tcp4("10.2.0.7", "10.1.0.5", 80, 40000, TcpFlags.Syn | TcpFlags.Ack, ttl: 63)), Assert.Single(blue));

        Assert.Equal(1, _rig.Counter("gateway-ip4", "allowed"));
        Assert.Equal(1, _rig.Counter("gateway-ip4", "allowed-established"));
        Assert.Equal(0, _rig.Gateway.Graph.Elements.Sum(e => e.Counters.TotalDropped));
        Assert.Equal(1, _rig.Gateway.RuleHits(0));
        Assert.Equal(1, _rig.Gateway.FlowCount);
    }

    [Fact]
    public void A_packet_matching_no_rule_is_dropped_and_counted()
    {
        var (blue, red) = _rig.Exchange(_rig.Blue, _rig.FromBlue(Udp4("10.1.0.5", "10.2.0.7", 5353, 53, [1, 2, 3])));

        Assert.Empty(blue);
        Assert.Empty(red);
        Assert.Equal(1, _rig.Counter("gateway-ip4", "denied-no-rule"));
        Assert.Equal(0, _rig.Counter("gateway-ip4", "allowed"));
        Assert.Equal(0, _rig.Gateway.RuleHits(0));
        Assert.Equal(0, _rig.Gateway.FlowCount);
        Assert.Equal(0, _rig.Gateway.Port("eth1").Counters.TxPackets);
    }

    [Fact]
    public void Traffic_in_the_wrong_direction_is_dropped()
    {
        // Red may not open a connection to blue, even to port 80, nor send what looks like a reply to a flow that does not exist.
        Assert.Empty(_rig.Exchange(_rig.Red, _rig.FromRed(Tcp4("10.2.0.7", "10.1.0.5", 40000, 80))).Blue);
        Assert.Empty(_rig.Exchange(_rig.Red, _rig.FromRed(Tcp4("10.2.0.7", "10.1.0.5", 80, 40000, TcpFlags.Syn | TcpFlags.Ack))).Blue);

        Assert.Equal(2, _rig.Counter("gateway-ip4", "denied-no-rule"));
        Assert.Equal(0, _rig.Gateway.FlowCount);
    }

    [Fact]
    public void The_wrong_port_protocol_or_source_is_dropped()
    {
        Assert.Empty(_rig.Exchange(_rig.Blue, _rig.FromBlue(Tcp4("10.1.0.5", "10.2.0.7", 40000, 81))).Red);
        Assert.Empty(_rig.Exchange(_rig.Blue, _rig.FromBlue(Udp4("10.1.0.5", "10.2.0.7", 40000, 80, [0]))).Red);
        _rig.Route("10.3.0.0/16", "blue");
        Assert.Empty(_rig.Exchange(_rig.Blue, _rig.FromBlue(Tcp4("10.3.0.5", "10.2.0.7", 40000, 80))).Red);

        Assert.Equal(3, _rig.Counter("gateway-ip4", "denied-no-rule"));
        Assert.Equal(0, _rig.Gateway.RuleHits(0));
    }

    [Fact]
    public void Replies_stop_crossing_once_the_flow_has_been_idle_for_the_timeout()
    {
        var rig = Rig(new GatewayOptions { FlowIdleTimeout = TimeSpan.FromSeconds(10) });
        Assert.Single(rig.Exchange(rig.Blue, rig.FromBlue(Tcp4("10.1.0.5", "10.2.0.7", 40000, 80))).Red);

        // Traffic within the timeout keeps the flow alive past it.
        for (var i = 0; i < 3; i++)
        {
            rig.Net.Elapse(TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(1));
            Assert.Single(rig.Exchange(rig.Red, rig.FromRed(Tcp4("10.2.0.7", "10.1.0.5", 80, 40000, TcpFlags.Ack))).Blue);
        }
        Assert.Equal(3, rig.Counter("gateway-ip4", "allowed-established"));

        rig.Net.Elapse(TimeSpan.FromSeconds(11), TimeSpan.FromSeconds(1));
        Assert.Equal(0, rig.Gateway.FlowCount);
        Assert.Empty(rig.Exchange(rig.Red, rig.FromRed(Tcp4("10.2.0.7", "10.1.0.5", 80, 40000, TcpFlags.Ack))).Blue);
        Assert.Equal(1, rig.Counter("gateway-ip4", "denied-no-rule"));
    }

    [Fact]
    public void An_echo_request_opens_a_flow_for_its_reply_only()
    {
        Assert.Equal(1, _rig.Gateway.AddRule(new GatewayRule("blue", "red", GatewayPrefix.Any, GatewayPrefix.Any, GatewayProtocol.Icmp)));

        Assert.Equal(_rig.ToRed(Echo4("10.1.0.5", "10.2.0.7", id: 7, ttl: 63)), Assert.Single(_rig.Exchange(_rig.Blue, _rig.FromBlue(Echo4("10.1.0.5", "10.2.0.7", id: 7))).Red));
        Assert.Equal(_rig.ToBlue(Echo4("10.2.0.7", "10.1.0.5", id: 7, reply: true, ttl: 63)),
            Assert.Single(_rig.Exchange(_rig.Red, _rig.FromRed(Echo4("10.2.0.7", "10.1.0.5", id: 7, reply: true))).Blue));

        // A reply with another identifier, and a request from red, match no flow and no rule.
        Assert.Empty(_rig.Exchange(_rig.Red, _rig.FromRed(Echo4("10.2.0.7", "10.1.0.5", id: 8, reply: true))).Blue);
        Assert.Empty(_rig.Exchange(_rig.Red, _rig.FromRed(Echo4("10.2.0.7", "10.1.0.5", id: 7))).Blue);
        Assert.Equal(2, _rig.Counter("gateway-ip4", "denied-no-rule"));
        Assert.Equal(1, _rig.Gateway.RuleHits(1));
    }

    [Fact]
    public void Rules_are_tried_in_order_and_count_their_hits()
    {
        Assert.Equal(1, _rig.Gateway.AddRule(new GatewayRule("blue", "red", GatewayPrefix.Any, Ipv4Prefix.Parse("10.2.0.0/24"), GatewayProtocol.Any, new PortRange(1, 1023))));

        _rig.Exchange(_rig.Blue, _rig.FromBlue(Tcp4("10.1.0.5", "10.2.0.7", 40000, 80)));
        _rig.Exchange(_rig.Blue, _rig.FromBlue(Tcp4("10.1.0.5", "10.2.0.7", 40001, 443)));
        _rig.Exchange(_rig.Blue, _rig.FromBlue(Udp4("10.1.0.5", "10.2.0.7", 40002, 53, [0])));
        _rig.Exchange(_rig.Blue, _rig.FromBlue(Udp4("10.1.0.5", "10.2.1.7", 40003, 53, [0])));

        Assert.Equal(1, _rig.Gateway.RuleHits(0));
        Assert.Equal(2, _rig.Gateway.RuleHits(1));
        Assert.Equal(3, _rig.Counter("gateway-ip4", "allowed"));
        Assert.Equal(1, _rig.Counter("gateway-ip4", "denied-no-rule"));
        Assert.Equal(3, _rig.Gateway.FlowCount);
    }

    [Fact]
    public void A_port_in_no_network_does_not_cross()
    {
        _rig.Gateway.AddInterface("eth2");
        _rig.Gateway.AddAddress("eth2", "192.168.3.1/24");
        var eth2 = _rig.Net.Probe(_rig.Gateway.Port("eth2"));
        var mac = MacAddress.Parse("02:00:00:00:0c:01");

        eth2.Send(Tcp4("10.1.0.5", "10.2.0.7", 40000, 80)(_rig.Gateway.Port("eth2").Mac, mac));
        _rig.Net.Run();

        Assert.Empty(_rig.Red.Received());
        Assert.Equal(1, _rig.Counter("gateway-ip4", "no-side"));
        Assert.Null(_rig.Gateway.SideOf("eth2"));
        Assert.Equal("red", _rig.Gateway.SideOf("eth1"));
    }

    [Fact]
    public void The_gateway_answers_pings_to_its_own_address_without_the_policy()
    {
        var reply = Assert.Single(_rig.Exchange(_rig.Blue, _rig.FromBlue(Echo4("10.1.0.5", "192.168.1.1", id: 3))).Blue);

        var expected = _rig.ToBlue(Echo4("192.168.1.1", "10.1.0.5", id: 3, reply: true));
        Assert.Equal(expected, reply);
        Assert.Equal(1, _rig.Counter("gateway-ip4", "local"));
        Assert.Equal(0, _rig.Counter("gateway-ip4", "denied-no-rule"));
    }

    [Fact]
    public void Ipv6_policy_admits_a_flow_and_its_reply_and_denies_the_rest()
    {
        _rig.Route("2001:db8:b::/48", "blue");
        _rig.Route("2001:db8:e::/48", "red");
        Assert.Equal(1, _rig.Gateway.AddRule(new GatewayRule("blue", "red", Ipv6Prefix.Parse("2001:db8:b::/48"), GatewayPrefix.Any, GatewayProtocol.Udp, PortRange.Single(53))));

        var query = Udp6("2001:db8:b::5", "2001:db8:e::7", 5353, 53, [1, 2, 3]);
        Assert.Equal(_rig.ToRed(Udp6("2001:db8:b::5", "2001:db8:e::7", 5353, 53, [1, 2, 3], hopLimit: 63)), Assert.Single(_rig.Exchange(_rig.Blue, _rig.FromBlue(query)).Red));
        var answer = Udp6("2001:db8:e::7", "2001:db8:b::5", 53, 5353, [4, 5]);
        Assert.Equal(_rig.ToBlue(Udp6("2001:db8:e::7", "2001:db8:b::5", 53, 5353, [4, 5], hopLimit: 63)), Assert.Single(_rig.Exchange(_rig.Red, _rig.FromRed(answer)).Blue));

        Assert.Empty(_rig.Exchange(_rig.Blue, _rig.FromBlue(Tcp6("2001:db8:b::5", "2001:db8:e::7", 40000, 53))).Red);
        Assert.Empty(_rig.Exchange(_rig.Red, _rig.FromRed(Udp6("2001:db8:e::7", "2001:db8:b::5", 53, 5354, [0]))).Blue);
        // The IPv4 rule 0 does not admit IPv6, whatever the ports.
        Assert.Empty(_rig.Exchange(_rig.Blue, _rig.FromBlue(Tcp6("2001:db8:b::5", "2001:db8:e::7", 40000, 80))).Red);

        Assert.Equal(1, _rig.Counter("gateway-ip6", "allowed"));
        Assert.Equal(1, _rig.Counter("gateway-ip6", "allowed-established"));
        Assert.Equal(3, _rig.Counter("gateway-ip6", "denied-no-rule"));
    }
}
