using Softnet.Hypervisor.Linux;
using Softnet.Hypervisor.Runtime;

namespace Softnet.Cli.Bench.E2e;

/// <summary>
/// The reference: h1 — r1 — h2 in three namespaces of their own (<c>sn-e2ek-h1</c>, <c>-r1</c>, <c>-h2</c>, so that
/// <c>softnet down</c> sweeps them after a crash), joined by veth pairs made inside the namespaces, with r1 a Linux
/// kernel router (<c>net.ipv4.ip_forward=1</c>). The veths keep their default offloads (TSO, GSO, checksum), the
/// kernel's best case. Disposing deletes the namespaces and with them the veths.
/// </summary>
internal sealed class KernelRouterPath : IDisposable
{
    public const string Network = "e2ek";

    private const string NamespaceDirectory = "/run/netns";

    private static readonly string[] Nodes = ["h1", "r1", "h2"];

    private readonly List<string> _created = [];

    private KernelRouterPath()
    {
    }

    public RoutedPath Path { get; } = new("kernel", Namespace("h1"), Namespace("h2"));

    public string RouterNamespace { get; } = Namespace("r1");

    /// <exception cref="InvalidOperationException">A namespace of that name exists already, or an <c>ip</c> command failed.</exception>
    public static KernelRouterPath Create()
    {
        var path = new KernelRouterPath();
        try
        {
            path.Build();
            return path;
        }
        catch
        {
            path.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        InvalidOperationException? failure = null;
        foreach (var ns in _created)
        {
            try
            {
                if (Exists(ns)) Ip.Run("netns", "del", ns);
            }
            catch (InvalidOperationException e)
            {
                failure ??= e;
            }
        }
        _created.Clear();
        if (failure is not null) throw failure;
    }

    private static string Namespace(string node) => HostNames.Namespace(Network, node);

    private static bool Exists(string ns) => File.Exists(System.IO.Path.Combine(NamespaceDirectory, ns));

    private void Build()
    {
        foreach (var node in Nodes)
        {
            var ns = Namespace(node);
            if (Exists(ns))
                throw new InvalidOperationException($"Network namespace {ns} exists already (left by an earlier run? `softnet down` removes it).");
            Ip.Run("netns", "add", ns);
            _created.Add(ns);
            Ip.Run("-n", ns, "link", "set", "lo", "up");
        }
        string h1 = Path.ClientNamespace, r1 = RouterNamespace, h2 = Path.ServerNamespace;
        Ip.Run("-n", h1, "link", "add", "eth0", "type", "veth", "peer", "name", "eth0", "netns", r1);
        Ip.Run("-n", h2, "link", "add", "eth0", "type", "veth", "peer", "name", "eth1", "netns", r1);
        Configure(r1, "eth0", "10.0.1.1/24");
        Configure(r1, "eth1", "10.0.2.1/24");
        Configure(h1, "eth0", RoutedPath.ClientAddress + "/24");
        Configure(h2, "eth0", RoutedPath.ServerAddress + "/24");
        Ip.Run("-n", h1, "route", "add", "default", "via", "10.0.1.1");
        Ip.Run("-n", h2, "route", "add", "default", "via", "10.0.2.1");
        // /proc/sys/net shows the namespace of the process reading it.
        Ip.Run("netns", "exec", r1, "sh", "-c", "echo 1 > /proc/sys/net/ipv4/ip_forward");
    }

    private static void Configure(string ns, string device, string address)
    {
        Ip.Run("-n", ns, "addr", "add", address, "dev", device);
        Ip.Run("-n", ns, "link", "set", device, "mtu", "1500", "up");
    }
}
