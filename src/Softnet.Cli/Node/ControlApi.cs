using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Softnet.Cli.Node;

/// <summary>
/// The node's control API: HTTP/JSON on a Unix socket (no TCP port), served by the hypervisor's process.
/// <list type="bullet">
/// <item><c>GET /v1/status</c>: <see cref="NodeStatus"/>.</item>
/// <item><c>GET /v1/inspect</c>: the <c>HypervisorSnapshot</c> (503 while starting).</item>
/// <item><c>GET /v1/capture?port=r1:eth0[&amp;count=N]</c>: a pcap stream until the client goes away, N frames, or shutdown; 404 for an unknown port.</item>
/// <item><c>POST /v1/shutdown</c>: 202, then the application stops (its owner disposes the hypervisor).</item>
/// </list>
/// Errors are <c>{"error": "..."}</c>.
/// </summary>
public static class ControlApi
{
    public const string PcapMediaType = "application/vnd.tcpdump.pcap";

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
        var app = builder.Build();
        var stopping = app.Lifetime.ApplicationStopping;
        app.MapGet("/v1/status", () => Results.Json(node.Status, NodeJson.Options));
        app.MapGet("/v1/inspect", () => node.Status is { Ready: true } ? Results.Json(node.Inspect(), NodeJson.Options) : NotReady(node.Status));
        app.MapGet("/v1/capture", context => Capture(context, node, stopping));
        app.MapPost("/v1/shutdown", (HttpContext context) =>
        {
            context.Response.OnCompleted(() =>
            {
                app.Lifetime.StopApplication();
                return Task.CompletedTask;
            });
            return Results.Json(new ShutdownReply(true), NodeJson.Options, statusCode: StatusCodes.Status202Accepted);
        });
        return app;
    }

    private static async Task Capture(HttpContext context, INodeService node, CancellationToken stopping)
    {
        var port = context.Request.Query["port"].ToString();
        var countText = context.Request.Query["count"].ToString();
        long? count = null;
        if (port.Length == 0)
        {
            await Error(StatusCodes.Status400BadRequest, "Name the port to capture: /v1/capture?port=r1:eth0.").ExecuteAsync(context);
            return;
        }
        if (countText.Length > 0)
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

    private static IResult NotReady(NodeStatus status) =>
        Error(StatusCodes.Status503ServiceUnavailable, $"The hypervisor is still starting ({status.Steps.LastOrDefault() ?? "no step reported yet"}).");

    private static IResult Error(int status, string message) => Results.Json(new ControlError(message), NodeJson.Options, statusCode: status);
}

/// <summary>The body of every error the control API returns.</summary>
public sealed record ControlError(string Error);

/// <summary>The body of <c>POST /v1/shutdown</c>'s answer.</summary>
public sealed record ShutdownReply(bool Stopping);
