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
    private readonly string _directory = Directory.CreateTempSubdirectory("softnet-api-").FullName;
    private readonly FakeNode _node = new();
    private WebApplication _app = null!;
    private NodeClient _client = null!;

    private string SocketPath => Path.Combine(_directory, "control.sock");

    public async Task InitializeAsync()
    {
        _app = ControlApi.Build(SocketPath, _node, logging => { });
        await _app.StartAsync();
        _client = new NodeClient(SocketPath);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
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
        _node.Ready = false;

        var error = await Assert.ThrowsAsync<NodeException>(() => _client.InspectAsync(CancellationToken.None));

        Assert.Equal("The hypervisor is still starting (network lab: 1 device(s), 2 host(s)).", error.Message);
    }

    [Fact]
    public async Task Capture_of_an_unknown_port_is_a_404_with_the_hypervisor_s_message()
    {
        using var response = await RawClient().GetAsync("http://node/v1/capture?port=r9:eth0");
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
        await _node.CaptureEnded.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task The_content_type_is_pcap_and_a_client_that_goes_away_ends_the_capture()
    {
        using var http = RawClient();
        using var response = await http.GetAsync("http://node/v1/capture?port=r1:eth0", HttpCompletionOption.ResponseHeadersRead);
        var body = await response.Content.ReadAsStreamAsync();
        var header = new byte[24];
        await body.ReadExactlyAsync(header);
        var mediaType = response.Content.Headers.ContentType!.MediaType;

        response.Dispose();

        Assert.Equal(ControlApi.PcapMediaType, mediaType);
        Assert.Equal(0xA1B23C4Du, BitConverter.ToUInt32(header));
        await _node.CaptureEnded.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Theory]
    [InlineData("v1/capture", "Name the port to capture: /v1/capture?port=r1:eth0.")]
    [InlineData("v1/capture?port=r1:eth0&count=0", "count must be a whole number of frames, at least 1; found '0'.")]
    [InlineData("v1/capture?port=r1:eth0&count=x", "count must be a whole number of frames, at least 1; found 'x'.")]
    public async Task Bad_capture_requests_are_400s_that_say_why(string path, string message)
    {
        using var response = await RawClient().GetAsync("http://node/" + path);
        var error = JsonSerializer.Deserialize<ControlError>(await response.Content.ReadAsStringAsync(), NodeJson.Options);

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal(message, error!.Error);
    }

    [Fact]
    public async Task Shutdown_answers_then_stops_the_application()
    {
        await _client.ShutdownAsync(CancellationToken.None);

        await _app.WaitForShutdownAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(_app.Lifetime.ApplicationStopped.IsCancellationRequested);
    }

    [Fact]
    public async Task Nothing_listening_is_no_status_and_a_clear_error()
    {
        using var client = new NodeClient(Path.Combine(_directory, "none.sock"));

        var status = await client.TryStatusAsync(CancellationToken.None);
        var error = await Assert.ThrowsAsync<NodeException>(() => client.InspectAsync(CancellationToken.None));

        Assert.Null(status);
        Assert.Equal($"No hypervisor is running (there is no {_directory}/none.sock); start one with `softnet up FILE`.", error.Message);
    }

    private HttpClient RawClient() => new(new SocketsHttpHandler
    {
        ConnectCallback = async (_, cancellation) =>
        {
            var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
            await socket.ConnectAsync(new System.Net.Sockets.UnixDomainSocketEndPoint(SocketPath), cancellation);
            return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
        },
    });
}
