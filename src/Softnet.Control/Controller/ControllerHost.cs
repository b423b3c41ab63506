using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.OpenApi;
using Softnet.Control.Store;

namespace Softnet.Control.Controller;

/// <summary>
/// Where the controller listens and keeps its state. Port 0 takes a free port (<see cref="ControllerHost.RestEndpoint"/>
/// tells which). The caller owns <see cref="Store"/>: the host never disposes it, so that a test can restart a
/// controller on the same store.
/// </summary>
public sealed record ControllerHostOptions(IPEndPoint Rest, IPEndPoint Grpc, IStateStore Store)
{
    public static IPEndPoint DefaultRest { get; } = new(IPAddress.Loopback, 7470);
    public static IPEndPoint DefaultGrpc { get; } = new(IPAddress.Loopback, 7471);

    public AdmissionPolicy Admission { get; init; } = new();

    /// <summary>Configures the host's logging (none by default).</summary>
    public Action<ILoggingBuilder>? Logging { get; init; }
}

/// <summary>
/// The controller process: <see cref="ControllerService"/> behind Kestrel, with the REST API (<see cref="RestApi"/>) on
/// HTTP/1.1 at one endpoint and the nodes' gRPC service (<c>softnet.control.v1</c>) on HTTP/2 without TLS (prior
/// knowledge) at another. Stopping ends every subscription cleanly; the nodes keep their state and reconnect.
/// </summary>
public sealed class ControllerHost : IAsyncDisposable
{
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(5);

    private readonly WebApplication _app;
    private readonly ListenOptions _rest;
    private readonly ListenOptions _grpc;

    private ControllerHost(WebApplication app, ControllerService service, ListenOptions rest, ListenOptions grpc) =>
        (_app, Service, _rest, _grpc) = (app, service, rest, grpc);

    public ControllerService Service { get; }

    /// <summary>The REST endpoint as bound (the real port when 0 was asked for).</summary>
    public IPEndPoint RestEndpoint => _rest.IPEndPoint!;

    public IPEndPoint GrpcEndpoint => _grpc.IPEndPoint!;

    public Uri RestAddress => new($"http://{RestEndpoint}/");

    public Uri GrpcAddress => new($"http://{GrpcEndpoint}/");

    /// <summary>Loads the state from the store, plans it and starts listening.</summary>
    /// <exception cref="InvalidDataException">The stored state is not a valid desired state.</exception>
    /// <exception cref="StateStoreException">The store cannot be read.</exception>
    /// <exception cref="IOException">An endpoint cannot be bound (in use, not an address of this machine).</exception>
    public static async Task<ControllerHost> StartAsync(ControllerHostOptions options, CancellationToken ct)
    {
        var service = await ControllerService.LoadAsync(options.Store, options.Admission, new ControllerMetrics(), ct);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ApplicationName = "softnet-controller",
            EnvironmentName = Environments.Production,
        });
        builder.Logging.ClearProviders();
        options.Logging?.Invoke(builder.Logging);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = ShutdownTimeout);
        ListenOptions? rest = null, grpc = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(options.Rest, listen => (rest = listen).Protocols = HttpProtocols.Http1);
            kestrel.Listen(options.Grpc, listen => (grpc = listen).Protocols = HttpProtocols.Http2);
        });
        builder.Services.AddSingleton(service);
        // Without catch-all endpoints for unknown gRPC methods, which would answer the REST API's wrong paths and methods.
        builder.Services.AddGrpc(grpc => grpc.IgnoreUnknownServices = true);
        // The document's schemas come from these options: make them describe what ControllerJson writes.
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            foreach (var converter in ControllerJson.Options.Converters) json.SerializerOptions.Converters.Add(converter);
        });
        builder.Services.AddOpenApi(openApi => openApi.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "Softnet controller API",
                Version = "v1",
                Description = "The SDN controller's desired state: apply a topology file, connect and disconnect users, trace a packet. Every error is {\"error\": \"...\"}.",
            };
            return Task.CompletedTask;
        }));
        var app = builder.Build();
        RestApi.Map(app, service);
        app.MapGrpcService<NodeService>();
        await app.StartAsync(ct);
        return new ControllerHost(app, service, rest!, grpc!);
    }

    /// <summary>Completes when the host stops: <see cref="StopAsync"/>, Ctrl-C or SIGTERM.</summary>
    public Task WaitForShutdownAsync(CancellationToken ct) => _app.WaitForShutdownAsync(ct);

    public Task StopAsync(CancellationToken ct) => _app.StopAsync(ct);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
