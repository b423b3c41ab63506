using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;

namespace Softnet.Control.Http;

/// <summary>
/// The REST APIs' JSON body for the errors routing answers without one: 404 (no such path, with the operations the API
/// serves) and 405 (wrong method, with the ones it takes).
/// </summary>
public static class EmptyErrors
{
    /// <summary>A status-code-pages handler for <paramref name="api"/> ("the controller") answering with <paramref name="error"/>(status, message).</summary>
    public static Func<StatusCodeContext, Task> Explain(string api, Func<int, string, IResult> error) => context =>
    {
        var http = context.HttpContext;
        var request = http.Request;
        var status = http.Response.StatusCode;
        var message = status switch
        {
            StatusCodes.Status404NotFound => $"No {request.Method} {request.Path}; {api} serves {string.Join(", ", Operations(http.RequestServices))}.",
            StatusCodes.Status405MethodNotAllowed => $"{request.Path} does not take {request.Method}; use {http.Response.Headers.Allow}.",
            _ => $"{request.Method} {request.Path}: {ReasonPhrases.GetReasonPhrase(status)}.",
        };
        return error(status, message).ExecuteAsync(http);
    };

    /// <summary>Every method and path the application maps for REST (not gRPC), as <c>GET /v1/state</c>.</summary>
    private static IEnumerable<string> Operations(IServiceProvider services) =>
        from endpoint in services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
        from method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []
        where endpoint.Metadata.GetMetadata<Grpc.AspNetCore.Server.GrpcMethodMetadata>() is null
        select $"{method} /{endpoint.RoutePattern.RawText?.TrimStart('/')}";
}
