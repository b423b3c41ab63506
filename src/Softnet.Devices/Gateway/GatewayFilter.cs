using Softnet.DataPlane;
using Softnet.Wire;

namespace Softnet.Devices.Gateway;

/// <summary>
/// The gateway's policy on the forwarding path, between the lookup and the rate limit: a packet crossing from one
/// network to another passes if it belongs to a live flow (allowed-established) or if a rule admits it (allowed,
/// opening a flow); anything else is dropped as denied-no-rule, and a new flow the full table cannot hold as
/// flow-table-full. The device's own packets (ICMP errors, echo replies) pass as local. Fragments are not
/// reassembled (each family's element says which it drops); a truncated transport header is malformed.
/// </summary>
public abstract class GatewayFilter : PacketElement
{
    public const int Allowed = 0, Established = 1, Local = 2;
    private protected const int NoSide = 0, Malformed = 1, Fragment = 2, DeniedNoRule = 3, FlowTableFull = 4;

    private protected GatewayFilter(string name, GatewayPolicy policy)
        : base(name, ["allowed", "allowed-established", "local"], ["no-side", "malformed", "fragment", "denied-no-rule", "flow-table-full"])
    {
        Policy = policy;
    }

    private protected GatewayPolicy Policy { get; }

    protected sealed override int Push(int packet)
    {
        var pool = Pool;
        ref var meta = ref pool.Meta(packet);
        if ((meta.Flags & PacketFlags.LocallyOriginated) != 0) return Local;
        var from = Policy.NetworkOf(meta.InputPort);
        var to = Policy.NetworkOf(meta.OutputPort);
        if (from < 0 || to < 0) return DropWith(NoSide);
        var refused = ReadKey(pool.Data(packet)[meta.L3Offset..], from, to, out var key, out var stateful);
        if (refused >= 0) return DropWith(refused);
        return Policy.Admit(in key, to, stateful) switch
        {
            Admission.Allowed => Allowed,
            Admission.Established => Established,
            Admission.Denied => DropWith(DeniedNoRule),
            _ => DropWith(FlowTableFull),
        };
    }

    /// <summary>
    /// The flow key of a packet from network <paramref name="from"/> to network <paramref name="to"/>, its destination
    /// made real; whether it takes part in a flow. Returns -1, or the drop reason that refuses the packet.
    /// </summary>
    private protected abstract int ReadKey(Span<byte> network, int from, int to, out FlowKey key, out bool stateful);

    /// <summary>The ports of a TCP or UDP header (0 and 0 for other transports); false when the header is truncated.</summary>
    private protected static bool TryReadPorts(byte protocol, Span<byte> transport, out ushort source, out ushort destination)
    {
        (source, destination) = ((ushort)0, (ushort)0);
        switch (protocol)
        {
            case IpProtocol.Tcp:
                if (!TcpPacket.TryCreate(transport, out var tcp)) return false;
                (source, destination) = (tcp.SourcePort, tcp.DestinationPort);
                return true;
            case IpProtocol.Udp:
                if (!UdpPacket.TryCreate(transport, out var udp)) return false;
                (source, destination) = (udp.SourcePort, udp.DestinationPort);
                return true;
            default:
                return true;
        }
    }

    /// <summary>
    /// The ports that stand for an ICMP message: an echo request's identifier as its source port, an echo reply's as
    /// its destination port, so that the reply matches the request's flow. Other messages take part in no flow.
    /// </summary>
    private protected static bool EchoPorts(byte type, byte request, byte reply, ushort identifier, out ushort source, out ushort destination)
    {
        source = type == request ? identifier : (ushort)0;
        destination = type == reply ? identifier : (ushort)0;
        return type == request || type == reply;
    }
}
