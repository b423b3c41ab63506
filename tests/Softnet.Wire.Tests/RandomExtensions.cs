using System.Net;
using System.Net.NetworkInformation;

namespace Softnet.Wire.Tests;

internal static class RandomExtensions
{
    /// <summary>Ports PacketDotNet decodes as another protocol (DHCP, L2TP, Teredo, VXLAN), whose payload it would not expose as bytes.</summary>
    private static readonly HashSet<ushort> DecodedPorts = [67, 68, 1701, 3544, 4789];

    public static byte[] Bytes(this Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    public static ushort UInt16(this Random random) => (ushort)random.Next(0, 65536);

    public static uint UInt32(this Random random) => (uint)random.NextInt64(0, uint.MaxValue + 1L);

    public static ushort Port(this Random random)
    {
        while (true)
        {
            var port = random.UInt16();
            if (!DecodedPorts.Contains(port)) return port;
        }
    }

    public static Ipv4Address Ipv4(this Random random) => new(random.UInt32());

    public static Ipv6Address Ipv6(this Random random) => new((ulong)random.NextInt64() ^ ((ulong)random.Next(2) << 63), (ulong)random.NextInt64());

    public static MacAddress Mac(this Random random) => new((ulong)random.NextInt64(0, 1L << 48));

    public static IPAddress ToIPAddress(this Ipv4Address address)
    {
        var bytes = new byte[4];
        address.WriteTo(bytes);
        return new IPAddress(bytes);
    }

    public static IPAddress ToIPAddress(this Ipv6Address address)
    {
        var bytes = new byte[16];
        address.WriteTo(bytes);
        return new IPAddress(bytes);
    }

    public static PhysicalAddress ToPhysicalAddress(this MacAddress mac)
    {
        var bytes = new byte[6];
        mac.WriteTo(bytes);
        return new PhysicalAddress(bytes);
    }

    public static Ipv4Address ToIpv4(this IPAddress address) => Ipv4Address.Read(address.GetAddressBytes());

    public static Ipv6Address ToIpv6(this IPAddress address) => Ipv6Address.Read(address.GetAddressBytes());

    public static MacAddress ToMac(this PhysicalAddress address) => MacAddress.Read(address.GetAddressBytes());
}
