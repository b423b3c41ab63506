namespace Softnet.Hypervisor.Topology;

/// <summary>One problem in a topology file, at a 1-based line and column.</summary>
public sealed record TopologyError(int Line, int Column, string Message)
{
    public string Format(string sourceName) => $"{sourceName}:{Line}:{Column}: {Message}";
}

/// <summary>A topology file that could not be loaded; <see cref="Errors"/> lists every problem found, in file order.</summary>
public sealed class TopologyException(string sourceName, IReadOnlyList<TopologyError> errors)
    : Exception(string.Join(Environment.NewLine, errors.Select(e => e.Format(sourceName))))
{
    public string SourceName { get; } = sourceName;
    public IReadOnlyList<TopologyError> Errors { get; } = errors;
}
