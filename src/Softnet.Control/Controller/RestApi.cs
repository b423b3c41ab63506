using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Softnet.Control.Http;
using Softnet.Control.Store;
using Softnet.Control.Trace;

namespace Softnet.Control.Controller;

/// <summary>
/// The controller's REST API, an adapter over <see cref="ControllerService"/> (docs/control.md):
/// <list type="bullet">
/// <item><c>POST /v1/apply?dryRun=true|false&amp;source=NAME</c>, body the topology file (YAML): <see cref="ApplyReply"/>.</item>
/// <item><c>GET /v1/state</c>: <see cref="StateView"/>.</item>
/// <item><c>GET /v1/users</c>, <c>GET /v1/users/{name}</c>, <c>POST /v1/users</c> (a <see cref="ConnectRequest"/>),
/// <c>DELETE /v1/users/{name}</c>.</item>
/// <item><c>GET /v1/trace?from=h1&amp;to=10.0.2.10&amp;proto=icmp|tcp|udp[&amp;port=N]</c>: <see cref="TraceView"/>.</item>
/// <item><c>POST /v1/links</c> (a <see cref="LinkRequest"/>): <see cref="LinkReply"/>; <c>GET /v1/links</c>: every link down (<see cref="NetworkDownLinkView"/>).</item>
/// <item><c>GET /metrics</c> (Prometheus text format) and <c>GET /openapi/v1.json</c>.</item>
/// </list>
/// Every error is <see cref="ErrorReply"/>: 400 for malformed input (a file's errors with line and column, bad JSON, an
/// unknown or repeated query parameter), 404 for an unknown user, host, network, link or path, 405 for a wrong method, 409 when the
/// state forbids it (admission control, a user connected twice), 503 when the state store fails. A refused request
/// changes nothing.
/// </summary>
public static class RestApi
{
    public const string OpenApiPath = "/openapi/v1.json";
    public const string YamlMediaType = "application/yaml";

    public static void Map(WebApplication app, ControllerService controller)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = ExplainException, StatusCodeSelector = StatusOf });
        app.UseStatusCodePages(EmptyErrors.Explain("the controller", (status, message) => Error(status, message)));

        var api = app.MapGroup("")
            .AddEndpointFilterFactory(DeclaredQuery.Only((status, message) => Error(status, message)))
            .AddEndpointFilter(Refusals)
            .WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status400BadRequest, typeof(ErrorReply), ["application/json"]));

        api.MapPost("/v1/apply", async (
                HttpRequest request,
                [FromQuery, Description("true: only list the changes the file would make.")] string? dryRun,
                [FromQuery, Description("The file's name, for error messages; 'request' when omitted.")] string? source,
                CancellationToken ct) =>
            {
                var dry = ParseBool(dryRun, "dryRun");
                var yaml = await ReadTextAsync(request, ct);
                if (string.IsNullOrWhiteSpace(yaml)) return Error(StatusCodes.Status400BadRequest, "The body must be a topology file (YAML); it is empty.");
                var result = await controller.ApplyAsync(yaml, string.IsNullOrEmpty(source) ? "request" : source, dry, ct);
                return Json(new ApplyReply(result.DryRun, [.. result.Changes.Changes.Select(ChangeView.Of)], result.NewVersion, result.Version));
            })
            .WithName("Apply")
            .WithSummary("Makes the body the applied topology file, or with dryRun=true lists what that would change; prints each change.")
            .WithBody("The topology file (docs/topology.md), whatever its content type.", null, YamlMediaType, "text/yaml", "text/plain")
            .Produces<ApplyReply>()
            .Produces<ErrorReply>(StatusCodes.Status409Conflict)
            .Produces<ErrorReply>(StatusCodes.Status503ServiceUnavailable);

        api.MapGet("/v1/state", () => Json(StateOf(controller)))
            .WithName("GetState")
            .WithSummary("The desired state: its version, every network with its forwarding plan, the users, the nodes, admission figures.")
            .Produces<StateView>();

        api.MapGet("/v1/users", () => Json(controller.Users().Select(UserView.Of).ToList()))
            .WithName("ListUsers")
            .WithSummary("The connected users, by name.")
            .Produces<List<UserView>>();

        api.MapGet("/v1/users/{name}", (string name) => Json(UserView.Of(controller.User(name))))
            .WithName("GetUser")
            .WithSummary("One connected user.")
            .Produces<UserView>()
            .Produces<ErrorReply>(StatusCodes.Status404NotFound);

        api.MapPost("/v1/users", async (HttpRequest request, CancellationToken ct) =>
            {
                var body = await ReadJsonAsync<ConnectRequest>(request, ct);
                if (string.IsNullOrEmpty(body.Name)) return Error(StatusCodes.Status400BadRequest, "Name the user: {\"name\": \"alice\", \"template\": \"...\"}.");
                if (string.IsNullOrWhiteSpace(body.Template)) return Error(StatusCodes.Status400BadRequest, "Give the template, a topology file of one network, as text in \"template\".");
                var result = await controller.ConnectUserAsync(body.Name, body.Template, string.IsNullOrEmpty(body.TemplateSource) ? "template" : body.TemplateSource, ct);
                return Json(new ConnectReply(UserView.Of(result.User), result.Version), StatusCodes.Status201Created);
            })
            .WithName("ConnectUser")
            .WithSummary("Connects a user: makes their software network, user-NAME, from the template, unless admission control refuses it.")
            .WithBody("The user and the template: a topology file of one network, as text.", typeof(ConnectRequest), "application/json")
            .Produces<ConnectReply>(StatusCodes.Status201Created)
            .Produces<ErrorReply>(StatusCodes.Status409Conflict)
            .Produces<ErrorReply>(StatusCodes.Status415UnsupportedMediaType)
            .Produces<ErrorReply>(StatusCodes.Status503ServiceUnavailable);

        api.MapDelete("/v1/users/{name}", async (string name, CancellationToken ct) =>
            {
                var result = await controller.DisconnectUserAsync(name, ct);
                return Json(new DisconnectReply(result.User, result.Network, result.Version));
            })
            .WithName("DisconnectUser")
            .WithSummary("Disconnects a user: removes their software network completely.")
            .Produces<DisconnectReply>()
            .Produces<ErrorReply>(StatusCodes.Status404NotFound)
            .Produces<ErrorReply>(StatusCodes.Status503ServiceUnavailable);

        api.MapGet("/v1/trace", (
                [FromQuery, Description("The sending host: h1, or lab/h1 when several networks have an h1.")] string? from,
                [FromQuery, Description("The destination address, IPv4 or IPv6.")] string? to,
                [FromQuery, Description("icmp, tcp or udp.")] string? proto,
                [FromQuery, Description("The destination port (tcp and udp).")] string? port) =>
            {
                if (string.IsNullOrEmpty(from) || string.IsNullOrEmpty(to) || string.IsNullOrEmpty(proto))
                    return Error(StatusCodes.Status400BadRequest, "Give from, to and proto: /v1/trace?from=h1&to=10.0.2.10&proto=icmp.");
                if (!Enum.TryParse<TraceProtocol>(proto, ignoreCase: true, out var protocol) || !Enum.IsDefined(protocol) || char.IsDigit(proto[0]))
                    return Error(StatusCodes.Status400BadRequest, $"proto must be icmp, tcp or udp; found '{proto}'.");
                ushort? destinationPort = null;
                if (!string.IsNullOrEmpty(port))
                {
                    if (!ushort.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var p))
                        return Error(StatusCodes.Status400BadRequest, $"port must be a number from 0 to 65535; found '{port}'.");
                    destinationPort = p;
                }
                return Json(TraceView.Of(controller.Trace(from, to, protocol, destinationPort)));
            })
            .WithName("Trace")
            .WithSummary("The path a packet would take through its network's devices, and why at each hop; nothing is sent.")
            .Produces<TraceView>()
            .Produces<ErrorReply>(StatusCodes.Status404NotFound);

        api.MapPost("/v1/links", async (HttpRequest request, CancellationToken ct) =>
            {
                var body = await ReadJsonAsync<LinkRequest>(request, ct);
                if (body.Up is not { } up)
                    return Error(StatusCodes.Status400BadRequest, "Say whether the link is up: {\"node\": \"node-a\", \"network\": \"lab\", \"a\": \"r1:eth1\", \"b\": \"r2:eth0\", \"up\": false}.");
                var result = await controller.ReportLinkAsync(body.Node ?? "", body.Network ?? "", body.A ?? "", body.B ?? "", up, ct);
                return Json(LinkReply.Of(result));
            })
            .WithName("ReportLink")
            .WithSummary("A node saw a link of a network go down or come back up: the controller replans that network around the links down and publishes a version with the same topology.")
            .WithBody("The reporting node, the network, the link's two ends (node:port, either order) and its state.", typeof(LinkRequest), "application/json")
            .Produces<LinkReply>()
            .Produces<ErrorReply>(StatusCodes.Status404NotFound)
            .Produces<ErrorReply>(StatusCodes.Status415UnsupportedMediaType)
            .Produces<ErrorReply>(StatusCodes.Status503ServiceUnavailable);

        api.MapGet("/v1/links", () =>
            {
                var state = controller.State;
                return Json(state.Topology.Networks
                    .SelectMany(n => (state.DownLinks.GetValueOrDefault(n.Name) ?? []).Select(d => new NetworkDownLinkView(n.Name, d.Text, d.Node, d.Since)))
                    .ToList());
            })
            .WithName("ListDownLinks")
            .WithSummary("Every link reported down, network by network in the topology's order: which node reported it and since when.")
            .Produces<List<NetworkDownLinkView>>();

        api.MapGet("/metrics", (CancellationToken ct) => Results.Stream(body => controller.Metrics.WriteAsync(body, ct), ControllerMetrics.ContentType))
            .WithName("GetMetrics")
            .WithSummary("The controller's metrics in the Prometheus text exposition format, version 0.0.4.")
            .Produces<string>(StatusCodes.Status200OK, ControllerMetrics.ContentType);

        app.MapOpenApi(OpenApiPath);
    }

    /// <summary>
    /// Describes the request body in the OpenAPI document only. <c>Accepts</c> would also make routing refuse other
    /// content types, with a 404 rather than a clear error: the handlers read and check the body themselves.
    /// </summary>
    /// <param name="json">The body's type for JSON media types; null for text.</param>
    private static RouteHandlerBuilder WithBody(this RouteHandlerBuilder endpoint, string description, Type? json, params string[] mediaTypes) =>
        endpoint.AddOpenApiOperationTransformer(async (operation, context, ct) =>
        {
            IOpenApiSchema schema = json is null ? new OpenApiSchema { Type = JsonSchemaType.String } : await context.GetOrCreateSchemaAsync(json, null, ct);
            operation.RequestBody = new OpenApiRequestBody
            {
                Description = description,
                Required = true,
                Content = mediaTypes.ToDictionary(m => m, _ => new OpenApiMediaType { Schema = schema }),
            };
        });

    private static StateView StateOf(ControllerService controller)
    {
        var state = controller.State;
        var users = state.Users.ToDictionary(u => ControllerState.NetworkOf(u.User), u => u.User);
        var networks = state.Topology.Networks.Select(n => new NetworkView(
            n.Name, n.Architecture, n.Tokens, n.Priority, users.GetValueOrDefault(n.Name), n.Devices.Count, n.Hosts.Count, n.Links.Count,
            [.. state.Plans[n.Name].Devices.Select(d => new DevicePlanView(d.Device, [.. d.Routes.Select(r => r.ToString())], [.. d.Labels.Select(l => l.ToString())], [.. d.Macs.Select(m => m.ToString())]))],
            [.. (state.DownLinks.GetValueOrDefault(n.Name) ?? []).Select(DownLinkView.Of)]));
        var capacity = controller.Capacity;
        var policy = controller.Admission;
        var load = NodeLoad.Of(state.Topology.Networks, policy);
        return new StateView(
            state.Version,
            state.BaseSource.Length == 0 ? null : state.BaseSource,
            [.. networks],
            [.. controller.Users().Select(UserView.Of)],
            [.. controller.Nodes().Select(n => new NodeView(n.Node, n.Subscriptions, n.Version, n.Capacity.Workers, n.Capacity.PacketBuffers, n.Capacity.BufferSize))],
            new AdmissionView(load.Tokens, policy.TokenBudget, load.Devices, policy.DevicesPerWorker * capacity.Workers, load.Buffers, capacity.PacketBuffers));
    }

    private static IResult Json<T>(T value, int status = StatusCodes.Status200OK) => Results.Json(value, ControllerJson.Options, statusCode: status);

    private static IResult Error(int status, string message, IReadOnlyList<ProblemView>? problems = null) =>
        Results.Json(new ErrorReply(message, problems), ControllerJson.Options, statusCode: status);

    /// <summary>Turns a refusal thrown by the service, or a malformed request found by a handler, into its error answer.</summary>
    private static async ValueTask<object?> Refusals(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (ControllerException e)
        {
            var status = e.Kind switch
            {
                RefusalKind.NotFound => StatusCodes.Status404NotFound,
                RefusalKind.Conflict or RefusalKind.Admission => StatusCodes.Status409Conflict,
                _ => StatusCodes.Status400BadRequest,
            };
            return Error(status, e.Message, e.Problems.Count == 0 ? null : [.. e.Problems.Select(p => new ProblemView(p.Line, p.Column, p.Message))]);
        }
        catch (BadRequestException e)
        {
            return Error(e.Status, e.Message);
        }
        catch (StateStoreException e)
        {
            return Error(StatusCodes.Status503ServiceUnavailable, $"The state store failed, nothing was changed: {e.Message}");
        }
    }

    private static bool ParseBool(string? text, string name) => text switch
    {
        null or "" => false,
        _ when bool.TryParse(text, out var value) => value,
        _ => throw new BadRequestException(StatusCodes.Status400BadRequest, $"{name} must be true or false; found '{text}'."),
    };

    private static async Task<string> ReadTextAsync(HttpRequest request, CancellationToken ct)
    {
        using var reader = new StreamReader(request.Body);
        return await reader.ReadToEndAsync(ct);
    }

    private static async Task<T> ReadJsonAsync<T>(HttpRequest request, CancellationToken ct)
    {
        if (!request.HasJsonContentType())
            throw new BadRequestException(StatusCodes.Status415UnsupportedMediaType,
                $"{request.Path} takes application/json; the request's content type is '{request.ContentType ?? "none"}'.");
        try
        {
            return await request.ReadFromJsonAsync<T>(ControllerJson.Options, ct)
                ?? throw new BadRequestException(StatusCodes.Status400BadRequest, $"The body of {request.Path} is null; it must be a JSON object.");
        }
        catch (JsonException e)
        {
            var at = e.LineNumber is { } line ? $" at line {line + 1}, byte {e.BytePositionInLine + 1}" : "";
            throw new BadRequestException(StatusCodes.Status400BadRequest, $"The body of {request.Path} is not valid JSON{at}: {e.Message.Split(" Path:")[0]}");
        }
    }

    private static int StatusOf(Exception exception) =>
        exception is Microsoft.AspNetCore.Http.BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError;

    /// <summary>What escaped a handler: a request Kestrel could not read (its own 4xx), else a fault of the controller (500).</summary>
    private static Task ExplainException(HttpContext http)
    {
        var exception = http.Features.Get<IExceptionHandlerFeature>()?.Error;
        var status = exception is null ? StatusCodes.Status500InternalServerError : StatusOf(exception);
        var message = status < 500 ? exception!.Message : $"The controller failed on {http.Request.Method} {http.Request.Path}: {exception?.Message}";
        return Error(status, message).ExecuteAsync(http);
    }

    /// <summary>A request a handler refuses before it reaches the service.</summary>
    private sealed class BadRequestException(int status, string message) : Exception(message)
    {
        public int Status { get; } = status;
    }
}
