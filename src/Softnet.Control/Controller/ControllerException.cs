using Softnet.Hypervisor.Topology;

namespace Softnet.Control.Controller;

/// <summary>Why the controller refused a request; each maps to one HTTP status of the REST API.</summary>
public enum RefusalKind
{
    /// <summary>The request itself is wrong: a malformed file, an unknown host, a bad name (400).</summary>
    Invalid,

    /// <summary>It names a user or network the controller does not have (404).</summary>
    NotFound,

    /// <summary>It contradicts the current state: the user is already connected, a name is taken (409).</summary>
    Conflict,

    /// <summary>Admission control: the node's capacity cannot carry it (409).</summary>
    Admission,
}

/// <summary>A request the controller refused; it changed nothing. <see cref="Problems"/> lists a file's errors with their positions.</summary>
public sealed class ControllerException(RefusalKind kind, string message, IReadOnlyList<TopologyError>? problems = null) : Exception(message)
{
    public RefusalKind Kind { get; } = kind;
    public IReadOnlyList<TopologyError> Problems { get; } = problems ?? [];
}
