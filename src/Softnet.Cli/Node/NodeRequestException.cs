namespace Softnet.Cli.Node;

/// <summary>A request of the control API that the node refuses, changing nothing: <see cref="Status"/> is its 4xx.</summary>
public sealed class NodeRequestException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}
