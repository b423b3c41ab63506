using Softnet.DataPlane;
using Softnet.DataPlane.Ports;
using Softnet.Devices.Ip;
using Softnet.Wire;

namespace Softnet.Devices.Tests;

/// <summary>A clock that moves only when told to: one tick is one nanosecond.</summary>
internal sealed class ManualClock : TimeProvider
{
    public long Ticks { get; set; } = 1_000_000_000;
    public override long TimestampFrequency => 1_000_000_000;
    public override long GetTimestamp() => Ticks;
    public void Advance(TimeSpan by) => Ticks += (long)(by.TotalSeconds * 1e9);
}

/// <summary>
/// An in-memory test network: devices joined by in-memory links, and probes (the far end of a link attached to a
/// device port) through which a test injects exact frames and collects exactly what the device sent.
/// </summary>
internal sealed class TestNet
{
    public TestNet(int poolSize = 4096)
    {
        Pool = new PacketPool(poolSize);
        Loop = new DeviceLoop(Clock);
    }

    public PacketPool Pool { get; }
    public ManualClock Clock { get; } = new();
    public DeviceLoop Loop { get; }

    public T Add<T>(T device) where T : Device => Loop.Add(device);

    public void Link(DevicePort a, DevicePort b)
    {
        var link = new InMemoryLink();
        a.Attach(link.A);
        b.Attach(link.B);
    }

    public Probe Probe(DevicePort port)
    {
        var link = new InMemoryLink();
        port.Attach(link.A);
        return new Probe(this, link.B);
    }

    public void Run() => Loop.RunUntilIdle();

    /// <summary>Advances the clock in steps of <paramref name="step"/>, running the devices at each.</summary>
    public void Elapse(TimeSpan total, TimeSpan step)
    {
        for (var t = TimeSpan.Zero; t < total; t += step)
        {
            Clock.Advance(step);
            Run();
        }
    }
}

internal sealed class Probe(TestNet net, InMemoryLink.End end)
{
    private readonly int[] _buffer = new int[8192];

    public void Send(byte[] frame)
    {
        Assert.True(net.Pool.TryAllocate(frame, out var packet));
        Assert.Equal(1, end.Transmit([packet]));
    }

    /// <summary>Every frame the device sent to this probe since the last call, as bytes.</summary>
    public List<byte[]> Received()
    {
        var n = end.Receive(_buffer);
        var frames = new List<byte[]>(n);
        foreach (var packet in _buffer.AsSpan(0, n))
        {
            frames.Add(net.Pool.Data(packet).ToArray());
            net.Pool.Free(packet);
        }
        return frames;
    }
}

/// <summary>Builds frames for tests with the wire layer's representations.</summary>
internal static class Frames
{
    public static byte[] Ethernet(MacAddress destination, MacAddress source, ushort etherType, ReadOnlySpan<byte> payload)
    {
        var frame = new byte[EthernetFrame.HeaderLength + payload.Length];
        new EthernetRepr(destination, source, etherType).Emit(EthernetFrame.CreateUnchecked(frame));
        payload.CopyTo(frame.AsSpan(EthernetFrame.HeaderLength));
        return frame;
    }

    public static byte[] Arp(ushort operation, MacAddress senderMac, Ipv4Address senderIp, MacAddress targetMac, Ipv4Address targetIp, MacAddress ethernetDestination)
    {
        var arp = new byte[ArpPacket.Size];
        new ArpRepr(operation, senderMac, senderIp, targetMac, targetIp).Emit(ArpPacket.CreateUnchecked(arp));
        return Ethernet(ethernetDestination, senderMac, EtherType.Arp, arp);
    }

    public static byte[] Udp4(MacAddress destinationMac, MacAddress sourceMac, Ipv4Address source, Ipv4Address destination,
        ushort sourcePort, ushort destinationPort, ReadOnlySpan<byte> data, byte ttl = 64, bool dontFragment = false)
    {
        var udp = new UdpRepr(sourcePort, destinationPort, data.Length);
        var ip = new Ipv4Repr(source, destination, IpProtocol.Udp, udp.BufferLength, ttl) { DontFragment = dontFragment, Identification = 0x1234 };
        var bytes = new byte[ip.BufferLength];
        ip.Emit(Ipv4Packet.CreateUnchecked(bytes));
        var payload = bytes.AsSpan(ip.HeaderLength);
        data.CopyTo(payload[UdpPacket.HeaderLength..]);
        udp.Emit(UdpPacket.CreateUnchecked(payload), source, destination);
        return Ethernet(destinationMac, sourceMac, EtherType.Ipv4, bytes);
    }

    public static byte[] Echo4(MacAddress destinationMac, MacAddress sourceMac, Ipv4Address source, Ipv4Address destination, ushort id, ushort sequence, byte ttl = 64)
    {
        var icmp = Icmpv4Repr.EchoRequest(id, sequence, 8);
        var ip = new Ipv4Repr(source, destination, IpProtocol.Icmp, icmp.BufferLength, ttl);
        var bytes = new byte[ip.BufferLength];
        ip.Emit(Ipv4Packet.CreateUnchecked(bytes));
        var view = Icmpv4Packet.CreateUnchecked(bytes.AsSpan(ip.HeaderLength));
        icmp.Emit(view);
        "softnet!"u8.CopyTo(view.Data);
        view.FillChecksum();
        return Ethernet(destinationMac, sourceMac, EtherType.Ipv4, bytes);
    }

    public static byte[] Udp6(MacAddress destinationMac, MacAddress sourceMac, Ipv6Address source, Ipv6Address destination,
        ushort sourcePort, ushort destinationPort, ReadOnlySpan<byte> data, byte hopLimit = 64)
    {
        var udp = new UdpRepr(sourcePort, destinationPort, data.Length);
        var ip = new Ipv6Repr(source, destination, IpProtocol.Udp, udp.BufferLength, hopLimit);
        var bytes = new byte[ip.BufferLength];
        ip.Emit(Ipv6Packet.CreateUnchecked(bytes));
        var payload = bytes.AsSpan(ip.HeaderLength);
        data.CopyTo(payload[UdpPacket.HeaderLength..]);
        udp.Emit(UdpPacket.CreateUnchecked(payload), source, destination);
        return Ethernet(destinationMac, sourceMac, EtherType.Ipv6, bytes);
    }

    public static byte[] NeighborMessage(MacAddress ethernetDestination, MacAddress sourceMac, Ipv6Address source, Ipv6Address destination, NdpRepr ndp)
    {
        var ip = new Ipv6Repr(source, destination, IpProtocol.Icmpv6, ndp.BufferLength, HopLimit: 255);
        var bytes = new byte[ip.BufferLength];
        ip.Emit(Ipv6Packet.CreateUnchecked(bytes));
        var icmp = bytes.AsSpan(ip.HeaderLength);
        ndp.Emit(NdpNeighborMessage.CreateUnchecked(icmp));
        Icmpv6Packet.CreateUnchecked(icmp).FillChecksum(source, destination);
        return Ethernet(ethernetDestination, sourceMac, EtherType.Ipv6, bytes);
    }
}
