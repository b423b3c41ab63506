using Softnet.Devices.Ip;
using Softnet.Wire;

namespace Softnet.Benchmarks;

/// <summary>Ports eth0..eth{n-1} on an IP device, each with 10.0.p.1/24, 2001:db8:p::1/64 and a static neighbour .2 / ::2.</summary>
internal static class IpDevices
{
    public static (List<(int Port, Ipv4Address Gateway)> Ipv4, List<(int Port, Ipv6Address Gateway)> Ipv6) AddPorts(IpDevice device, int count)
    {
        var ipv4 = new List<(int, Ipv4Address)>();
        var ipv6 = new List<(int, Ipv6Address)>();
        for (var p = 0; p < count; p++)
        {
            var name = $"eth{p}";
            device.AddInterface(name);
            device.AddAddress(name, $"10.0.{p}.1/24");
            device.AddAddress(name, $"2001:db8:{p:x}::1/64");
            var gateway4 = new Ipv4Address(10, 0, (byte)p, 2);
            var gateway6 = Ipv6Address.Parse($"2001:db8:{p:x}::2");
            device.AddStaticNeighbor(name, gateway4.ToString(), Neighbour(p));
            device.AddStaticNeighbor(name, gateway6.ToString(), Neighbour(p));
            ipv4.Add((p, gateway4));
            ipv6.Add((p, gateway6));
        }
        return (ipv4, ipv6);
    }

    public static MacAddress Neighbour(int port) => new(0x0200_0A00_0002UL | (ulong)port << 8);

    public static MacAddress Sender => new(0x0200_0A00_0003UL);
}
