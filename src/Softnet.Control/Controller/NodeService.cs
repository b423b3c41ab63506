using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Softnet.Control.Store;
using V1 = Softnet.Control.V1;

namespace Softnet.Control.Controller;

/// <summary>
/// <c>softnet.control.v1.Controller</c>, the nodes' interface: streams the desired state to a node, and takes its
/// link reports (one at a time, and its whole view of its links as it subscribes, before the first state goes out). The subscription's response headers go out at once (so the node knows it is connected even when it
/// is current); the call ends cleanly when the controller stops.
/// </summary>
internal sealed class NodeService(ControllerService controller, IHostApplicationLifetime lifetime, ILogger<NodeService> log)
    : V1.Controller.ControllerBase
{
    /// <summary>Response header with the controller's version when the call began.</summary>
    public const string VersionHeader = "softnet-controller-version";

    public override async Task Subscribe(V1.SubscribeRequest request, IServerStreamWriter<V1.NodeState> responseStream, ServerCallContext context)
    {
        if (string.IsNullOrWhiteSpace(request.Node))
            throw new RpcException(new Status(StatusCode.InvalidArgument, "name the node (SubscribeRequest.node)"));
        if (request.Capacity is not { Workers: > 0, PacketBuffers: > 0, BufferSize: > 0 } capacity)
            throw new RpcException(new Status(StatusCode.InvalidArgument, "report the node's capacity: workers, packet buffers and buffer size, each at least 1"));

        using var ended = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        using var lease = controller.Attach(request.Node, new NodeCapacity((int)Math.Min(capacity.Workers, int.MaxValue),
            (int)Math.Min(capacity.PacketBuffers, int.MaxValue), (int)Math.Min(capacity.BufferSize, int.MaxValue)), request.Version);
        if (request.Links is { } view)
        {
            try
            {
                var taken = await controller.TakeLinkViewAsync(request.Node, view.Down.Select(l => (l.Network, l.A, l.B)), ended.Token);
                foreach (var entry in taken.Ignored) log.LogWarning("node {Node} sees a link down that the desired state does not have: {Link}", request.Node, entry);
                if (taken.NewVersion is { } changed) log.LogInformation("node {Node}: its view of its links makes version {Version}", request.Node, changed);
            }
            catch (StateStoreException e)
            {
                throw new RpcException(new Status(StatusCode.Unavailable, $"the state store failed, nothing was changed: {e.Message}"));
            }
        }
        log.LogInformation("node {Node} subscribed at version {Version} (controller at {Current})", request.Node, request.Version, controller.Version);
        await context.WriteResponseHeadersAsync(new Metadata { { VersionHeader, controller.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) } });
        var known = request.Version;
        try
        {
            while (true)
            {
                var (state, message) = await controller.NextAsync(known, ended.Token);
                await responseStream.WriteAsync(message, ended.Token);
                lease.Sent(state.Version);
                known = state.Version;
            }
        }
        catch (Exception e) when (ended.IsCancellationRequested && e is OperationCanceledException or IOException or InvalidOperationException)
        {
            log.LogInformation("node {Node} unsubscribed at version {Version}", request.Node, known);
        }
    }

    public override async Task<V1.LinkReply> ReportLink(V1.LinkReport request, ServerCallContext context)
    {
        try
        {
            var result = await controller.ReportLinkAsync(request.Node, request.Network, request.A, request.B, request.Up, context.CancellationToken);
            log.LogInformation("node {Node}: {Network} link {Link} {State} (version {Version})",
                request.Node, result.Network, DownLink.Describe(result.Link), result.Up ? "up" : "down", result.Version);
            return new V1.LinkReply { Version = result.Version };
        }
        catch (ControllerException e)
        {
            throw new RpcException(new Status(e.Kind == RefusalKind.NotFound ? StatusCode.NotFound : StatusCode.InvalidArgument, e.Message));
        }
        catch (StateStoreException e)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, $"the state store failed, nothing was changed: {e.Message}"));
        }
    }
}
