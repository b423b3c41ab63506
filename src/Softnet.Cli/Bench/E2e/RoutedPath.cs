namespace Softnet.Cli.Bench.E2e;

/// <summary>
/// h1 (10.0.1.10/24) to h2 (10.0.2.10/24) through one router, as the bench sees it: the namespaces of the two hosts.
/// <paramref name="Key"/> prefixes the path's figures in the results (<c>softnet</c>, <c>kernel</c>).
/// </summary>
public sealed record RoutedPath(string Key, string ClientNamespace, string ServerNamespace)
{
    public const string ClientAddress = "10.0.1.10";
    public const string ServerAddress = "10.0.2.10";
}
