using System.Buffers.Binary;
using Softnet.DataPlane;
using Softnet.DataPlane.Ports;
using Softnet.Wire;

namespace Softnet.Cli.Bench.Control;

/// <summary>
/// A UDP datagram as a bench host's stack first sent it to one destination: the whole frame (addresses resolved,
/// checksums filled), where its UDP header starts, and its addresses for the checksum.
/// </summary>
internal sealed record DatagramTemplate(byte[] Frame, int UdpOffset, Ipv4Address Source, Ipv4Address Destination)
{
    public int PayloadOffset => UdpOffset + UdpPacket.HeaderLength;
}

/// <summary>
/// A bench host's side of its in-memory port, between the <c>Host</c> device and the hypervisor. It keeps a copy of the
/// first datagram the host sends from <see cref="UdpStream.SourcePort"/> to each destination (the template a stream
/// then sends by itself, without the host's stack), and takes the datagrams that arrive for a stream's port before
/// the host does, counting them by number. Everything else (ARP, ICMP) passes through to and from the host. One
/// thread uses it: the bench's.
/// </summary>
internal sealed class BenchPort(IFramePort inner, PacketPool pool) : IFramePort
{
    private readonly Dictionary<ushort, UdpStream> _sinks = [];
    private readonly Dictionary<(Ipv4Address, ushort), DatagramTemplate> _templates = [];

    /// <summary>Datagrams this port took for streams since it was made.</summary>
    public long Taken { get; private set; }

    /// <summary>Counts the datagrams that arrive for UDP port <paramref name="port"/> in <paramref name="stream"/>.</summary>
    public void Sink(ushort port, UdpStream stream) => _sinks[port] = stream;

    public void Unsink(ushort port) => _sinks.Remove(port);

    /// <summary>The first datagram the host sent to <paramref name="destination"/> port <paramref name="port"/>, once it has.</summary>
    public DatagramTemplate? Template(Ipv4Address destination, ushort port) => _templates.GetValueOrDefault((destination, port));

    public int Receive(Span<int> destination)
    {
        var n = inner.Receive(destination);
        var kept = 0;
        for (var i = 0; i < n; i++)
        {
            var frame = destination[i];
            if (TryCount(frame))
            {
                pool.Free(frame);
                Taken++;
            }
            else
            {
                destination[kept++] = frame;
            }
        }
        return kept;
    }

    public int Transmit(ReadOnlySpan<int> frames)
    {
        foreach (var frame in frames) Capture(frame);
        return inner.Transmit(frames);
    }

    /// <summary>Sends frames a stream made itself; frees and counts none of those refused (a full queue), which stay the caller's.</summary>
    public int Send(ReadOnlySpan<int> frames) => inner.Transmit(frames);

    private bool TryCount(int frame)
    {
        if (_sinks.Count == 0 || !TryUdp(pool.Data(frame), out var udpOffset, out _)) return false;
        var bytes = pool.Data(frame);
        var udp = UdpPacket.CreateUnchecked(bytes[udpOffset..]);
        if (!_sinks.TryGetValue(udp.DestinationPort, out var stream) || udp.Payload.Length < sizeof(long)) return false;
        stream.Arrived(BinaryPrimitives.ReadInt64LittleEndian(udp.Payload));
        return true;
    }

    private void Capture(int frame)
    {
        var bytes = pool.Data(frame);
        if (!TryUdp(bytes, out var udpOffset, out var ip)) return;
        var udp = UdpPacket.CreateUnchecked(bytes[udpOffset..]);
        if (udp.SourcePort != UdpStream.SourcePort) return;
        var key = (ip.Destination, udp.DestinationPort);
        if (!_templates.ContainsKey(key)) _templates[key] = new DatagramTemplate(bytes.ToArray(), udpOffset, ip.Source, ip.Destination);
    }

    /// <summary>Whether <paramref name="frame"/> is an unfragmented IPv4 UDP datagram, and where its UDP header starts.</summary>
    private static bool TryUdp(Span<byte> frame, out int udpOffset, out (Ipv4Address Source, Ipv4Address Destination) addresses)
    {
        udpOffset = 0;
        addresses = default;
        if (!EthernetFrame.TryCreate(frame, out var ethernet) || ethernet.EtherType != EtherType.Ipv4) return false;
        if (!Ipv4Packet.TryCreate(ethernet.Payload, out var ip) || ip.Protocol != IpProtocol.Udp || ip.IsFragment) return false;
        udpOffset = EthernetFrame.HeaderLength + ip.HeaderLength;
        addresses = (ip.Source, ip.Destination);
        return frame.Length >= udpOffset + UdpPacket.HeaderLength;
    }
}
