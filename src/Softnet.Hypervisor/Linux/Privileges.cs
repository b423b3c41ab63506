namespace Softnet.Hypervisor.Linux;

/// <summary>Whether this process may change the node's networking (namespaces, TAP devices, veth links).</summary>
public static class Privileges
{
    /// <summary>True when running as root (effective uid 0), which brings CAP_NET_ADMIN.</summary>
    public static bool IsRoot => Environment.IsPrivilegedProcess;

    /// <summary>Throws <see cref="UnauthorizedAccessException"/> saying what <paramref name="action"/> needs unless running as root.</summary>
    public static void Require(string action)
    {
        if (IsRoot) return;
        throw new UnauthorizedAccessException(
            $"{action} needs root (CAP_NET_ADMIN) to create and remove network namespaces, TAP devices and veth links; run it with sudo.");
    }
}
