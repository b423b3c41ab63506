using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Softnet.Cli.Node;
using Softnet.DataPlane.Pcap;
using Softnet.Hypervisor.Runtime;

namespace Softnet.Cli.Tests.Node;

/// <summary>The control API served by Kestrel on a Unix socket in a temporary directory, with <see cref="FakeNode"/> behind it, used through <see cref="NodeClient"/>.</summary>
public sealed class ControlApiTests : IAsyncLifetime
{
    private ControlApiServer _server = null!;
    private NodeClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await ControlApiServer.StartAsync();
        _client = new NodeClient(_server.SocketPath);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Status_says_who_the_node_is_and_whether_it_is_ready()
    {
        var status = await _client.TryStatusAsync(CancellationToken.None);

        Assert.NotNull(status);
        Assert.True(status.Ready);
        Assert.Equal(FakeNode.Pid, status.Pid);
        Assert.Equal("/etc/softnet/lab.yaml", status.TopologyFile);
        Assert.Equal(FakeNode.Started, status.Started);
        Assert.Equal(["network lab: 1 device(s), 2 host(s)"], status.Steps);
    }

    [Fact]
    public async Task Inspect_serves_the_snapshot_with_camel_case_properties_and_enums_as_the_file_writes_them()
    {
        var json = await _client.InspectJsonAsync(CancellationToken.None);
        var snapshot = await _client.InspectAsync(CancellationToken.None);

        Assert.Equal(JsonSerializer.Serialize(SampleSnapshot.Create(), NodeJson.Options), json);
        Assert.Equal(json, JsonSerializer.Serialize(snapshot, NodeJson.Options));
        var root = JsonDocument.Parse(json).RootElement;
        var lab = root.GetProperty("networks")[0];
        Assert.Equal("ipv4", lab.GetProperty("architecture").GetString());
        Assert.Equal("relative", lab.GetProperty("priority").GetString());
        Assert.Equal(0.625, lab.GetProperty("grantedShare").GetDouble());
        Assert.Equal(0.4375, lab.GetProperty("workerShare").GetDouble());
        Assert.Equal(7, lab.GetProperty("domains")[0].GetProperty("elements")[1].GetProperty("counters").GetProperty("drop:no-route").GetInt64());
        Assert.Equal("af_packet", root.GetProperty("physicalPorts")[1].GetProperty("kind").GetString());
        Assert.Equal(777_001, root.GetProperty("physicalPorts")[0].GetProperty("rxFrames").GetInt64());
    }

    [Fact]
    public async Task Inspect_while_starting_says_so()
    {
        _server.Node.Ready = false;

        var error = await Assert.ThrowsAsync<NodeException>(() => _client.InspectAsync(CancellationToken.None));

        Assert.Equal("The hypervisor is still starting (network lab: 1 device(s), 2 host(s)).", error.Message);
    }

    [Fact]
    public async Task Capture_of_an_unknown_port_is_a_404_with_the_hypervisor_s_message()
    {
        using var http = _server.Client();
        using var response = await http.GetAsync("v1/capture?port=r9:eth0");
        var body = await response.Content.ReadAsStringAsync();
        var error = await Assert.ThrowsAsync<NodeException>(() => _client.CaptureAsync("r9:eth0", null, new MemoryStream(), null, CancellationToken.None));

        Assert.Equal(404, (int)response.StatusCode);
        Assert.Equal("{\n  \"error\": \"No port 'r9:eth0' (ports: r1:eth0, r1:eth1).\"\n}", body);
        Assert.Equal("No port 'r9:eth0' (ports: r1:eth0, r1:eth1).", error.Message);
    }

    [Fact]
    public async Task Capture_with_a_count_streams_exactly_that_many_frames_as_pcap()
    {
        var output = new MemoryStream();
        var started = false;

        var frames = await _client.CaptureAsync("r1:eth0", 3, output, () => started = true, CancellationToken.None);

        Assert.True(started);
        Assert.Equal(3, frames);
        var records = PcapReader.Read(new MemoryStream(output.ToArray())).ToList();
        Assert.Equal([FakeNode.Frame(0), FakeNode.Frame(1), FakeNode.Frame(2)], records.Select(r => r.Data));
        Assert.Equal([DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddSeconds(1), DateTimeOffset.UnixEpoch.AddSeconds(2)], records.Select(r => r.Timestamp));
        await _server.Node.CaptureEnded.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task The_content_type_is_pcap_and_a_client_that_goes_away_ends_the_capture()
    {
        using var http = _server.Client();
        using var response = await http.GetAsync("http://node/v1/capture?port=r1:eth0", HttpCompletionOption.ResponseHeadersRead);
        var body = await response.Content.ReadAsStreamAsync();
        var header = new byte[24];
        await body.ReadExactlyAsync(header);
        var mediaType = response.Content.Headers.ContentType!.MediaType;

        response.Dispose();

        Assert.Equal(ControlApi.PcapMediaType, mediaType);
        Assert.Equal(0xA1B23C4Du, BitConverter.ToUInt32(header));
        await _server.Node.CaptureEnded.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Theory]
    [InlineData("v1/capture", "Name the port to capture: /v1/capture?port=r1:eth0.")]
    [InlineData("v1/capture?port=r1:eth0&count=0", "count must be a whole number of frames, at least 1; found '0'.")]
    [InlineData("v1/capture?port=r1:eth0&count=x", "count must be a whole number of frames, at least 1; found 'x'.")]
    [InlineData("v1/capture?port=r1:eth0&count=-1", "count must be a whole number of frames, at least 1; found '-1'.")]
    [InlineData("v1/capture?port=&count=3", "Name the port to capture: /v1/capture?port=r1:eth0.")]
    public async Task Bad_capture_requests_are_400s_that_say_why_and_start_no_capture(string path, string message)
    {
        using var http = _server.Client();
        using var response = await http.GetAsync(path);
        var error = JsonSerializer.Deserialize<ControlError>(await response.Content.ReadAsStringAsync(), NodeJson.Options);

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal(message, error!.Error);
        Assert.Equal(0, _server.Node.Captures);
    }

    [Theory]
    [InlineData("GET", "v1/capture?port=r1:eth0&cout=3", 400, "Unknown query parameter 'cout': /v1/capture takes port, count.")]
    [InlineData("GET", "v1/capture?port=r1:eth0&port=r1:eth1", 400, "The query parameter 'port' is given 2 times; give it once.")]
    [InlineData("GET", "v1/inspect?format=yaml", 400, "Unknown query parameter 'format': /v1/inspect takes no query parameters.")]
    [InlineData("POST", "v1/shutdown?force=1", 400, "Unknown query parameter 'force': /v1/shutdown takes no query parameters.")]
    [InlineData("GET", "v1/shutdown", 405, "/v1/shutdown does not take GET; use POST.")]
    [InlineData("DELETE", "v1/status", 405, "/v1/status does not take DELETE; use GET.")]
    [InlineData("POST", "metrics", 405, "/metrics does not take POST; use GET.")]
    [InlineData("GET", "v1/stop", 404, "No GET /v1/stop; the control API serves GET /v1/status, GET /v1/inspect, GET /v1/capture, GET /v1/links, POST /v1/links, POST /v1/shutdown, GET /metrics, GET /openapi/v1.json.")]
    [InlineData("GET", "openapi/v2.json", 404, "No GET /openapi/v2.json; the control API serves GET /v1/status, GET /v1/inspect, GET /v1/capture, GET /v1/links, POST /v1/links, POST /v1/shutdown, GET /metrics, GET /openapi/v1.json.")]
    public async Task Malformed_requests_are_4xx_json_errors_that_say_why_and_change_nothing(string method, string path, int status, string message)
    {
        using var http = _server.Client();

        using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        var body = await response.Content.ReadAsStringAsync();
        var after = await _client.TryStatusAsync(CancellationToken.None);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal(message, JsonSerializer.Deserialize<ControlError>(body, NodeJson.Options)!.Error);
        Assert.NotNull(after);
        Assert.False(_server.App.Lifetime.ApplicationStopping.IsCancellationRequested);
    }

    [Fact]
    public async Task Links_lists_every_link_with_its_state_since_when_and_why()
    {
        var links = await _client.LinksAsync(CancellationToken.None);
        using var http = _server.Client();
        var json = JsonDocument.Parse(await http.GetStringAsync("v1/links")).RootElement;

        Assert.Equal(_server.Node.LinkStates, links);
        Assert.Equal("carrier", json[1].GetProperty("cause").GetString());
        Assert.Equal(JsonValueKind.Null, json[0].GetProperty("since").ValueKind);
    }

    [Fact]
    public async Task A_link_goes_down_and_up_by_its_ends_with_the_network_named_only_when_ambiguous()
    {
        var down = await _client.SetLinkAsync(null, "r2:eth0", "r1:eth1", up: false, CancellationToken.None);
        var up = await _client.SetLinkAsync("lab", "r1:eth0", "h1:eth0", up: true, CancellationToken.None);

        Assert.Equal(new LinkChange(new NodeLink("wan", "r1:eth1 -- r2:eth0", false, FakeNode.Started, LinkCause.Operator), true, null, null), down);
        Assert.Equal(new NodeLink("lab", "h1:eth0 -- r1:eth0", true, null, null), up.Link);
        Assert.Equal(["wan: r1:eth1 -- r2:eth0 down", "lab: h1:eth0 -- r1:eth0 up"], _server.Node.LinkRequests);
    }

    [Theory]
    [InlineData("{\"a\": \"r1:eth0\", \"b\": \"h1:eth0\", \"up\": false}", 400,
        "Networks lab, wan each have a link r1:eth0 -- h1:eth0; name the network: softnet link down lab r1:eth0 h1:eth0.")]
    [InlineData("{\"network\": \"dmz\", \"a\": \"r1:eth0\", \"b\": \"h1:eth0\", \"up\": false}", 404, "There is no network 'dmz' (networks: lab, wan).")]
    [InlineData("{\"network\": \"lab\", \"a\": \"r1:eth0\", \"b\": \"r2:eth0\", \"up\": false}", 404,
        "Network 'lab' has no link r1:eth0 -- r2:eth0 (its links: h1:eth0 -- r1:eth0, h2:eth0 -- r1:eth1).")]
    [InlineData("{\"a\": \"r9:eth0\", \"b\": \"h1:eth0\", \"up\": true}", 404, "No network has a link r9:eth0 -- h1:eth0.")]
    [InlineData("{\"network\": \"lab\", \"a\": \"r1\", \"b\": \"h1:eth0\", \"up\": false}", 400, "'r1' is not a link end; write node:port, such as r1:eth1.")]
    [InlineData("{\"network\": \"lab\", \"a\": \"r1:eth0\", \"b\": \"h1:eth0\"}", 400,
        "Give the link's ends and its state: {\"network\": \"lab\", \"a\": \"r1:eth1\", \"b\": \"r2:eth0\", \"up\": false}.")]
    [InlineData("{\"network\": \"lab\", \"a\": \"r1:eth0\", \"b\": \"h1:eth0\", \"up\": \"no\"}", 400, "The body of /v1/links is not valid JSON: ")]
    [InlineData("[1", 400, "The body of /v1/links is not valid JSON: ")]
    public async Task A_bad_link_request_is_a_4xx_naming_what_and_changes_nothing(string body, int status, string message)
    {
        using var http = _server.Client();

        using var response = await http.PostAsync("v1/links", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var error = JsonSerializer.Deserialize<ControlError>(await response.Content.ReadAsStringAsync(), NodeJson.Options)!.Error;

        Assert.Equal(status, (int)response.StatusCode);
        Assert.StartsWith(message, error);
        Assert.Empty(_server.Node.LinkRequests);
    }

    [Fact]
    public async Task A_link_request_that_is_not_json_is_a_415_and_the_client_says_the_node_s_error()
    {
        using var http = _server.Client();

        using var response = await http.PostAsync("v1/links", new StringContent("down lab r1:eth1 r2:eth0"));
        var refused = await Assert.ThrowsAsync<NodeException>(() => _client.SetLinkAsync("dmz", "r1:eth0", "h1:eth0", up: false, CancellationToken.None));

        Assert.Equal(415, (int)response.StatusCode);
        Assert.Equal("There is no network 'dmz' (networks: lab, wan).", refused.Message);
        Assert.Empty(_server.Node.LinkRequests);
    }

    [Fact]
    public async Task Shutdown_answers_then_stops_the_application()
    {
        await _client.ShutdownAsync(CancellationToken.None);

        await _server.App.WaitForShutdownAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(_server.App.Lifetime.ApplicationStopped.IsCancellationRequested);
    }

    [Fact]
    public async Task Nothing_listening_is_no_status_and_a_clear_error()
    {
        using var client = new NodeClient(Path.Combine(_server.Directory, "none.sock"));

        var status = await client.TryStatusAsync(CancellationToken.None);
        var error = await Assert.ThrowsAsync<NodeException>(() => client.InspectAsync(CancellationToken.None));

        Assert.Null(status);
        Assert.Equal($"No hypervisor is running (there is no {_server.Directory}/none.sock); start one with `softnet up FILE`.", error.Message);
    }
}

/// <summary>The control API over a <see cref="FakeNode"/>, listening on a Unix socket in a temporary directory.</summary>
/// <summary>The control API over a <see cref="FakeNode"/>, listening on a Unix socket in a temporary directory that disposing removes.</summary>
internal sealed class ControlApiServer : IAsyncDisposable
{
    private ControlApiServer(string directory) => Directory = directory;

    public FakeNode Node { get; } = new();
    public string Directory { get; }
    public WebApplication App { get; private set; } = null!;
    public string SocketPath => Path.Combine(Directory, "control.sock");

    public static async Task<ControlApiServer> StartAsync()
    {
        var server = new ControlApiServer(System.IO.Directory.CreateTempSubdirectory("softnet-api-").FullName);
        server.App = ControlApi.Build(server.SocketPath, server.Node, logging => { });
        await server.App.StartAsync();
        return server;
    }

    /// <summary>A plain HTTP client whose every request goes to the socket (the host in its address is ignored).</summary>
    public HttpClient Client() => new(new SocketsHttpHandler
    {
        ConnectCallback = async (_, cancellation) =>
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath), cancellation);
            return new NetworkStream(socket, ownsSocket: true);
        },
    })
    { BaseAddress = new Uri("http://node/") };

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
