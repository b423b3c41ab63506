using System.Globalization;
using System.Text;
using System.Text.Json;
using Softnet.Cli.Node;
using Softnet.Hypervisor.Runtime;

namespace Softnet.Cli.Tests.Node;

/// <summary><c>GET /metrics</c> scraped from the control API over <see cref="FakeNode"/> and read back as Prometheus text.</summary>
public sealed class MetricsTests : IAsyncLifetime
{
    private static readonly string[] Gauges =
    [
        "softnet_workers", "softnet_pool_capacity_buffers", "softnet_pool_in_use_buffers", "softnet_pool_buffer_size_bytes",
        "softnet_network_base_tokens", "softnet_network_token_balance", "softnet_network_token_allocation",
        "softnet_network_granted_worker_share", "softnet_network_worker_share",
        "softnet_domain_backlog_frames", "softnet_domain_token_balance", "softnet_domain_worker_share",
    ];

    private static readonly string[] Counters =
    [
        "softnet_redistributions_total", "softnet_worker_allocated_bytes_total", "softnet_domain_turns_total",
        "softnet_port_rx_packets_total", "softnet_port_rx_bytes_total", "softnet_port_tx_packets_total", "softnet_port_tx_bytes_total",
        "softnet_port_tx_dropped_packets_total", "softnet_element_received_packets_total", "softnet_element_packets_total",
        "softnet_physical_port_rx_frames_total", "softnet_physical_port_rx_bytes_total", "softnet_physical_port_tx_frames_total",
        "softnet_physical_port_tx_bytes_total", "softnet_physical_port_rx_dropped_frames_total",
        "softnet_physical_port_tx_dropped_frames_total", "softnet_physical_port_segmented_frames_total",
    ];

    private ControlApiServer _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _server = await ControlApiServer.StartAsync();
        _http = _server.Client();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task The_scrape_is_prometheus_text_with_help_and_type_for_every_family()
    {
        using var response = await _http.GetAsync("metrics");
        var metrics = Exposition.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal(Gauges.Concat(Counters).Order(StringComparer.Ordinal), metrics.Types.Keys.Order(StringComparer.Ordinal));
        Assert.All(Gauges, name => Assert.Equal("gauge", metrics.Types[name]));
        Assert.All(Counters, name => Assert.Equal("counter", metrics.Types[name]));
        Assert.All(metrics.Types.Keys, name => Assert.False(string.IsNullOrWhiteSpace(metrics.Help[name]), name));
        Assert.All(metrics.Samples.Keys, series => Assert.Contains(series.Split('{')[0], metrics.Types.Keys));
        Assert.Equal("Packets the device port received.", metrics.Help["softnet_port_rx_packets_total"]);
    }

    [Fact]
    public async Task Every_series_carries_the_snapshot_s_number_under_its_labels()
    {
        var metrics = await ScrapeAsync();

        Assert.Equal(2, metrics["softnet_workers"]);
        Assert.Equal(31, metrics["softnet_redistributions_total"]);
        Assert.Equal(4_096, metrics["softnet_worker_allocated_bytes_total"]);
        Assert.Equal(8192, metrics["softnet_pool_capacity_buffers"]);
        Assert.Equal(17, metrics["softnet_pool_in_use_buffers"]);
        Assert.Equal(66_048, metrics["softnet_pool_buffer_size_bytes"]);

        Assert.Equal(10, metrics["softnet_network_base_tokens{network=\"lab\"}"]);
        Assert.Equal(12_345, metrics["softnet_network_token_balance{network=\"lab\"}"]);
        Assert.Equal(-512, metrics["softnet_network_token_balance{network=\"blue\"}"]);
        Assert.Equal(98_304, metrics["softnet_network_token_allocation{network=\"blue\"}"]);
        Assert.Equal(0.625, metrics["softnet_network_granted_worker_share{network=\"lab\"}"]);
        Assert.Equal(0.0625, metrics["softnet_network_worker_share{network=\"blue\"}"]);

        Assert.Equal(98_765, metrics["softnet_domain_turns_total{network=\"lab\",device=\"r1\"}"]);
        Assert.Equal(3, metrics["softnet_domain_backlog_frames{network=\"lab\",device=\"r1\"}"]);
        Assert.Equal(-512, metrics["softnet_domain_token_balance{network=\"blue\",device=\"s1\"}"]);
        Assert.Equal(0.25, metrics["softnet_domain_worker_share{network=\"lab\",device=\"r1\"}"]);

        Assert.Equal(1111, metrics["softnet_port_rx_packets_total{network=\"lab\",device=\"r1\",port=\"eth0\"}"]);
        Assert.Equal(2_222_333, metrics["softnet_port_rx_bytes_total{network=\"lab\",device=\"r1\",port=\"eth0\"}"]);
        Assert.Equal(1234, metrics["softnet_port_tx_packets_total{network=\"lab\",device=\"r1\",port=\"eth1\"}"]);
        Assert.Equal(900, metrics["softnet_port_tx_bytes_total{network=\"blue\",device=\"s1\",port=\"eth1\"}"]);
        Assert.Equal(7, metrics["softnet_port_tx_dropped_packets_total{network=\"lab\",device=\"r1\",port=\"eth0\"}"]);

        Assert.Equal(0, metrics["softnet_element_received_packets_total{network=\"lab\",device=\"r1\",element=\"ethernet-input\"}"]);
        Assert.Equal(900, metrics["softnet_element_received_packets_total{network=\"lab\",device=\"r1\",element=\"ip4-lookup\"}"]);
        Assert.Equal(893, metrics["softnet_element_packets_total{network=\"lab\",device=\"r1\",element=\"ip4-lookup\",counter=\"rewrite\"}"]);
        Assert.Equal(7, metrics["softnet_element_packets_total{network=\"lab\",device=\"r1\",element=\"ip4-lookup\",counter=\"drop:no-route\"}"]);
        Assert.Equal(13, metrics["softnet_element_packets_total{network=\"blue\",device=\"s1\",element=\"l2-switch\",counter=\"flood\"}"]);

        Assert.Equal(777_001, metrics["softnet_physical_port_rx_frames_total{network=\"lab\",port=\"sn-lab-h1/eth0\",kind=\"tap\"}"]);
        Assert.Equal(88_002, metrics["softnet_physical_port_rx_bytes_total{network=\"lab\",port=\"sn-lab-h1/eth0\",kind=\"tap\"}"]);
        Assert.Equal(99_003, metrics["softnet_physical_port_tx_frames_total{network=\"lab\",port=\"sn-lab-h1/eth0\",kind=\"tap\"}"]);
        Assert.Equal(11_004, metrics["softnet_physical_port_tx_bytes_total{network=\"lab\",port=\"sn-lab-h1/eth0\",kind=\"tap\"}"]);
        Assert.Equal(12, metrics["softnet_physical_port_rx_dropped_frames_total{network=\"lab\",port=\"sn-lab-h1/eth0\",kind=\"tap\"}"]);
        Assert.Equal(13, metrics["softnet_physical_port_tx_dropped_frames_total{network=\"lab\",port=\"sn-lab-h1/eth0\",kind=\"tap\"}"]);
        Assert.Equal(14, metrics["softnet_physical_port_segmented_frames_total{network=\"lab\",port=\"sn-lab-h1/eth0\",kind=\"tap\"}"]);
        Assert.Equal(600, metrics["softnet_physical_port_rx_bytes_total{network=\"blue\",port=\"snv0123456789ab\",kind=\"af_packet\"}"]);

        Assert.Equal(3, metrics.Series("softnet_port_rx_packets_total").Count());
        Assert.Equal(3, metrics.Series("softnet_element_received_packets_total").Count());
        Assert.Equal(2, metrics.Series("softnet_physical_port_segmented_frames_total").Count());
    }

    [Fact]
    public async Task The_next_scrape_shows_the_changed_snapshot_and_drops_what_went_away()
    {
        var sample = SampleSnapshot.Create();
        var lab = sample.Networks[0];
        var r1 = lab.Domains[0];
        var ip4Lookup = r1.Elements[1];
        var before = await ScrapeAsync();
        _server.Node.Snapshot = sample with
        {
            Redistributions = 40,
            Networks =
            [
                lab with
                {
                    TokenBalance = -100,
                    Domains =
                    [
                        r1 with
                        {
                            Backlog = 0,
                            Ports = [r1.Ports[0] with { RxPackets = 2000, RxBytes = 3_000_000 }, r1.Ports[1]],
                            Elements = [ip4Lookup with { Received = 950, Counters = new Dictionary<string, long> { ["rewrite"] = 940, ["drop:no-route"] = 7, ["drop:ttl"] = 3 } }],
                        },
                    ],
                },
            ],
            PhysicalPorts = [sample.PhysicalPorts[0]],
        };

        var after = await ScrapeAsync();

        Assert.Equal(1111, before["softnet_port_rx_packets_total{network=\"lab\",device=\"r1\",port=\"eth0\"}"]);
        Assert.Equal(2000, after["softnet_port_rx_packets_total{network=\"lab\",device=\"r1\",port=\"eth0\"}"]);
        Assert.Equal(3_000_000, after["softnet_port_rx_bytes_total{network=\"lab\",device=\"r1\",port=\"eth0\"}"]);
        Assert.Equal(4321, after["softnet_port_rx_packets_total{network=\"lab\",device=\"r1\",port=\"eth1\"}"]);
        Assert.Equal(40, after["softnet_redistributions_total"]);
        Assert.Equal(-100, after["softnet_network_token_balance{network=\"lab\"}"]);
        Assert.Equal(0, after["softnet_domain_backlog_frames{network=\"lab\",device=\"r1\"}"]);
        Assert.Equal(950, after["softnet_element_received_packets_total{network=\"lab\",device=\"r1\",element=\"ip4-lookup\"}"]);
        Assert.Equal(3, after["softnet_element_packets_total{network=\"lab\",device=\"r1\",element=\"ip4-lookup\",counter=\"drop:ttl\"}"]);
        Assert.Contains("softnet_network_base_tokens{network=\"blue\"}", before.Samples.Keys);
        Assert.DoesNotContain(after.Samples.Keys, series => series.Contains("network=\"blue\"", StringComparison.Ordinal));
        Assert.DoesNotContain(after.Samples.Keys, series => series.Contains("element=\"ethernet-input\"", StringComparison.Ordinal));
        Assert.Contains("softnet_network_base_tokens", after.Types.Keys);
    }

    [Fact]
    public async Task A_counter_below_the_last_scrape_starts_again_from_its_new_total()
    {
        var sample = SampleSnapshot.Create();
        var lab = sample.Networks[0];
        await ScrapeAsync();
        _server.Node.Snapshot = sample with { Networks = [lab with { Domains = [lab.Domains[0] with { Turns = 12 }] }, sample.Networks[1]] };

        var after = await ScrapeAsync();

        Assert.Equal(12, after["softnet_domain_turns_total{network=\"lab\",device=\"r1\"}"]);
        Assert.Equal(55, after["softnet_domain_turns_total{network=\"blue\",device=\"s1\"}"]);
    }

    [Fact]
    public async Task Two_applications_in_one_process_keep_their_own_series()
    {
        await using var other = await ControlApiServer.StartAsync();
        using var otherHttp = other.Client();
        var sample = SampleSnapshot.Create();
        other.Node.Snapshot = sample with { Workers = 8, Networks = [sample.Networks[1]], PhysicalPorts = [] };

        var mine = await ScrapeAsync();
        var theirs = Exposition.Parse(await otherHttp.GetStringAsync("metrics"));

        Assert.Equal(2, mine["softnet_workers"]);
        Assert.Equal(8, theirs["softnet_workers"]);
        Assert.Contains("softnet_network_base_tokens{network=\"lab\"}", mine.Samples.Keys);
        Assert.DoesNotContain("softnet_network_base_tokens{network=\"lab\"}", theirs.Samples.Keys);
        Assert.Empty(theirs.Series("softnet_physical_port_rx_frames_total"));
    }

    [Fact]
    public async Task While_the_node_starts_the_scrape_is_a_503_json_error()
    {
        _server.Node.Ready = false;

        using var response = await _http.GetAsync("metrics");
        var error = JsonSerializer.Deserialize<ControlError>(await response.Content.ReadAsStringAsync(), NodeJson.Options);

        Assert.Equal(503, (int)response.StatusCode);
        Assert.Equal("The hypervisor is still starting (network lab: 1 device(s), 2 host(s)).", error!.Error);
    }

    private async Task<Exposition> ScrapeAsync() => Exposition.Parse(await _http.GetStringAsync("metrics"));

    /// <summary>
    /// The text exposition format read back: the HELP and TYPE of each family, and the value of
    /// each sample by its series as written (<c>name{label="value",...}</c>, label values unescaped).
    /// </summary>
    private sealed class Exposition
    {
        public Dictionary<string, string> Help { get; } = [];
        public Dictionary<string, string> Types { get; } = [];
        public Dictionary<string, double> Samples { get; } = [];

        public double this[string series] => Samples.TryGetValue(series, out var value) ? value : throw new KeyNotFoundException($"no series {series}");

        /// <summary>The series of the family <paramref name="name"/>.</summary>
        public IEnumerable<string> Series(string name) => Samples.Keys.Where(s => s == name || s.StartsWith(name + "{", StringComparison.Ordinal));

        public static Exposition Parse(string text)
        {
            var exposition = new Exposition();
            foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                if (line.StartsWith("# HELP ", StringComparison.Ordinal))
                {
                    var (name, help) = Split(line["# HELP ".Length..]);
                    exposition.Help.Add(name, help.Replace("\\n", "\n", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal));
                }
                else if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
                {
                    var (name, type) = Split(line["# TYPE ".Length..]);
                    exposition.Types.Add(name, type);
                }
                else
                {
                    var (series, value) = Sample(line);
                    if (!exposition.Types.ContainsKey(series.Split('{')[0])) throw new FormatException($"{series} comes before the TYPE of its family");
                    exposition.Samples.Add(series, double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture));
                }
            }
            return exposition;
        }

        private static (string, string) Split(string text)
        {
            var space = text.IndexOf(' ', StringComparison.Ordinal);
            return (text[..space], text[(space + 1)..]);
        }

        /// <summary>A sample line: the series up to the space after its name or closing brace (label values may hold spaces), then the value.</summary>
        private static (string Series, string Value) Sample(string line)
        {
            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (brace < 0 || brace > space) return Split(line);
            var series = new StringBuilder(line[..(brace + 1)]);
            var i = brace + 1;
            var quoted = false;
            for (; line[i] != '}' || quoted; i++)
            {
                if (line[i] == '"') quoted = !quoted;
                else if (line[i] == '\\')
                {
                    i++;
                    series.Append(line[i] == 'n' ? '\n' : line[i]);
                    continue;
                }
                series.Append(line[i]);
            }
            series.Append('}');
            return (series.ToString(), line[(i + 2)..]);
        }
    }
}
