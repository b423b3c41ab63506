using System.Security.Cryptography;
using System.Text;
using Softnet.DataPlane;
using Softnet.Hypervisor.Runtime;
using Softnet.Hypervisor.Topology;

namespace Softnet.Hypervisor.Linux;

/// <summary>
/// Makes each real host a network namespace (<see cref="HostNames.Namespace"/>) whose <c>eth0</c> is the other end of
/// the physical port: the TAP device itself, moved into the namespace, or the peer of a veth whose root end carries an
/// AF_PACKET socket. <c>eth0</c> gets MTU 1500, the host's addresses (IPv6 without duplicate address detection, so they
/// work at once) and default routes via its gateways. Needs root. Given a callback, it watches each host's link for
/// carrier (<see cref="CarrierMonitor"/>): the TAP, eth0 itself, in the host's namespace; the veth's root end, which
/// loses its carrier when eth0 goes down.
/// </summary>
public sealed class LinuxHostPorts : IHostPortProvider, IDisposable
{
    private const string HostInterface = HostSpec.InterfaceName;
    private const string Mtu = "1500";

    private readonly CarrierMonitor? _carrier;
    private readonly Action<HostCarrier>? _onCarrier;
    private readonly Lock _watchesLock = new();
    private readonly Dictionary<(string Network, string Host), IDisposable> _watches = [];

    /// <summary>Host ports without carrier detection.</summary>
    public LinuxHostPorts()
    {
    }

    /// <param name="onCarrier">Called, on the carrier monitor's thread, when a host's eth0 stops carrying frames (taken
    /// down in its namespace: <c>ip -n NS link set eth0 down</c>) or carries them again; it must neither throw nor block.</param>
    public LinuxHostPorts(Action<HostCarrier> onCarrier)
    {
        _onCarrier = onCarrier;
        _carrier = new CarrierMonitor();
    }

    public IPhysicalPort Attach(SoftwareNetwork network, HostSpec host, PhysicalPortKind kind, PacketPool pool)
    {
        if (kind == PhysicalPortKind.Memory)
            throw new NotSupportedException($"Host {network.Name}/{host.Name} has a memory port: the hypervisor serves memory hosts itself, without a namespace.");
        var ns = HostNames.Namespace(network.Name, host.Name);
        var link = RootInterfaceName(ns);
        if (File.Exists(Path.Combine(NodeCleanup.NamespaceDirectory, ns)))
            throw new InvalidOperationException($"Network namespace {ns} for host {network.Name}/{host.Name} exists already (left by an earlier run? `softnet down` removes it).");
        if (Path.Exists(Path.Combine(NodeCleanup.InterfaceDirectory, link)))
            throw new InvalidOperationException($"Interface {link} for host {network.Name}/{host.Name} exists already (left by an earlier run? `softnet down` removes it).");
        IPhysicalPort? port = null;
        try
        {
            Ip.Run("netns", "add", ns);
            Ip.Run("-n", ns, "link", "set", "lo", "up");
            port = kind == PhysicalPortKind.Tap ? AttachTap(ns, link, pool) : AttachVeth(ns, link, pool);
            Configure(ns, host);
            if (_carrier is not null)
            {
                var (name, onCarrier) = (network.Name, _onCarrier!);
                void Changed(bool up)
                {
                    if (up) Restore(ns, host);
                    onCarrier(new HostCarrier(name, host.Name, up));
                }
                var watch = kind == PhysicalPortKind.Tap ? _carrier.Watch(ns, HostInterface, Changed) : _carrier.Watch(null, link, Changed);
                lock (_watchesLock) _watches[(name, host.Name)] = watch;
            }
            return port;
        }
        catch (Exception failure)
        {
            port?.Dispose();
            try
            {
                Detach(network, host);
            }
            catch (Exception cleanup)
            {
                throw new AggregateException($"Attaching host {network.Name}/{host.Name} failed, and so did removing what it had made.", failure, cleanup);
            }
            throw;
        }
    }

    public void Detach(SoftwareNetwork network, HostSpec host)
    {
        IDisposable? watch;
        lock (_watchesLock) _watches.Remove((network.Name, host.Name), out watch);
        watch?.Dispose();
        var ns = HostNames.Namespace(network.Name, host.Name);
        var link = RootInterfaceName(ns);
        if (Path.Exists(Path.Combine(NodeCleanup.InterfaceDirectory, link))) Ip.Run("link", "del", link);
        if (File.Exists(Path.Combine(NodeCleanup.NamespaceDirectory, ns))) Ip.Run("netns", "del", ns);
    }

    /// <summary>Stops the carrier monitor; detach the hosts first (the hypervisor's Dispose does).</summary>
    public void Dispose() => _carrier?.Dispose();

    /// <summary>
    /// The root-namespace interface of the host in <paramref name="ns"/>: <see cref="HostNames.InterfacePrefix"/> and
    /// 12 hex digits of the namespace name's SHA-256, 15 characters, the same in every process.
    /// </summary>
    public static string RootInterfaceName(string ns) =>
        HostNames.InterfacePrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ns)))[..(InterfaceRequest.MaxNameLength - HostNames.InterfacePrefix.Length)];

    /// <summary>Creates the TAP in the root namespace (the open descriptor keeps working after the move), then moves it in as eth0.</summary>
    private static TapPort AttachTap(string ns, string link, PacketPool pool)
    {
        var port = new TapPort(pool, link);
        try
        {
            Ip.Run("link", "set", link, "netns", ns);
            Ip.Run("-n", ns, "link", "set", link, "name", HostInterface);
            port.Name = $"{ns}/{HostInterface}";
            return port;
        }
        catch
        {
            port.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A veth pair: eth0 in the namespace, with segmentation, receive coalescing and checksum offload off so that it
    /// sends whole, checksummed frames of at most the MTU; the root end without IPv6 (so the root stack sends nothing
    /// into the host) and an AF_PACKET socket on it.
    /// </summary>
    private static AfPacketPort AttachVeth(string ns, string link, PacketPool pool)
    {
        Ip.Run("link", "add", link, "type", "veth", "peer", "name", HostInterface, "netns", ns);
        Ip.Run("netns", "exec", ns, "ethtool", "-K", HostInterface, "tso", "off", "gso", "off", "gro", "off", "tx", "off");
        var disableIpv6 = $"/proc/sys/net/ipv6/conf/{link}/disable_ipv6";
        if (File.Exists(disableIpv6)) File.WriteAllText(disableIpv6, "1");
        Ip.Run("link", "set", link, "up");
        return new AfPacketPort(pool, link);
    }

    /// <summary>
    /// Gives eth0 back what Linux took from it while it was down (its IPv6 addresses, and the routes via its
    /// gateways), so that the host is again as the topology declares it. Best effort: a namespace going away meanwhile
    /// leaves nothing to restore.
    /// </summary>
    private static void Restore(string ns, HostSpec host)
    {
        try
        {
            foreach (var address in host.Addresses.Where(a => !a.Address.IsIpv4))
                Ip.Run("-n", ns, "addr", "replace", address.ToString(), "dev", HostInterface, "nodad");
            foreach (var gateway in host.Gateways)
                Ip.Run("-n", ns, gateway.IsIpv4 ? "-4" : "-6", "route", "replace", "default", "via", gateway.ToString(), "dev", HostInterface);
        }
        catch (InvalidOperationException)
        {
            // The host is being taken away (its namespace or eth0 is gone), or eth0 went down again meanwhile: the next
            // change of its carrier says which.
        }
    }

    private static void Configure(string ns, HostSpec host)
    {
        // A host without an IPv6 address sends no IPv6 at all (router solicitations, MLD reports): only its own traffic
        // enters the software network.
        if (host.Addresses.All(a => a.Address.IsIpv4))
            Ip.Run("netns", "exec", ns, "sh", "-c", $"echo 1 > /proc/sys/net/ipv6/conf/{HostInterface}/disable_ipv6");
        // The host's planned MAC, set while eth0 is down: the switches' static entries name it.
        Ip.Run("-n", ns, "link", "set", HostInterface, "address", host.Mac.ToString());
        Ip.Run("-n", ns, "link", "set", HostInterface, "mtu", Mtu, "up");
        foreach (var address in host.Addresses)
        {
            if (address.Address.IsIpv4) Ip.Run("-n", ns, "addr", "add", address.ToString(), "dev", HostInterface);
            else Ip.Run("-n", ns, "addr", "add", address.ToString(), "dev", HostInterface, "nodad");
        }
        foreach (var gateway in host.Gateways)
        {
            Ip.Run("-n", ns, gateway.IsIpv4 ? "-4" : "-6", "route", "add", "default", "via", gateway.ToString(), "dev", HostInterface);
        }
    }
}
