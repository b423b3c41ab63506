using System.ComponentModel;
using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;

namespace Softnet.Cli.Bench.RoutingData;

/// <summary>
/// The npm package @ip-location-db/asn (CC BY 4.0, built from RouteViews BGP data): the address ranges announced
/// by each autonomous system, as asn-ipv4.csv and asn-ipv6.csv. It is fetched with <c>npm pack</c> into a cache
/// directory on first use and read from there afterwards.
/// </summary>
public static class AsnPackage
{
    public const string PackageName = "@ip-location-db/asn";
    public const string Ipv4FileName = "asn-ipv4.csv";
    public const string Ipv6FileName = "asn-ipv6.csv";

    /// <summary>.cache/routing-data under the repository root (the first directory upwards holding Softnet.slnx), else under the current directory.</summary>
    public static string DefaultCacheDirectory
    {
        get
        {
            for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "Softnet.slnx")))
                    return Path.Combine(directory.FullName, ".cache", "routing-data");
            }
            return Path.Combine(Environment.CurrentDirectory, ".cache", "routing-data");
        }
    }

    /// <summary>The directory holding the two CSV files, fetching and extracting the package first if they are missing.</summary>
    /// <exception cref="InvalidOperationException">npm is missing or failed; the message carries npm's error output.</exception>
    public static string Fetch(string cacheDirectory)
    {
        var packageDirectory = Path.Combine(cacheDirectory, "package");
        if (HasBothFiles(packageDirectory)) return packageDirectory;
        Directory.CreateDirectory(cacheDirectory);
        var tarball = Pack(cacheDirectory);
        using (var file = File.OpenRead(tarball))
        using (var gzip = new GZipStream(file, CompressionMode.Decompress))
        {
            TarFile.ExtractToDirectory(gzip, cacheDirectory, overwriteFiles: true);
        }
        File.Delete(tarball);
        if (!HasBothFiles(packageDirectory))
            throw new InvalidDataException($"The npm package {PackageName} holds no {Ipv4FileName} and {Ipv6FileName} (looked in {packageDirectory}).");
        return packageDirectory;
    }

    private static bool HasBothFiles(string directory) =>
        File.Exists(Path.Combine(directory, Ipv4FileName)) && File.Exists(Path.Combine(directory, Ipv6FileName));

    // Runs `npm pack`, which downloads the package tarball without installing it, and returns the tarball's path.
    private static string Pack(string destination)
    {
        var start = new ProcessStartInfo("npm")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = destination,
        };
        foreach (var argument in new[] { "pack", PackageName, "--pack-destination", destination, "--loglevel=error" })
            start.ArgumentList.Add(argument);

        Process npm;
        try
        {
            npm = Process.Start(start) ?? throw Failure("npm did not start");
        }
        catch (Win32Exception e)
        {
            throw Failure($"npm could not be run ({e.Message})");
        }
        using (npm)
        {
            var output = npm.StandardOutput.ReadToEndAsync();
            var errors = npm.StandardError.ReadToEnd();
            npm.WaitForExit();
            if (npm.ExitCode != 0)
                throw Failure(errors.Trim() is { Length: > 0 } text ? text : $"npm exited with code {npm.ExitCode}");
            var name = output.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
            var tarball = name is null ? null : Path.Combine(destination, name);
            return tarball is not null && File.Exists(tarball) ? tarball : throw Failure($"npm reported no tarball (its output was '{output.Result.Trim()}')");
        }
    }

    private static InvalidOperationException Failure(string reason) => new($"could not fetch the npm package {PackageName}: {reason}");
}
