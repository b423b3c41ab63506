using System.Net;
using Softnet.Control.Client;
using Softnet.Control.Controller;
using Softnet.Control.Store;

namespace Softnet.Control.Tests.Controller;

/// <summary>
/// A real controller (Kestrel on loopback) over a file store in a temporary directory. Ports are taken free by the
/// kernel at the first start; <see cref="StartAgainAsync"/> starts a new controller on the same ports and store after <see cref="StopAsync"/>.
/// </summary>
internal sealed class RunningController : IAsyncDisposable
{
    private readonly string _directory;
    private readonly AdmissionPolicy _admission;
    private ControllerHost? _host;
    private (IPEndPoint Http, IPEndPoint Grpc) _endpoints;

    private RunningController(string directory, AdmissionPolicy admission)
    {
        _directory = directory;
        _admission = admission;
        Store = new FileStateStore(directory);
    }

    public IStateStore Store { get; }

    public ControllerHost Host => _host ?? throw new InvalidOperationException("the controller is stopped");

    public ControllerService Service => Host.Service;

    public Uri RestAddress { get; private set; } = null!;

    public Uri GrpcAddress { get; private set; } = null!;

    public static async Task<RunningController> StartAsync(AdmissionPolicy? admission = null)
    {
        var directory = Directory.CreateTempSubdirectory("softnet-controller-").FullName;
        var controller = new RunningController(directory, admission ?? new AdmissionPolicy());
        await controller.StartOnAsync(new IPEndPoint(IPAddress.Loopback, 0), new IPEndPoint(IPAddress.Loopback, 0));
        return controller;
    }

    public ControllerApi Api() => new(RestAddress);

    public async Task StopAsync()
    {
        if (_host is null) return;
        await _host.DisposeAsync();
        _host = null;
    }

    public Task StartAgainAsync() => StartOnAsync(_endpoints.Http, _endpoints.Grpc);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await Store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task StartOnAsync(IPEndPoint rest, IPEndPoint grpc)
    {
        _host = await ControllerHost.StartAsync(new ControllerHostOptions(rest, grpc, Store) { Admission = _admission }, CancellationToken.None);
        _endpoints = (_host.RestEndpoint, _host.GrpcEndpoint);
        RestAddress = _host.RestAddress;
        GrpcAddress = _host.GrpcAddress;
    }
}
