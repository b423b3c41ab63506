using Softnet.DataPlane;
using Softnet.Devices.Ip;
using Softnet.Wire;

namespace Softnet.Devices.Mpls;

/// <summary>
/// Label switching (RFC 3031/3032): looks up the top label in the LFIB and swaps it, pops it towards the next hop
/// (penultimate-hop popping) or pops it and hands what is under it to this device's IP input (egress). TTL follows
/// the uniform model (RFC 3443): the label TTL is decremented, and on pop it is copied into the header exposed
/// below (inner label; IPv4 TTL with an incremental checksum update, or IPv6 hop limit, keeping the smaller of the
/// two so that a TTL never grows). A packet whose label TTL
/// expires is dropped and counted; the next hop must be resolved, else the packet is dropped while it is solicited.
/// </summary>
public sealed class MplsInput(LabelTable labels, Solicitor solicitor)
    : Element("mpls-input", ["tx", "ipv4", "ipv6", "mpls"], ["malformed", "no-binding", "ttl-expired", "neighbor-unresolved", "unknown-payload"])
{
    public const int Tx = 0, Ipv4 = 1, Ipv6 = 2, Again = 3;
    private const int Malformed = 0, NoBinding = 1, TtlExpired = 2, NeighborUnresolved = 3, UnknownPayload = 4;

    /// <summary>Reads every label of the vector and its LFIB entry first, so that the table's cache misses overlap.</summary>
    protected override void Process(ReadOnlySpan<int> packets)
    {
        var pool = Pool;
        Span<LabelEntry> entries = stackalloc LabelEntry[packets.Length];
        for (var i = 0; i < packets.Length; i++)
        {
            var packet = packets[i];
            var frame = pool.Data(packet);
            var at = pool.Meta(packet).L3Offset;
            if (frame.Length >= at + MplsHeader.Size) labels.TryLookup(MplsHeader.CreateUnchecked(frame[at..]).Label.Value, out entries[i]);
        }
        for (var i = 0; i < packets.Length; i++)
        {
            var packet = packets[i];
            var verdict = Switch(pool, packet, entries[i]);
            if (verdict >= 0) Emit(verdict, packet);
            else Drop(-1 - verdict, packet);
        }
    }

    /// <summary>The output for the packet, or -1 - a drop reason.</summary>
    private int Switch(PacketPool pool, int packet, LabelEntry binding)
    {
        ref var meta = ref pool.Meta(packet);
        var frame = pool.Data(packet);
        if (!MplsHeader.TryCreate(frame[meta.L3Offset..], out var header)) return DropWith(Malformed);
        if (binding.Action == 0) return DropWith(NoBinding);
        var ttl = header.TimeToLive;
        var bottom = header.BottomOfStack;

        if (binding.Action == LabelAction.PopAndLookup)
        {
            frame = Strip(pool, packet);
            return bottom ? Expose(frame[meta.L3Offset..], ttl) : Again;
        }
        if (ttl <= 1) return DropWith(TtlExpired);
        var neighbor = labels.Stack.AdjacencyAt(binding.Adjacency).Neighbor;
        if (neighbor.State != NeighborState.Reachable)
        {
            if (neighbor.Attempts == 0 && solicitor.TryBuild(pool, neighbor, out var request))
            {
                labels.Stack.Solicited(neighbor, labels.Stack.Device.Now);
                Emit(Tx, request);
            }
            return DropWith(NeighborUnresolved);
        }

        var newTtl = (byte)(ttl - 1);
        if (binding.Action == LabelAction.Swap)
        {
            header.Label = new MplsLabel(binding.Outgoing);
            header.TimeToLive = newTtl;
        }
        else
        {
            frame = Strip(pool, packet);
            var exposed = frame[meta.L3Offset..];
            if (bottom)
            {
                var next = Expose(exposed, newTtl);
                if (next < 0) return next;
                EthernetFrame.CreateUnchecked(frame).EtherType = next == Ipv4 ? EtherType.Ipv4 : EtherType.Ipv6;
            }
            else if (MplsHeader.TryCreate(exposed, out var inner)) inner.TimeToLive = newTtl;
            else return DropWith(Malformed);
        }
        var port = labels.Stack.Device.PortAt(neighbor.Port);
        var ethernet = EthernetFrame.CreateUnchecked(frame);
        ethernet.Destination = neighbor.Mac;
        ethernet.Source = port.Mac;
        meta.OutputPort = neighbor.Port;
        return Tx;
    }

    private static int DropWith(int reason) => -1 - reason;

    /// <summary>Removes the top label: the Ethernet addresses move forward over it; the EtherType stays MPLS.</summary>
    private static Span<byte> Strip(PacketPool pool, int packet)
    {
        var frame = pool.Data(packet);
        frame[..12].CopyTo(frame[MplsHeader.Size..]);
        var stripped = pool.TrimFront(packet, MplsHeader.Size);
        pool.Meta(packet).L3Offset = EthernetFrame.HeaderLength;
        return stripped;
    }

    /// <summary>Copies the label TTL into the IP header under the popped label; returns the output for it, or a drop.</summary>
    private int Expose(Span<byte> payload, byte ttl)
    {
        if (payload.IsEmpty) return DropWith(Malformed);
        switch (payload[0] >> 4)
        {
            case 4:
                if (!Ipv4Packet.TryCreate(payload, out var ip4)) return DropWith(Malformed);
                var oldWord = (ushort)(ip4.TimeToLive << 8 | ip4.Protocol);
                ip4.TimeToLive = Math.Min(ip4.TimeToLive, ttl);
                ip4.HeaderChecksum = Checksum.Update(ip4.HeaderChecksum, oldWord, (ushort)(ip4.TimeToLive << 8 | ip4.Protocol));
                return Ipv4;
            case 6:
                if (!Ipv6Packet.TryCreate(payload, out var ip6)) return DropWith(Malformed);
                ip6.HopLimit = Math.Min(ip6.HopLimit, ttl);
                return Ipv6;
            default:
                return DropWith(UnknownPayload);
        }
    }
}
