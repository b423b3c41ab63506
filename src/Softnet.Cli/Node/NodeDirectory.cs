namespace Softnet.Cli.Node;

/// <summary>
/// The state directory of the node's hypervisor (<c>/run/softnet</c> unless <c>--state-dir</c> says otherwise): its
/// control socket, its state file and its log.
/// </summary>
public sealed record NodeDirectory(string Path)
{
    public const string DefaultPath = "/run/softnet";

    public static NodeDirectory Default { get; } = new(DefaultPath);

    /// <summary>The Unix socket the control API listens on; only root may connect (the directory is root's).</summary>
    public string SocketPath => System.IO.Path.Combine(Path, "control.sock");

    /// <summary>Written once the hypervisor is ready, removed when it stops cleanly; left behind by a crash.</summary>
    public string StatePath => System.IO.Path.Combine(Path, "state.json");

    public string LogPath => System.IO.Path.Combine(Path, "hypervisor.log");

    public static NodeDirectory From(string? path) => path is null ? Default : new(System.IO.Path.GetFullPath(path));
}
