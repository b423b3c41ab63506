using Softnet.Hypervisor.Forwarding;
using Softnet.Hypervisor.Topology;

namespace Softnet.Control.Tests.Routing;

/// <summary>Topology files for the planner tests, and the repository's examples.</summary>
internal static class Topologies
{
    public static string Root { get; } = FindRoot();

    public static IEnumerable<string> Examples => Directory.GetFiles(Path.Combine(Root, "examples"), "*.yaml").Order(StringComparer.Ordinal);

    public static SoftwareNetwork Parse(string yaml) => Assert.Single(TopologyLoader.Parse(yaml, "test.yaml").Networks);

    public static IpPrefix Prefix(string text) => IpPrefix.TryParse(text, out var prefix) ? prefix : throw new FormatException(text);

    public static IpAddress Address(string text) => IpAddress.TryParse(text, out var address) ? address : throw new FormatException(text);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Softnet.slnx"))) return dir.FullName;
        throw new InvalidOperationException("Softnet.slnx not found above " + AppContext.BaseDirectory);
    }
}
