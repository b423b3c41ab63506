using Softnet.DataPlane;
using Softnet.Wire;

namespace Softnet.Devices.Ip;

/// <summary>
/// An emulated end host with one port (<c>eth0</c>): ARP and neighbour discovery, answers to pings, and an
/// application side to send pings and UDP datagrams and read what arrives. It never forwards. Whole software
/// networks can be exercised in memory with hosts instead of Linux namespaces.
/// </summary>
public sealed class Host : IpDevice
{
    private const int EchoDataLength = 56;

    public Host(string name, PacketPool pool, MacAddress? mac = null) : base(name, pool, forwarding: false, mpls: false)
    {
        AddInterface("eth0", mac);
    }

    public override string Kind => "host";

    public LocalEndpoints Endpoints => Stack.Endpoints!;

    public void SetGateway(Ipv4Address gateway) => Stack.AddRoute(new Ipv4Prefix(Ipv4Address.Any, 0), [(0, gateway)]);

    public void SetGateway(Ipv6Address gateway) => Stack.AddRoute(new Ipv6Prefix(Ipv6Address.Unspecified, 0), [(0, gateway)]);

    /// <summary>Sends an ICMP echo request; false when the host has no IPv4 address or no free buffer.</summary>
    public bool Ping(Ipv4Address destination, ushort identifier, ushort sequence, int dataLength = EchoDataLength)
    {
        var icmp = Icmpv4Repr.EchoRequest(identifier, sequence, dataLength);
        if (!TryStart4(destination, IpProtocol.Icmp, icmp.BufferLength, out var packet, out var payload)) return false;
        var view = Icmpv4Packet.CreateUnchecked(payload);
        icmp.Emit(view);
        Pattern(view.Data);
        view.FillChecksum();
        return Send(Ip4Lookup, packet);
    }

    /// <summary>Sends an ICMPv6 echo request from the host's global address (else its link-local one).</summary>
    public bool Ping(Ipv6Address destination, ushort identifier, ushort sequence, int dataLength = EchoDataLength)
    {
        var icmp = Icmpv6Repr.EchoRequest(identifier, sequence, dataLength);
        if (!TryStart6(destination, IpProtocol.Icmpv6, icmp.BufferLength, out var packet, out var payload, out var source)) return false;
        var view = Icmpv6Packet.CreateUnchecked(payload);
        icmp.Emit(view);
        Pattern(view.Data);
        view.FillChecksum(source, destination);
        return Send(Ip6Lookup, packet);
    }

    public bool SendUdp(Ipv4Address destination, ushort sourcePort, ushort destinationPort, ReadOnlySpan<byte> data)
    {
        var udp = new UdpRepr(sourcePort, destinationPort, data.Length);
        if (!TryStart4(destination, IpProtocol.Udp, udp.BufferLength, out var packet, out var payload)) return false;
        data.CopyTo(payload[UdpPacket.HeaderLength..]);
        udp.Emit(UdpPacket.CreateUnchecked(payload), Stack.Interface(0).PrimaryIpv4!.Value, destination);
        return Send(Ip4Lookup, packet);
    }

    public bool SendUdp(Ipv6Address destination, ushort sourcePort, ushort destinationPort, ReadOnlySpan<byte> data)
    {
        var udp = new UdpRepr(sourcePort, destinationPort, data.Length);
        if (!TryStart6(destination, IpProtocol.Udp, udp.BufferLength, out var packet, out var payload, out var source)) return false;
        data.CopyTo(payload[UdpPacket.HeaderLength..]);
        udp.Emit(UdpPacket.CreateUnchecked(payload), source, destination);
        return Send(Ip6Lookup, packet);
    }

    private bool TryStart4(Ipv4Address destination, byte protocol, int length, out int packet, out Span<byte> payload)
    {
        payload = default;
        packet = -1;
        if (Stack.Interface(0).PrimaryIpv4 is not { } source || !TryAllocate(Ipv4Packet.MinHeaderLength + length, out packet, out var ip)) return false;
        new Ipv4Repr(source, destination, protocol, length).Emit(Ipv4Packet.CreateUnchecked(ip));
        payload = ip[Ipv4Packet.MinHeaderLength..];
        return true;
    }

    private bool TryStart6(Ipv6Address destination, byte protocol, int length, out int packet, out Span<byte> payload, out Ipv6Address source)
    {
        payload = default;
        var ip = Stack.Interface(0);
        source = destination.IsLinkLocal ? ip.LinkLocal : ip.PrimaryIpv6;
        if (!TryAllocate(Ipv6Packet.HeaderLength + length, out packet, out var bytes)) return false;
        new Ipv6Repr(source, destination, protocol, length).Emit(Ipv6Packet.CreateUnchecked(bytes));
        payload = bytes[Ipv6Packet.HeaderLength..];
        return true;
    }

    private bool TryAllocate(int ipLength, out int packet, out Span<byte> ip)
    {
        ip = default;
        if (!Pool.TryAllocate(out packet)) return false;
        var frame = Pool.Reset(packet, EthernetFrame.HeaderLength + ipLength);
        ref var meta = ref Pool.Meta(packet);
        meta.L3Offset = EthernetFrame.HeaderLength;
        meta.Flags = PacketFlags.LocallyOriginated;
        meta.Timestamp = Now;
        ip = frame[EthernetFrame.HeaderLength..];
        return true;
    }

    private bool Send(Element lookup, int packet)
    {
        Graph.Enqueue(lookup, packet);
        return true;
    }

    private static void Pattern(Span<byte> data)
    {
        for (var i = 0; i < data.Length; i++) data[i] = (byte)i;
    }
}
