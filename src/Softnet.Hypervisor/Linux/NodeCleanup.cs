using Softnet.Hypervisor.Runtime;

namespace Softnet.Hypervisor.Linux;

/// <summary>Removes what Softnet left in the kernel, for <c>softnet down</c> after a hypervisor was killed.</summary>
public static class NodeCleanup
{
    internal const string NamespaceDirectory = "/run/netns";
    internal const string InterfaceDirectory = "/sys/class/net";

    /// <summary>
    /// Deletes every root-namespace interface named <see cref="HostNames.InterfacePrefix"/>* (a veth's peer goes with
    /// it), then every network namespace named <see cref="HostNames.NamespacePrefix"/>*; returns how many it deleted.
    /// Something that vanishes meanwhile is not counted.
    /// </summary>
    public static int Sweep()
    {
        var removed = 0;
        foreach (var link in Names(InterfaceDirectory, HostNames.InterfacePrefix))
        {
            if (TryRemove(() => Ip.Run("link", "del", link), Path.Combine(InterfaceDirectory, link))) removed++;
        }
        foreach (var ns in Names(NamespaceDirectory, HostNames.NamespacePrefix))
        {
            if (TryRemove(() => Ip.Run("netns", "del", ns), Path.Combine(NamespaceDirectory, ns))) removed++;
        }
        return removed;
    }

    private static List<string> Names(string directory, string prefix) =>
        Directory.Exists(directory)
            ? Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).OfType<string>().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).ToList()
            : [];

    private static bool TryRemove(Action remove, string path)
    {
        try
        {
            remove();
            return true;
        }
        catch (InvalidOperationException) when (!Path.Exists(path))
        {
            return false;
        }
    }
}
