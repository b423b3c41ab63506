using System.Text.Json;
using Softnet.Cli.Node;

namespace Softnet.Cli.Tests.Node;

/// <summary>The OpenAPI document the control API serves at <see cref="ControlApi.OpenApiPath"/>.</summary>
public sealed class OpenApiTests : IAsyncLifetime
{
    private ControlApiServer _server = null!;
    private JsonElement _document;

    public async Task InitializeAsync()
    {
        _server = await ControlApiServer.StartAsync();
        using var http = _server.Client();
        _document = JsonDocument.Parse(await http.GetStringAsync("openapi/v1.json")).RootElement.Clone();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task The_document_is_served_as_json_at_the_documented_path()
    {
        using var http = _server.Client();

        using var response = await http.GetAsync(ControlApi.OpenApiPath.TrimStart('/'));

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public void The_document_is_openapi_3_describing_the_node_api()
    {
        Assert.StartsWith("3.", _document.GetProperty("openapi").GetString());
        Assert.Equal("Softnet node control API", _document.GetProperty("info").GetProperty("title").GetString());
        Assert.Equal("v1", _document.GetProperty("info").GetProperty("version").GetString());
        Assert.False(_document.TryGetProperty("servers", out _));
    }

    [Fact]
    public void Every_path_is_listed_with_its_operations_and_their_status_codes()
    {
        var operations =
            from path in _document.GetProperty("paths").EnumerateObject()
            from operation in path.Value.EnumerateObject()
            select $"{operation.Name} {path.Name} {operation.Value.GetProperty("operationId").GetString()}: "
                + string.Join(" ", operation.Value.GetProperty("responses").EnumerateObject().Select(r => r.Name).Order(StringComparer.Ordinal));

        Assert.Equal(
            [
                "get /metrics GetMetrics: 200 400 503",
                "get /v1/capture Capture: 200 400 404 503",
                "get /v1/inspect Inspect: 200 400 503",
                "get /v1/links ListLinks: 200 400 503",
                "get /v1/status GetStatus: 200 400",
                "post /v1/links SetLink: 200 400 404 415 503",
                "post /v1/shutdown Shutdown: 202 400",
            ],
            operations.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_operation_has_a_summary()
    {
        var summaries = _document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject())
            .Select(operation => operation.Value.GetProperty("summary").GetString());

        Assert.All(summaries, summary => Assert.False(string.IsNullOrWhiteSpace(summary)));
    }

    [Theory]
    [InlineData("/v1/status", "get", "400")]
    [InlineData("/v1/inspect", "get", "503")]
    [InlineData("/v1/capture", "get", "404")]
    [InlineData("/metrics", "get", "503")]
    [InlineData("/v1/shutdown", "post", "400")]
    public void Errors_are_described_as_control_errors(string path, string method, string status)
    {
        var schema = Response(path, method, status).GetProperty("content").GetProperty("application/json").GetProperty("schema");

        Assert.Equal("#/components/schemas/ControlError", schema.GetProperty("$ref").GetString());
        var error = _document.GetProperty("components").GetProperty("schemas").GetProperty("ControlError");
        Assert.Equal(["error"], error.GetProperty("properties").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void Answers_are_described_by_their_types_and_media_types()
    {
        var schemas = _document.GetProperty("components").GetProperty("schemas");

        Assert.Equal("#/components/schemas/NodeStatus", Response("/v1/status", "get", "200").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
        Assert.Equal("#/components/schemas/HypervisorSnapshot", Response("/v1/inspect", "get", "200").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
        Assert.Equal("#/components/schemas/ShutdownReply", Response("/v1/shutdown", "post", "202").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
        Assert.Equal([ControlApi.PcapMediaType], Response("/v1/capture", "get", "200").GetProperty("content").EnumerateObject().Select(c => c.Name));
        Assert.Equal("binary", schemas.GetProperty("Stream").GetProperty("format").GetString());
        Assert.Equal(["text/plain; version=0.0.4; charset=utf-8"], Response("/metrics", "get", "200").GetProperty("content").EnumerateObject().Select(c => c.Name));
        Assert.Equal(["tap", "af_packet", "memory"], schemas.GetProperty("PhysicalPortKind").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("physicalPorts", schemas.GetProperty("HypervisorSnapshot").GetProperty("properties").EnumerateObject().Select(p => p.Name));
        var network = schemas.GetProperty("NetworkStatus").GetProperty("properties");
        Assert.Equal("number", network.GetProperty("grantedShare").GetProperty("type").GetString());
        Assert.Equal("integer", network.GetProperty("tokenBalance").GetProperty("type").GetString());
    }

    [Fact]
    public void The_capture_names_its_query_parameters()
    {
        var parameters = _document.GetProperty("paths").GetProperty("/v1/capture").GetProperty("get").GetProperty("parameters").EnumerateArray().ToList();

        Assert.Equal(["port", "count"], parameters.Select(p => p.GetProperty("name").GetString()));
        Assert.All(parameters, p => Assert.Equal("query", p.GetProperty("in").GetString()));
        Assert.All(parameters, p => Assert.False(string.IsNullOrWhiteSpace(p.GetProperty("description").GetString())));
    }

    private JsonElement Response(string path, string method, string status) =>
        _document.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("responses").GetProperty(status);
}
