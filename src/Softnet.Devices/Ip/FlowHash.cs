using System.Buffers.Binary;
using System.Numerics;
using Softnet.Wire;

namespace Softnet.Devices.Ip;

/// <summary>
/// Hashes a packet's flow (addresses, protocol, and ports for TCP/UDP) so that ECMP keeps every packet of a flow on
/// one path. Uses the CPU's CRC32C instruction where present.
/// </summary>
public static class FlowHash
{
    public static uint Ipv4(Ipv4Packet ip)
    {
        var hash = BitOperations.Crc32C(0u, ((ulong)ip.Source.Value << 32) | ip.Destination.Value);
        var protocol = ip.Protocol;
        var ports = 0u;
        if (protocol is IpProtocol.Tcp or IpProtocol.Udp && !ip.IsFragment && ip.Payload.Length >= 4)
        {
            ports = BinaryPrimitives.ReadUInt32BigEndian(ip.Payload);
        }
        return BitOperations.Crc32C(hash, ((ulong)protocol << 32) | ports);
    }

    public static uint Ipv6(Ipv6Packet ip)
    {
        var source = ip.Source;
        var destination = ip.Destination;
        var hash = BitOperations.Crc32C(0u, source.Upper);
        hash = BitOperations.Crc32C(hash, source.Lower);
        hash = BitOperations.Crc32C(hash, destination.Upper);
        hash = BitOperations.Crc32C(hash, destination.Lower);
        var ports = 0u;
        var protocol = ip.NextHeader;
        if (protocol is IpProtocol.Tcp or IpProtocol.Udp && ip.Payload.Length >= 4)
        {
            ports = BinaryPrimitives.ReadUInt32BigEndian(ip.Payload);
        }
        return BitOperations.Crc32C(hash, ((ulong)protocol << 32 | ports) ^ ip.FlowLabel);
    }
}
