namespace Softnet.Cli.Node;

/// <summary>
/// A node command that cannot go on, with the message the user sees and the process exit code: 1 for a failure,
/// 2 when the command needs root.
/// </summary>
public sealed class NodeException(string message, int exitCode = 1, Exception? inner = null) : Exception(message, inner)
{
    public const int NeedsRoot = 2;

    public int ExitCode { get; } = exitCode;
}
