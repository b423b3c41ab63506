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
    public static int Sweep() => Sweep(HostNames.NamespacePrefix);

    /// <summary>
    /// As <see cref="Sweep()"/>, but only for the namespaces whose names start with <paramref name="namespacePrefix"/>
    /// (itself starting with <see cref="HostNames.NamespacePrefix"/>) and the root links
    /// <see cref="LinuxHostPorts.RootInterfaceName"/> gives them, so that one node's leftovers can go while another
    /// node's (or test's) namespaces stay.
    /// </summary>
    public static int Sweep(string namespacePrefix)
    {
        if (!namespacePrefix.StartsWith(HostNames.NamespacePrefix, StringComparison.Ordinal))
            throw new ArgumentException($"'{namespacePrefix}' does not start with {HostNames.NamespacePrefix}; Softnet removes only what it names.", nameof(namespacePrefix));
        var namespaces = Names(NamespaceDirectory, namespacePrefix);
        var links = namespacePrefix == HostNames.NamespacePrefix
            ? Names(InterfaceDirectory, HostNames.InterfacePrefix)
            : namespaces.Select(LinuxHostPorts.RootInterfaceName).Where(l => Directory.Exists(Path.Combine(InterfaceDirectory, l))).ToList();
        var removed = 0;
        foreach (var link in links)
        {
            if (TryRemove(() => Ip.Run("link", "del", link), Path.Combine(InterfaceDirectory, link))) removed++;
        }
        foreach (var ns in namespaces)
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
