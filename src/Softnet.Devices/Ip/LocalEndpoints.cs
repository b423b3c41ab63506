using System.Net;

namespace Softnet.Devices.Ip;

/// <summary>A UDP datagram delivered to a host's socket.</summary>
public sealed record UdpDatagram(IPEndPoint Source, IPEndPoint Destination, byte[] Payload);

/// <summary>An ICMP echo reply (or ICMPv6 echo reply) a host received.</summary>
public sealed record EchoReply(IPAddress From, ushort Identifier, ushort SequenceNumber, int DataLength, int Ttl, long ReceivedAt);

/// <summary>An ICMP error a host received about a packet it sent.</summary>
public sealed record IcmpReport(IPAddress From, IpFamily Family, byte Type, byte Code, long ReceivedAt);

/// <summary>
/// What an end host delivers locally: UDP sockets by port, echo replies and ICMP errors, each in a bounded queue
/// (when one is full, newer arrivals are dropped and counted). Routers have none.
/// </summary>
public sealed class LocalEndpoints
{
    public const int QueueLimit = 4096;

    private readonly Dictionary<ushort, Queue<UdpDatagram>> _udp = [];
    private readonly Queue<EchoReply> _echoReplies = new();
    private readonly Queue<IcmpReport> _icmpReports = new();

    public long DroppedForFullQueue { get; private set; }

    public void BindUdp(ushort port)
    {
        if (!_udp.TryAdd(port, new Queue<UdpDatagram>())) throw new InvalidOperationException($"UDP port {port} is already bound.");
    }

    public bool IsUdpBound(ushort port) => _udp.ContainsKey(port);

    public bool TryReceiveUdp(ushort port, out UdpDatagram datagram)
    {
        datagram = null!;
        return _udp.TryGetValue(port, out var queue) && queue.TryDequeue(out datagram!);
    }

    public bool TryReceiveEchoReply(out EchoReply reply) => _echoReplies.TryDequeue(out reply!);

    public bool TryReceiveIcmpReport(out IcmpReport report) => _icmpReports.TryDequeue(out report!);

    internal void Deliver(ushort port, UdpDatagram datagram) => Bounded(_udp[port], datagram);

    internal void Deliver(EchoReply reply) => Bounded(_echoReplies, reply);

    internal void Deliver(IcmpReport report) => Bounded(_icmpReports, report);

    private void Bounded<T>(Queue<T> queue, T item)
    {
        if (queue.Count >= QueueLimit) DroppedForFullQueue++;
        else queue.Enqueue(item);
    }
}
