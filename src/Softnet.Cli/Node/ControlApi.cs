using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Softnet.Control.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.OpenApi;
using Softnet.Cli.Node.Metrics;
using Softnet.Hypervisor.Runtime;

namespace Softnet.Cli.Node;

/// <summary>
/// The node's control API: HTTP/JSON on a Unix socket (no TCP port), served by the hypervisor's process.
/// <list type="bullet">
/// <item><c>GET /v1/status</c>: <see cref="NodeStatus"/>.</item>
/// <item><c>GET /v1/inspect</c>: the <c>HypervisorSnapshot</c> (503 while starting).</item>
/// <item><c>GET /v1/capture?port=r1:eth0[&amp;count=N]</c>: a pcap stream until the client goes away, N frames, or shutdown; 404 for an unknown port.</item>
/// <item><c>GET /v1/links</c>: every link and its state (<see cref="NodeLink"/>); <c>POST /v1/links</c> (a <see cref="NodeLinkRequest"/>):
/// takes a link down or up (<see cref="LinkChange"/>); 404 for an unknown network or link, 415 for a body that is not JSON.</item>
/// <item><c>POST /v1/shutdown</c>: 202, then the application stops (its owner disposes the hypervisor).</item>
/// <item><c>GET /metrics</c>: the snapshot in the Prometheus text format (<see cref="NodeMetrics"/>; 503 while starting).</item>
/// <item><c>GET /openapi/v1.json</c>: the OpenAPI document of all of the above.</item>
/// </list>
/// Errors are <c>{"error": "..."}</c> (<see cref="ControlError"/>): 400 for a query parameter that is unknown, repeated or
/// malformed, 404 for an unknown path, 405 for a method the path does not take; a refused request changes nothing.
/// </summary>
public static class ControlApi
{
    public const string PcapMediaType = "application/vnd.tcpdump.pcap";
    public const string OpenApiPath = "/openapi/v1.json";

    /// <summary>An application listening on <paramref name="socketPath"/> (a stale socket file there is replaced); start it with <c>StartAsync</c>.</summary>
    public static WebApplication Build(string socketPath, INodeService node, Action<ILoggingBuilder> logging)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ApplicationName = "softnet-node",
            EnvironmentName = Environments.Production,
            ContentRootPath = Path.GetDirectoryName(socketPath),
        });
        builder.Logging.ClearProviders();
        logging(builder.Logging);
        File.Delete(socketPath);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenUnixSocket(socketPath));
        // The document's schemas come from these options: make them describe what NodeJson writes, enums as words and
        // numbers as numbers (its named literals for non-finite doubles, which no share is, would come out as objects).
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            foreach (var converter in NodeJson.Options.Converters) json.SerializerOptions.Converters.Add(converter);
        });
        builder.Services.AddOpenApi(openApi => openApi.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "Softnet node control API",
                Version = "v1",
                Description = "The hypervisor of one node, served on its control socket (DIR/control.sock). Every error is {\"error\": \"...\"}.",
            };
            // The host a client names on the Unix socket is no address of the node.
            document.Servers = [];
            return Task.CompletedTask;
        }));
        var app = builder.Build();
        app.UseStatusCodePages(EmptyErrors.Explain("the control API", (status, message) => Error(status, message)));
        var stopping = app.Lifetime.ApplicationStopping;
        var metrics = new NodeMetrics(node.Inspect);

        var api = app.MapGroup("")
            .AddEndpointFilterFactory(DeclaredQuery.Only((status, message) => Error(status, message)))
            .WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status400BadRequest, typeof(ControlError), ["application/json"]));
        api.MapGet("/v1/status", () => Results.Json(node.Status, NodeJson.Options))
            .WithName("GetStatus")
            .WithSummary("Whether the hypervisor is ready, who it is, and the steps it has reported since it began to start.")
            .Produces<NodeStatus>();
        api.MapGet("/v1/inspect", () => node.Status is { Ready: true } ? Results.Json(node.Inspect(), NodeJson.Options) : NotReady(node.Status))
            .WithName("Inspect")
            .WithSummary("Every network, domain, port and counter, taken at one moment.")
            .Produces<HypervisorSnapshot>()
            .Produces<ControlError>(StatusCodes.Status503ServiceUnavailable);
        api.MapGet("/v1/capture", (
                HttpContext context,
                [FromQuery, Description("The device port to capture, as device:port (r1:eth0).")] string? port,
                [FromQuery, Description("Frames to capture, at least 1; without it the capture runs until the client goes away.")] string? count) =>
                Capture(context, port, count, node, stopping))
            .WithName("Capture")
            .WithSummary("A pcap stream of a device port's frames until the client goes away, count frames, or the node stops.")
            .Produces<Stream>(StatusCodes.Status200OK, PcapMediaType)
            .Produces<ControlError>(StatusCodes.Status404NotFound)
            .Produces<ControlError>(StatusCodes.Status503ServiceUnavailable);
        api.MapGet("/v1/links", () => node.Status is { Ready: true } ? Results.Json(node.Links(), NodeJson.Options) : NotReady(node.Status))
            .WithName("ListLinks")
            .WithSummary("Every link of every network, with its state as the node sees it: when down, since when and why (operator or carrier).")
            .Produces<List<NodeLink>>()
            .Produces<ControlError>(StatusCodes.Status503ServiceUnavailable);
        api.MapPost("/v1/links", (HttpRequest request, CancellationToken cancellation) => SetLink(request, node, cancellation))
            .WithName("SetLink")
            .WithSummary("Takes a link down as a pulled cable, or brings it back up; the node tells the controller it follows, which routes around it.")
            .AddOpenApiOperationTransformer(async (operation, context, cancellation) =>
            {
                var schema = await context.GetOrCreateSchemaAsync(typeof(NodeLinkRequest), null, cancellation);
                operation.RequestBody = new OpenApiRequestBody
                {
                    Description = "The link's network (optional when one network only has the link), its two ends (node:port, either order) and its state.",
                    Required = true,
                    Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
                };
            })
            .Produces<LinkChange>()
            .Produces<ControlError>(StatusCodes.Status404NotFound)
            .Produces<ControlError>(StatusCodes.Status415UnsupportedMediaType)
            .Produces<ControlError>(StatusCodes.Status503ServiceUnavailable);
        api.MapPost("/v1/shutdown", (HttpContext context) =>
            {
                context.Response.OnCompleted(() =>
                {
                    app.Lifetime.StopApplication();
                    return Task.CompletedTask;
                });
                return Results.Json(new ShutdownReply(true), NodeJson.Options, statusCode: StatusCodes.Status202Accepted);
            })
            .WithName("Shutdown")
            .WithSummary("Stops the node once answered: the hypervisor removes every namespace and link it made.")
            .Produces<ShutdownReply>(StatusCodes.Status202Accepted);
        api.MapGet("/metrics", (CancellationToken cancellation) => node.Status is { Ready: false } status
                ? NotReady(status)
                : Results.Stream(body => metrics.WriteAsync(body, cancellation), NodeMetrics.ContentType))
            .WithName("GetMetrics")
            .WithSummary("Every figure of the snapshot in the Prometheus text exposition format, version 0.0.4.")
            .Produces<string>(StatusCodes.Status200OK, NodeMetrics.ContentType)
            .Produces<ControlError>(StatusCodes.Status503ServiceUnavailable);
        app.MapOpenApi(OpenApiPath);
        return app;
    }

    private static async Task Capture(HttpContext context, string? port, string? countText, INodeService node, CancellationToken stopping)
    {
        long? count = null;
        if (string.IsNullOrEmpty(port))
        {
            await Error(StatusCodes.Status400BadRequest, "Name the port to capture: /v1/capture?port=r1:eth0.").ExecuteAsync(context);
            return;
        }
        if (!string.IsNullOrEmpty(countText))
        {
            if (!long.TryParse(countText, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
            {
                await Error(StatusCodes.Status400BadRequest, $"count must be a whole number of frames, at least 1; found '{countText}'.").ExecuteAsync(context);
                return;
            }
            count = n;
        }
        if (node.Status is { Ready: false } status)
        {
            await NotReady(status).ExecuteAsync(context);
            return;
        }

        // The capture writes from its own thread: synchronous writes, serialized by the limiter, which is also the
        // only writer of the body until this handler returns.
        context.Features.GetRequiredFeature<IHttpBodyControlFeature>().AllowSynchronousIO = true;
        context.Response.ContentType = PcapMediaType;
        using var limiter = new PcapRecordLimiter(context.Response.Body, count);
        IDisposable capture;
        try
        {
            capture = node.Capture(port, limiter);
        }
        catch (ArgumentException e) when (!context.Response.HasStarted)
        {
            await Error(StatusCodes.Status404NotFound, e.Message).ExecuteAsync(context);
            return;
        }
        using (capture)
        {
            using var ended = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
            try
            {
                limiter.Flush();
                await limiter.Completion.WaitAsync(ended.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
                // The client went away or the node is stopping: the capture ends here.
            }
        }
    }

    private static async Task<IResult> SetLink(HttpRequest request, INodeService node, CancellationToken cancellation)
    {
        if (!request.HasJsonContentType())
            return Error(StatusCodes.Status415UnsupportedMediaType, $"{request.Path} takes application/json; the request's content type is '{request.ContentType ?? "none"}'.");
        NodeLinkRequest? body;
        try
        {
            body = await request.ReadFromJsonAsync<NodeLinkRequest>(NodeJson.Options, cancellation);
        }
        catch (JsonException e)
        {
            return Error(StatusCodes.Status400BadRequest, $"The body of {request.Path} is not valid JSON: {e.Message.Split(" Path:")[0]}");
        }
        if (body is not { A: { Length: > 0 } a, B: { Length: > 0 } b, Up: { } up })
            return Error(StatusCodes.Status400BadRequest, "Give the link's ends and its state: {\"network\": \"lab\", \"a\": \"r1:eth1\", \"b\": \"r2:eth0\", \"up\": false}.");
        if (node.Status is { Ready: false } status) return NotReady(status);
        try
        {
            return Results.Json(await node.SetLinkAsync(string.IsNullOrEmpty(body.Network) ? null : body.Network, a, b, up, cancellation), NodeJson.Options);
        }
        catch (NodeRequestException e)
        {
            return Error(e.Status, e.Message);
        }
    }

    private static IResult NotReady(NodeStatus status) =>
        Error(StatusCodes.Status503ServiceUnavailable, $"The hypervisor is still starting ({status.Steps.LastOrDefault() ?? "no step reported yet"}).");

    private static IResult Error(int status, string message) => Results.Json(new ControlError(message), NodeJson.Options, statusCode: status);
}

/// <summary>The body of every error the control API returns.</summary>
public sealed record ControlError(string Error);

/// <summary>The body of <c>POST /v1/shutdown</c>'s answer.</summary>
public sealed record ShutdownReply(bool Stopping);
