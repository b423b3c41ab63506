using Softnet.DataPlane;
using Softnet.Wire;

namespace Softnet.Devices.Ip.Ipv4;

/// <summary>
/// ARP (RFC 826) for the device's own addresses: answers requests in place, learns the sender when it is a
/// neighbour the device resolves or talks to, and releases the packets that were waiting for that neighbour.
/// </summary>
public sealed class ArpInput(IpStack stack) : PacketElement("arp-input", ["reply", "resolved"], ["malformed", "not-for-us", "reply-received"])
{
    public const int ReplyOut = 0, Resolved = 1;
    private const int Malformed = 0, NotForUs = 1, ReplyReceived = 2;

    protected override int Push(int packet)
    {
        var pool = Pool;
        ref var meta = ref pool.Meta(packet);
        var frame = pool.Data(packet);
        if (!ArpPacket.TryCreate(frame[meta.L3Offset..], out var arp) || !ArpRepr.TryParse(arp, out var repr)) return DropWith(Malformed);
        var port = meta.InputPort;
        var sender = repr.SenderProtocolAddress;
        var forUs = stack.Interface(port).Owns(repr.TargetProtocolAddress);
        if (!sender.IsUnspecified)
        {
            if (forUs) stack.FindOrAddNeighbor(port, IpFamily.Ipv4, sender.Value);
            var adjacency = stack.Confirm(port, IpFamily.Ipv4, sender.Value, repr.SenderHardwareAddress, stack.Device.Now);
            if (adjacency is not null) Release(adjacency);
        }
        if (!forUs) return DropWith(NotForUs);
        if (repr.Operation != ArpOperation.Request) return DropWith(ReplyReceived);

        var mac = stack.Device.PortAt(port).Mac;
        new ArpRepr(ArpOperation.Reply, mac, repr.TargetProtocolAddress, repr.SenderHardwareAddress, sender).Emit(arp);
        var ethernet = EthernetFrame.CreateUnchecked(frame);
        ethernet.Destination = repr.SenderHardwareAddress;
        ethernet.Source = mac;
        meta.OutputPort = port;
        return ReplyOut;
    }

    private void Release(Adjacency adjacency)
    {
        while (adjacency.TryDequeue(out var waiting)) Emit(Resolved, waiting);
    }
}
