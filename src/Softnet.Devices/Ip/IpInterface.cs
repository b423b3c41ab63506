using Softnet.Wire;

namespace Softnet.Devices.Ip;

/// <summary>The addresses an IP device has on one of its ports.</summary>
public sealed class IpInterface
{
    private readonly List<Ipv4Prefix> _ipv4Subnets = [];
    private readonly List<Ipv4Address> _ipv4 = [];
    private readonly List<Ipv6Prefix> _ipv6Subnets = [];
    private readonly List<Ipv6Address> _ipv6 = [];

    internal IpInterface(int port, MacAddress mac)
    {
        Port = port;
        LinkLocal = Ipv6Address.LinkLocalFromMac(mac);
    }

    public int Port { get; }
    public IReadOnlyList<Ipv4Address> Ipv4Addresses => _ipv4;
    public IReadOnlyList<Ipv4Prefix> Ipv4Subnets => _ipv4Subnets;
    public IReadOnlyList<Ipv6Address> Ipv6Addresses => _ipv6;
    public IReadOnlyList<Ipv6Prefix> Ipv6Subnets => _ipv6Subnets;

    /// <summary>The fe80::/64 address derived from the port's MAC (modified EUI-64), always present.</summary>
    public Ipv6Address LinkLocal { get; }

    /// <summary>The address the device speaks from on this port (ICMP errors, ARP), or null.</summary>
    public Ipv4Address? PrimaryIpv4 => _ipv4.Count > 0 ? _ipv4[0] : null;

    /// <summary>The global address the device speaks from on this port, else its link-local one.</summary>
    public Ipv6Address PrimaryIpv6 => _ipv6.Count > 0 ? _ipv6[0] : LinkLocal;

    public bool Owns(Ipv4Address address) => _ipv4.Contains(address);

    public bool Owns(Ipv6Address address) => address == LinkLocal || _ipv6.Contains(address);

    /// <summary>True when <paramref name="address"/> is one of this port's solicited-node multicast groups.</summary>
    public bool IsSolicitedNodeGroup(Ipv6Address address)
    {
        if (address == LinkLocal.SolicitedNodeMulticast) return true;
        foreach (var own in _ipv6)
        {
            if (own.SolicitedNodeMulticast == address) return true;
        }
        return false;
    }

    internal void Add(Ipv4Address address, Ipv4Prefix subnet)
    {
        _ipv4.Add(address);
        _ipv4Subnets.Add(subnet);
    }

    internal void Add(Ipv6Address address, Ipv6Prefix subnet)
    {
        _ipv6.Add(address);
        _ipv6Subnets.Add(subnet);
    }
}
