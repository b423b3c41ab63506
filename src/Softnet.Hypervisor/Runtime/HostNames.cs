namespace Softnet.Hypervisor.Runtime;

/// <summary>
/// Names Softnet gives to what it creates in the kernel, so that <c>softnet down</c> can find and remove them even
/// after the hypervisor was killed.
/// </summary>
public static class HostNames
{
    /// <summary>Every network namespace Softnet creates starts with this.</summary>
    public const string NamespacePrefix = "sn-";

    /// <summary>Every interface Softnet leaves in the root namespace starts with this (at most 15 characters in all).</summary>
    public const string InterfacePrefix = "snv";

    /// <summary>The namespace of host <paramref name="host"/> of network <paramref name="network"/>: <c>sn-lab-h1</c>.</summary>
    public static string Namespace(string network, string host) => $"{NamespacePrefix}{network}-{host}";
}
