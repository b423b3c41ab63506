using Softnet.Hypervisor.Linux;
using Softnet.Hypervisor.Runtime;

namespace Softnet.Cli.Node;

/// <summary>
/// Softnet's network namespaces and root-namespace links in the kernel, found by the names it gives them
/// (<see cref="HostNames"/>; a host's root link is <see cref="LinuxHostPorts.RootInterfaceName"/> of its namespace).
/// </summary>
public sealed record KernelObjects(IReadOnlyList<string> Namespaces, IReadOnlyList<string> Links)
{
    private const string NamespaceDirectory = "/run/netns", LinkDirectory = "/sys/class/net";

    public bool IsEmpty => Namespaces.Count == 0 && Links.Count == 0;

    /// <summary>Every namespace starting <c>sn-</c> and root interface starting <c>snv</c>, whoever made them.</summary>
    public static KernelObjects All() => new(Names(NamespaceDirectory, HostNames.NamespacePrefix), Names(LinkDirectory, HostNames.InterfacePrefix));

    /// <summary>Those of <paramref name="namespaces"/>, and of their hosts' root links, that exist now.</summary>
    public static KernelObjects Of(IEnumerable<string> namespaces)
    {
        var names = namespaces.Distinct().Order(StringComparer.Ordinal).ToList();
        return new([.. names.Where(ns => File.Exists(Path.Combine(NamespaceDirectory, ns)))],
            [.. names.Select(LinuxHostPorts.RootInterfaceName).Where(link => Path.Exists(Path.Combine(LinkDirectory, link)))]);
    }

    /// <summary>What is in this set and no longer in <paramref name="later"/>.</summary>
    public KernelObjects Without(KernelObjects later) => new([.. Namespaces.Except(later.Namespaces)], [.. Links.Except(later.Links)]);

    /// <summary>Deletes the links (a veth's peer goes with it), then the namespaces; what vanished meanwhile is skipped.</summary>
    public void Remove()
    {
        foreach (var link in Links) Delete(["link", "del", link], Path.Combine(LinkDirectory, link));
        foreach (var ns in Namespaces) Delete(["netns", "del", ns], Path.Combine(NamespaceDirectory, ns));
    }

    private static void Delete(string[] command, string path)
    {
        try
        {
            Ip.Run(command);
        }
        catch (InvalidOperationException) when (!Path.Exists(path))
        {
            // Gone already (its hypervisor was finishing): nothing to remove.
        }
    }

    private static List<string> Names(string directory, string prefix) =>
        Directory.Exists(directory)
            ? [.. Directory.EnumerateFileSystemEntries(directory, prefix + "*").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)]
            : [];
}
