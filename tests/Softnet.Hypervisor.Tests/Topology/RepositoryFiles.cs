namespace Softnet.Hypervisor.Tests.Topology;

/// <summary>Finds files of the repository (examples/, docs/) from the test's output directory.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    public static IEnumerable<string> Examples => Directory.GetFiles(PathOf("examples"), "*.yaml").Order(StringComparer.Ordinal);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Softnet.slnx"))) return dir.FullName;
        throw new InvalidOperationException("Softnet.slnx not found above " + AppContext.BaseDirectory);
    }
}
