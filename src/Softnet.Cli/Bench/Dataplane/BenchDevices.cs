using Softnet.Cli.Bench.RoutingData;
using Softnet.Devices.Ip;
using Softnet.Wire;

namespace Softnet.Cli.Bench.Dataplane;

/// <summary>The wiring the router and LSR workloads share: one neighbour per port, configured statically so that nothing is ever resolved.</summary>
internal static class BenchDevices
{
    /// <summary>Buffers per device: one vector in flight needs 256; the rest is slack.</summary>
    public const int PoolCapacity = 1024;

    /// <summary>Ports of a router or LSR, one neighbour (next hop) on each.</summary>
    public const int Ports = RoutingTables.DefaultNeighbours;

    /// <summary>
    /// Adds ports eth0..eth15; port p gets 10.0.p.1/24 and 2001:db8:0:p::1/64, and neighbour 10.0.p.2 and
    /// 2001:db8:0:p::2 with a static MAC. Returns the neighbours, index p on port p.
    /// </summary>
    public static (List<(int Port, Ipv4Address Gateway)> Ipv4, List<(int Port, Ipv6Address Gateway)> Ipv6) AddPorts(IpDevice device)
    {
        var ipv4 = new List<(int, Ipv4Address)>();
        var ipv6 = new List<(int, Ipv6Address)>();
        for (var port = 0; port < Ports; port++)
        {
            var name = $"eth{port}";
            device.AddInterface(name);
            device.AddAddress(name, $"10.0.{port}.1/24");
            device.AddAddress(name, $"2001:db8:0:{port:x}::1/64");
            var gateway4 = new Ipv4Address(10, 0, (byte)port, 2);
            var gateway6 = new Ipv6Address(0x2001_0db8_0000_0000UL | (uint)port, 2);
            device.AddStaticNeighbor(name, gateway4.ToString(), NeighbourMac(port));
            device.AddStaticNeighbor(name, gateway6.ToString(), NeighbourMac(port));
            ipv4.Add((port, gateway4));
            ipv6.Add((port, gateway6));
        }
        return (ipv4, ipv6);
    }

    /// <summary>The MAC of the neighbour on port <paramref name="port"/>.</summary>
    public static MacAddress NeighbourMac(int port) => new(0x0200_0A00_0002UL | (ulong)port << 8);

    /// <summary>The MAC of the station that sends the workload's traffic into port <paramref name="port"/>.</summary>
    public static MacAddress SenderMac(int port) => new(0x0200_0A00_0003UL | (ulong)port << 8);
}
