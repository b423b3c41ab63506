using Softnet.Control.Controller;

namespace Softnet.Control.Client;

/// <summary>
/// A request the controller refused (<see cref="Status"/> is its HTTP status and the message its error), or that
/// could not reach it (<see cref="Status"/> null).
/// </summary>
public sealed class ControllerApiException(int? status, string message, IReadOnlyList<ProblemView>? problems = null, Exception? inner = null)
    : Exception(message, inner)
{
    public int? Status { get; } = status;
    public IReadOnlyList<ProblemView> Problems { get; } = problems ?? [];
}
