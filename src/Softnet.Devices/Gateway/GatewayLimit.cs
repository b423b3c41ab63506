using Softnet.DataPlane;
using Softnet.Wire;

namespace Softnet.Devices.Gateway;

/// <summary>
/// The per-direction rate limits, after the policy: a packet crossing from one network to another takes its cost
/// from that direction's buckets (see <see cref="RateLimiter"/>), or is dropped as <c>rate-limited:from->to</c>, so
/// that a flood through the gateway takes no more than its limit from the network it enters. The cost is the IP
/// packet's bits and one packet, or as many packets as a segmentation-offload super-frame leaves as. IPv4 and IPv6
/// then go on to their NAT.
/// </summary>
public sealed class GatewayLimit : PacketElement
{
    public const int Ipv4 = 0, Ipv6 = 1;

    private readonly GatewayPolicy _policy;
    private readonly Device _device;

    internal GatewayLimit(GatewayPolicy policy, Device device) : base("gateway-limit", ["ip4", "ip6"], policy.DirectionNames("rate-limited:"))
    {
        _policy = policy;
        _device = device;
    }

    protected override int Push(int packet)
    {
        var pool = Pool;
        ref var meta = ref pool.Meta(packet);
        var network = pool.Data(packet)[meta.L3Offset..];
        var ipv6 = network[0] >> 4 == 6;
        var from = _policy.NetworkOf(meta.InputPort);
        var to = _policy.NetworkOf(meta.OutputPort);
        var limit = _policy.Limit(from, to);
        if (limit is not null && !limit.TryTake(Segments(in meta, network, ipv6), 8L * network.Length, _device.Now, _device.TicksPerSecond))
        {
            return DropWith(_policy.DirectionIndex(from, to));
        }
        return ipv6 ? Ipv6 : Ipv4;
    }

    /// <summary>How many packets the frame leaves as: one, or a TCP super-frame's segments of GsoSize payload bytes.</summary>
    private static long Segments(in PacketMeta meta, Span<byte> network, bool ipv6)
    {
        if (meta.GsoType == GsoKind.None || meta.GsoSize == 0) return 1;
        int transport;
        if (ipv6)
        {
            if (!Ipv6Packet.CreateUnchecked(network).TryFindUpperLayer(out _, out transport)) return 1;
        }
        else transport = Ipv4Packet.CreateUnchecked(network).HeaderLength;
        if (!TcpPacket.TryCreate(network[transport..], out var tcp)) return 1;
        var payload = network.Length - transport - tcp.HeaderLength;
        return Math.Max(1, (payload + meta.GsoSize - 1) / meta.GsoSize);
    }
}
