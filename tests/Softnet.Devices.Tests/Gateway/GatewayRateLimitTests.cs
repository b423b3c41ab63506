using Softnet.DataPlane;
using Softnet.Devices.Gateway;
using Softnet.Tests.Shared;
using Softnet.Wire;
using static Softnet.Devices.Tests.Gateway.GatewayFrames;

namespace Softnet.Devices.Tests.Gateway;

/// <summary>
/// Per-direction rate limits: blue and red may both send UDP across; what crosses one way is limited, and a direction
/// lets through its burst plus its rate times the time elapsed, no more, whatever is offered.
/// </summary>
public sealed class GatewayRateLimitTests
{
    private static readonly byte[] Data = new byte[72]; // IP packets of 20 + 8 + 72 = 100 bytes, 800 bits

    private readonly GatewayRig _rig = new();
    private int _port = 1024;

    public GatewayRateLimitTests()
    {
        _rig.Route("10.1.0.0/16", "blue");
        _rig.Route("10.2.0.0/16", "red");
        _rig.Gateway.AddRule(new GatewayRule("blue", "red", GatewayPrefix.Any, GatewayPrefix.Any, GatewayProtocol.Udp));
        _rig.Gateway.AddRule(new GatewayRule("red", "blue", GatewayPrefix.Any, GatewayPrefix.Any, GatewayProtocol.Udp));
    }

    [Fact]
    public void A_packet_rate_lets_through_the_burst_plus_the_rate_times_the_time_and_drops_the_rest()
    {
        _rig.Gateway.SetRateLimit(new GatewayRateLimit("blue", "red", Packets: new GatewayRate(100, 5)));

        // Offered 5 packets every 10 ms for a second: 5 at once, then 100 a second.
        var crossed = Offer(_rig.Blue, 5);
        for (var step = 0; step < 100; step++)
        {
            _rig.Net.Clock.Advance(TimeSpan.FromMilliseconds(10));
            crossed += Offer(_rig.Blue, 5);
        }
        Assert.Equal(5 + 100, crossed);
        Assert.Equal(505 - 105, _rig.Counter("gateway-limit", "rate-limited:blue->red"));

        // A long idle time refills the bucket to its burst, not beyond.
        _rig.Net.Clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(5, Offer(_rig.Blue, 20));

        // The other direction has no limit and is counted apart.
        Assert.Equal(20, Offer(_rig.Red, 20));
        Assert.Equal(0, _rig.Counter("gateway-limit", "rate-limited:red->blue"));
        Assert.Equal(["rate-limited:blue->red", "rate-limited:red->blue"], _rig.Gateway.Graph.Elements.Single(e => e.Name == "gateway-limit").DropReasons);
    }

    [Fact]
    public void A_bit_rate_limits_by_size()
    {
        // 8,000 bits a second is ten of these 800-bit packets; the burst holds three.
        _rig.Gateway.SetRateLimit(new GatewayRateLimit("red", "blue", Bits: new GatewayRate(8_000, 2_400)));

        var crossed = Offer(_rig.Red, 10);
        for (var step = 0; step < 20; step++)
        {
            _rig.Net.Clock.Advance(TimeSpan.FromMilliseconds(50));
            crossed += Offer(_rig.Red, 3);
        }
        Assert.Equal(3 + 10, crossed);
        Assert.Equal(70 - 13, _rig.Counter("gateway-limit", "rate-limited:red->blue"));
        Assert.Equal(10, Offer(_rig.Blue, 10));
    }

    [Fact]
    public void A_packet_passes_only_if_both_buckets_hold_enough()
    {
        // The bit bucket holds two packets, the packet bucket four: the smaller wins. Setting a limit again refills it.
        _rig.Gateway.SetRateLimit(new GatewayRateLimit("blue", "red", new GatewayRate(1_000, 4), new GatewayRate(1_000_000, 1_600)));
        Assert.Equal(2, Offer(_rig.Blue, 10));
        _rig.Gateway.SetRateLimit(new GatewayRateLimit("blue", "red", new GatewayRate(1_000, 1), new GatewayRate(1_000_000, 1_600)));
        Assert.Equal(1, Offer(_rig.Blue, 10));

        Assert.Equal(17, _rig.Counter("gateway-limit", "rate-limited:blue->red"));
        Assert.Equal([new GatewayRateLimit("blue", "red", new GatewayRate(1_000, 1), new GatewayRate(1_000_000, 1_600))], _rig.Gateway.RateLimits);
    }

    [Fact]
    public void A_super_frame_costs_as_many_packets_as_it_has_segments()
    {
        _rig.Route("10.0.2.0/24", "red");
        _rig.Gateway.AddRule(new GatewayRule("blue", "red", GatewayPrefix.Any, GatewayPrefix.Any, GatewayProtocol.Tcp));
        _rig.Gateway.SetRateLimit(new GatewayRateLimit("blue", "red", Packets: new GatewayRate(1, 5)));
        var frame = TcpFrames.Tcp(ipv6: false, TcpFrames.Payload(1800), destinationMac: _rig.Eth0);

        for (var i = 0; i < 2; i++) _rig.Gateway.Receive(0, [TcpFrames.LoadSuperFrame(_rig.Net.Pool, frame, ipv6: false, mss: 600)]);
        _rig.Net.Run();

        Assert.Single(_rig.Red.Received());
        Assert.Equal(1, _rig.Counter("gateway-limit", "rate-limited:blue->red"));
    }

    /// <summary>Offers <paramref name="count"/> datagrams of new flows at once from one side; returns how many crossed.</summary>
    private int Offer(Probe from, int count)
    {
        var blue = from == _rig.Blue;
        for (var i = 0; i < count; i++)
        {
            var port = (ushort)_port++;
            from.Send(blue ? _rig.FromBlue(Udp4("10.1.0.5", "10.2.0.7", port, 53, Data)) : _rig.FromRed(Udp4("10.2.0.7", "10.1.0.5", port, 53, Data)));
        }
        _rig.Net.Run();
        return (blue ? _rig.Red : _rig.Blue).Received().Count;
    }
}
