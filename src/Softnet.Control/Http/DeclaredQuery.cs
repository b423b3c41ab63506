using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace Softnet.Control.Http;

/// <summary>
/// The REST APIs' (the controller's and the node's) refusal, before the handler runs, of a query parameter the handler
/// does not declare with <c>[FromQuery]</c> (a misspelt <c>dryRun</c> or <c>count</c> would otherwise be ignored and
/// the request do what it was not asked), and of one given twice.
/// </summary>
public static class DeclaredQuery
{
    /// <summary>An endpoint filter factory answering such requests with <paramref name="error"/>(400, message).</summary>
    public static Func<EndpointFilterFactoryContext, EndpointFilterDelegate, EndpointFilterDelegate> Only(Func<int, string, IResult> error) => (factory, next) =>
    {
        string[] declared = [.. factory.MethodInfo.GetParameters()
            .Select(p => p.GetCustomAttributes().OfType<IFromQueryMetadata>().Select(q => q.Name ?? p.Name).FirstOrDefault())
            .OfType<string>()];
        var takes = declared.Length == 0 ? "takes no query parameters" : $"takes {string.Join(", ", declared)}";
        return context =>
        {
            var request = context.HttpContext.Request;
            foreach (var (name, values) in request.Query)
            {
                if (!declared.Contains(name, StringComparer.OrdinalIgnoreCase))
                    return ValueTask.FromResult<object?>(error(StatusCodes.Status400BadRequest, $"Unknown query parameter '{name}': {request.Path} {takes}."));
                if (values.Count > 1)
                    return ValueTask.FromResult<object?>(error(StatusCodes.Status400BadRequest, $"The query parameter '{name}' is given {values.Count} times; give it once."));
            }
            return next(context);
        };
    };
}
