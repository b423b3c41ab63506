using Softnet.Cli.Bench.E2e;

namespace Softnet.Cli.Tests.Bench;

/// <summary>How the e2e bench reads what ping, iperf3 and ip print, and its order statistics; no root needed.</summary>
public sealed class E2eParsingTests
{
    [Fact]
    public void Ping_rtts_are_read_from_every_reply_in_microseconds_leaving_out_duplicates()
    {
        const string output = """
            PING 10.0.2.10 (10.0.2.10) 56(84) bytes of data.
            64 bytes from 10.0.2.10: icmp_seq=1 ttl=63 time=0.225 ms
            64 bytes from 10.0.2.10: icmp_seq=2 ttl=63 time=0.056 ms
            64 bytes from 10.0.2.10: icmp_seq=2 ttl=63 time=0.301 ms (DUP!)
            64 bytes from 10.0.2.10: icmp_seq=4 ttl=63 time=1.27 ms

            --- 10.0.2.10 ping statistics ---
            4 packets transmitted, 3 received, +1 duplicates, 25% packet loss, time 16ms
            rtt min/avg/max/mdev = 0.056/0.517/1.270/0.530 ms
            """;

        var rtts = PingRtt.Parse(output);

        Assert.Equal([225, 56, 1270], rtts.Select(r => Math.Round(r, 6)));
    }

    [Fact]
    public void Percentiles_interpolate_between_the_nearest_order_statistics()
    {
        double[] samples = [40, 10, 30, 20];

        Assert.Equal(25, Statistics.Median(samples));
        Assert.Equal(10, Statistics.Percentile(samples, 0));
        Assert.Equal(40, Statistics.Percentile(samples, 1));
        Assert.Equal(39.7, Statistics.Percentile(samples, 0.99), 9);
        Assert.Equal(7, Statistics.Median([7]));
        Assert.Throws<ArgumentException>(() => Statistics.Median([]));
    }

    [Fact]
    public void The_tcp_rate_is_the_receivers_and_the_retransmits_the_senders()
    {
        const string json = """
            {"start": {}, "intervals": [], "end": {
              "sum_sent": {"start": 0, "end": 3.007309, "seconds": 3.007309, "bytes": 2211577856, "bits_per_second": 5883207494.80682, "retransmits": 3, "sender": true},
              "sum_received": {"start": 0, "end": 3.012259, "seconds": 3.012259, "bytes": 2210528528, "bits_per_second": 5870752888.114867, "sender": true}}}
            """;

        var result = Iperf3.ParseTcp(json);

        Assert.Equal(5.870752888114867, result.Gbps, 12);
        Assert.Equal(3, result.Retransmits);
    }

    [Fact]
    public void An_iperf3_error_report_is_a_format_error_naming_it()
    {
        var error = Assert.Throws<FormatException>(() => Iperf3.ParseTcp("""{"start": {}, "intervals": [], "end": {}, "error": "unable to connect to server: Connection refused"}"""));
        Assert.Contains("Connection refused", error.Message);
    }

    [Fact]
    public void Interface_counters_come_from_stats64()
    {
        const string json = """
            [{"ifindex":1,"ifname":"eth0","flags":["BROADCAST","UP","LOWER_UP"],"mtu":1500,"stats64":{
              "rx":{"bytes":22796930,"packets":9478,"errors":0,"dropped":2,"over_errors":0,"multicast":0},
              "tx":{"bytes":22796000,"packets":9470,"errors":0,"dropped":30,"carrier_errors":0,"collisions":0}}}]
            """;

        var counters = InterfaceCounters.Parse(json);

        Assert.Equal(new InterfaceCounters(9478, 9470, 30), counters);
        Assert.Equal(9500, counters.TxOffered);
        Assert.Throws<FormatException>(() => InterfaceCounters.Parse("[]"));
    }

    [Fact]
    public void Udp_loss_is_the_share_of_offered_frames_that_did_not_arrive()
    {
        Assert.Equal(25, new UdpResult(OfferedKpps: 200, DeliveredKpps: 150).LossPercent, 9);
        Assert.Equal(0, new UdpResult(OfferedKpps: 100, DeliveredKpps: 101).LossPercent);
        Assert.Equal(0, new UdpResult(OfferedKpps: 0, DeliveredKpps: 0).LossPercent);
    }
}
