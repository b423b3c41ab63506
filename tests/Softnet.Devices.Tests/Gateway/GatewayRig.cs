using Softnet.Devices.Gateway;
using Softnet.Wire;
using Pd = PacketDotNet;

namespace Softnet.Devices.Tests.Gateway;

/// <summary>
/// A gateway <c>gw</c> between the networks <c>blue</c> (port eth0) and <c>red</c> (port eth1), each reached through
/// that network's router on a transit link with a static neighbour entry, and a probe on each port standing for
/// that router.
/// </summary>
internal sealed class GatewayRig
{
    public static readonly MacAddress BlueRouterMac = MacAddress.Parse("02:00:00:00:0b:01");
    public static readonly MacAddress RedRouterMac = MacAddress.Parse("02:00:00:00:0e:01");
    public static readonly Ipv4Address BlueRouter = Ipv4Address.Parse("192.168.1.2");
    public static readonly Ipv4Address RedRouter = Ipv4Address.Parse("192.168.2.2");
    public static readonly Ipv6Address BlueRouter6 = Ipv6Address.Parse("2001:db8:ffb::2");
    public static readonly Ipv6Address RedRouter6 = Ipv6Address.Parse("2001:db8:ffe::2");

    public GatewayRig(GatewayOptions? options = null)
    {
        Gateway = Net.Add(new SecureGateway("gw", Net.Pool, ["blue", "red"], options));
        Gateway.AddInterface("eth0");
        Gateway.AddInterface("eth1");
        Gateway.AddAddress("eth0", "192.168.1.1/30");
        Gateway.AddAddress("eth1", "192.168.2.1/30");
        Gateway.AddAddress("eth0", "2001:db8:ffb::1/64");
        Gateway.AddAddress("eth1", "2001:db8:ffe::1/64");
        Gateway.AddStaticNeighbor("eth0", BlueRouter.ToString(), BlueRouterMac);
        Gateway.AddStaticNeighbor("eth1", RedRouter.ToString(), RedRouterMac);
        Gateway.AddStaticNeighbor("eth0", BlueRouter6.ToString(), BlueRouterMac);
        Gateway.AddStaticNeighbor("eth1", RedRouter6.ToString(), RedRouterMac);
        Gateway.AddSide("eth0", "blue");
        Gateway.AddSide("eth1", "red");
        Blue = Net.Probe(Gateway.Port("eth0"));
        Red = Net.Probe(Gateway.Port("eth1"));
    }

    public TestNet Net { get; } = new();
    public SecureGateway Gateway { get; }
    public Probe Blue { get; }
    public Probe Red { get; }
    public MacAddress Eth0 => Gateway.Port("eth0").Mac;
    public MacAddress Eth1 => Gateway.Port("eth1").Mac;

    /// <summary>Routes <paramref name="prefix"/> to the router of <paramref name="network"/>.</summary>
    public void Route(string prefix, string network)
    {
        if (Ipv4Prefix.TryParse(prefix, null, out var v4)) Gateway.AddRoute(v4, network == "blue" ? ("eth0", BlueRouter) : ("eth1", RedRouter));
        else Gateway.AddRoute(Ipv6Prefix.Parse(prefix, null), network == "blue" ? ("eth0", BlueRouter6) : ("eth1", RedRouter6));
    }

    /// <summary>A frame from the blue router to the gateway.</summary>
    public byte[] FromBlue(Func<MacAddress, MacAddress, byte[]> frame) => frame(Eth0, BlueRouterMac);

    public byte[] FromRed(Func<MacAddress, MacAddress, byte[]> frame) => frame(Eth1, RedRouterMac);

    /// <summary>The same frame as the gateway forwards it to the blue router.</summary>
    public byte[] ToBlue(Func<MacAddress, MacAddress, byte[]> frame) => frame(BlueRouterMac, Eth0);

    public byte[] ToRed(Func<MacAddress, MacAddress, byte[]> frame) => frame(RedRouterMac, Eth1);

    /// <summary>What element <paramref name="element"/> counted under <paramref name="name"/>: one of its outputs or drop reasons.</summary>
    public long Counter(string element, string name)
    {
        var e = Gateway.Graph.Elements.Single(x => x.Name == element);
        for (var i = 0; i < e.Outputs.Count; i++)
        {
            if (e.Outputs[i] == name) return e.Counters.Emitted(i);
        }
        for (var i = 0; i < e.DropReasons.Count; i++)
        {
            if (e.DropReasons[i] == name) return e.Counters.Dropped(i);
        }
        throw new ArgumentException($"{element} counts no '{name}'.");
    }

    /// <summary>Sends <paramref name="frame"/> from one probe and returns everything both probes received.</summary>
    public (List<byte[]> Blue, List<byte[]> Red) Exchange(Probe from, byte[] frame)
    {
        from.Send(frame);
        Net.Run();
        return (Blue.Received(), Red.Received());
    }
}

/// <summary>Frames for the gateway tests, built from scratch with the wire layer's representations (every checksum complete).</summary>
internal static class GatewayFrames
{
    public static Func<MacAddress, MacAddress, byte[]> Tcp4(string source, string destination, ushort sourcePort, ushort destinationPort,
        TcpFlags flags = TcpFlags.Syn, byte ttl = 64, byte[]? payload = null) => (to, from) =>
    {
        payload ??= [];
        var tcp = new TcpRepr(sourcePort, destinationPort, 1000, flags.HasFlag(TcpFlags.Ack) ? 2000u : 0, flags, 64240, payload.Length);
        var (s, d) = (Ipv4Address.Parse(source), Ipv4Address.Parse(destination));
        var ip = new Ipv4Repr(s, d, IpProtocol.Tcp, tcp.BufferLength, ttl) { Identification = 0x4321, DontFragment = true };
        var bytes = new byte[ip.BufferLength];
        ip.Emit(Ipv4Packet.CreateUnchecked(bytes));
        payload.CopyTo(bytes.AsSpan(ip.HeaderLength + tcp.HeaderLength));
        tcp.Emit(TcpPacket.CreateUnchecked(bytes.AsSpan(ip.HeaderLength)), s, d);
        return Frames.Ethernet(to, from, EtherType.Ipv4, bytes);
    };

    public static Func<MacAddress, MacAddress, byte[]> Udp4(string source, string destination, ushort sourcePort, ushort destinationPort, byte[] data, byte ttl = 64) =>
        (to, from) => Frames.Udp4(to, from, Ipv4Address.Parse(source), Ipv4Address.Parse(destination), sourcePort, destinationPort, data, ttl);

    public static Func<MacAddress, MacAddress, byte[]> Echo4(string source, string destination, ushort id, bool reply = false, byte ttl = 64) => (to, from) =>
    {
        var frame = Frames.Echo4(to, from, Ipv4Address.Parse(source), Ipv4Address.Parse(destination), id, 1, ttl);
        if (!reply) return frame;
        var icmp = Icmpv4Packet.CreateUnchecked(frame.AsSpan(EthernetFrame.HeaderLength + Ipv4Packet.MinHeaderLength));
        icmp.Type = Icmpv4Type.EchoReply;
        icmp.FillChecksum();
        return frame;
    };

    public static Func<MacAddress, MacAddress, byte[]> Udp6(string source, string destination, ushort sourcePort, ushort destinationPort, byte[] data, byte hopLimit = 64) =>
        (to, from) => Frames.Udp6(to, from, Ipv6Address.Parse(source), Ipv6Address.Parse(destination), sourcePort, destinationPort, data, hopLimit);

    public static Func<MacAddress, MacAddress, byte[]> Tcp6(string source, string destination, ushort sourcePort, ushort destinationPort, TcpFlags flags = TcpFlags.Syn) => (to, from) =>
    {
        var tcp = new TcpRepr(sourcePort, destinationPort, 1000, 0, flags, 64240, 0);
        var (s, d) = (Ipv6Address.Parse(source), Ipv6Address.Parse(destination));
        var ip = new Ipv6Repr(s, d, IpProtocol.Tcp, tcp.BufferLength);
        var bytes = new byte[ip.BufferLength];
        ip.Emit(Ipv6Packet.CreateUnchecked(bytes));
        tcp.Emit(TcpPacket.CreateUnchecked(bytes.AsSpan(ip.HeaderLength)), s, d);
        return Frames.Ethernet(to, from, EtherType.Ipv6, bytes);
    };

    public static Func<MacAddress, MacAddress, byte[]> Echo6(string source, string destination, ushort id, bool reply = false) => (to, from) =>
    {
        var icmp = reply ? Icmpv6Repr.EchoReply(id, 1, 8) : Icmpv6Repr.EchoRequest(id, 1, 8);
        var (s, d) = (Ipv6Address.Parse(source), Ipv6Address.Parse(destination));
        var ip = new Ipv6Repr(s, d, IpProtocol.Icmpv6, icmp.BufferLength);
        var bytes = new byte[ip.BufferLength];
        ip.Emit(Ipv6Packet.CreateUnchecked(bytes));
        var view = Icmpv6Packet.CreateUnchecked(bytes.AsSpan(ip.HeaderLength));
        icmp.Emit(view);
        "softnet!"u8.CopyTo(view.Data);
        view.FillChecksum(s, d);
        return Frames.Ethernet(to, from, EtherType.Ipv6, bytes);
    };

    /// <summary>Checks every checksum of a frame with PacketDotNet, an independent decoder.</summary>
    public static void AssertChecksumsValid(byte[] frame)
    {
        var decoded = Pd.Packet.ParsePacket(Pd.LinkLayers.Ethernet, frame);
        if (decoded.Extract<Pd.IPv4Packet>() is { } ip4) Assert.True(ip4.ValidIPChecksum, "IPv4 header checksum");
        if (decoded.Extract<Pd.TcpPacket>() is { } tcp) Assert.True(tcp.ValidTcpChecksum, "TCP checksum");
        if (decoded.Extract<Pd.UdpPacket>() is { } udp) Assert.True(udp.ValidUdpChecksum, "UDP checksum");
        if (decoded.Extract<Pd.IcmpV4Packet>() is { } icmp4) Assert.True(icmp4.ValidIcmpChecksum, "ICMP checksum");
        if (decoded.Extract<Pd.IcmpV6Packet>() is { } icmp6) Assert.True(icmp6.ValidIcmpChecksum, "ICMPv6 checksum");
    }
}
