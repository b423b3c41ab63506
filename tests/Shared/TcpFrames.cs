using Softnet.DataPlane;
using Softnet.Wire;

namespace Softnet.Tests.Shared;

/// <summary>What sits between the Ethernet addresses and the IP header.</summary>
public enum Encapsulation
{
    Untagged,
    Vlan,
    QinQ,
    Mpls,
}

/// <summary>TCP frames built with the wire layer's representations, and super-frames loaded as a kernel with TSO hands them over.</summary>
internal static class TcpFrames
{
    // h1 and h2 on either side of the router of the router tests.
    public static readonly Ipv4Address Source4 = Ipv4Address.Parse("10.0.1.10");
    public static readonly Ipv4Address Destination4 = Ipv4Address.Parse("10.0.2.10");
    public static readonly Ipv6Address Source6 = Ipv6Address.Parse("2001:db8:1::10");
    public static readonly Ipv6Address Destination6 = Ipv6Address.Parse("2001:db8:2::10");
    public static readonly MacAddress SourceMac = MacAddress.Parse("02:00:00:00:00:0a");
    public static readonly MacAddress DestinationMac = MacAddress.Parse("02:00:00:00:00:0b");

    public const int TcpHeaderLength = 32; // 20 + the timestamps option, as Linux sends

    /// <summary>Bytes 0, 31, 62, ... (mod 256), so that a misplaced slice shows.</summary>
    public static byte[] Payload(int length) => Enumerable.Range(0, length).Select(i => (byte)(i * 31 + 7)).ToArray();

    public static int L2Length(Encapsulation encapsulation) => EthernetFrame.HeaderLength + encapsulation switch
    {
        Encapsulation.Vlan => VlanHeader.Size,
        Encapsulation.QinQ or Encapsulation.Mpls => 2 * VlanHeader.Size,
        _ => 0,
    };

    public static int TcpOffset(bool ipv6, Encapsulation encapsulation) =>
        L2Length(encapsulation) + (ipv6 ? Ipv6Packet.HeaderLength : Ipv4Packet.MinHeaderLength);

    /// <summary>
    /// A TCP segment from <see cref="SourceMac"/> to <paramref name="destinationMac"/> (else <see cref="DestinationMac"/>)
    /// carrying <paramref name="payload"/> with every checksum complete.
    /// </summary>
    public static byte[] Tcp(bool ipv6, ReadOnlySpan<byte> payload, MacAddress? destinationMac = null, uint sequence = 0xFFFF_F000,
        TcpFlags flags = TcpFlags.Ack | TcpFlags.Psh, ushort identification = 0xFFFE, Encapsulation encapsulation = Encapsulation.Untagged,
        bool dontFragment = true)
    {
        var tcp = new TcpRepr(40000, 5001, sequence, 0x1234_5678, flags, 502, payload.Length) { Timestamps = new TcpTimestamps(111, 222) };
        var l2 = L2Length(encapsulation);
        var l4 = TcpOffset(ipv6, encapsulation);
        var frame = new byte[l4 + tcp.BufferLength];
        var ethernet = EthernetFrame.CreateUnchecked(frame);
        ethernet.Destination = destinationMac ?? DestinationMac;
        ethernet.Source = SourceMac;
        WriteEncapsulation(frame, encapsulation, ipv6);
        var segment = TcpPacket.CreateUnchecked(frame.AsSpan(l4));
        payload.CopyTo(frame.AsSpan(l4 + tcp.HeaderLength));
        if (ipv6)
        {
            new Ipv6Repr(Source6, Destination6, IpProtocol.Tcp, tcp.BufferLength) { FlowLabel = 0x12345 }.Emit(Ipv6Packet.CreateUnchecked(frame.AsSpan(l2)));
            tcp.Emit(segment, Source6, Destination6);
        }
        else
        {
            new Ipv4Repr(Source4, Destination4, IpProtocol.Tcp, tcp.BufferLength) { DontFragment = dontFragment, Identification = identification }.Emit(Ipv4Packet.CreateUnchecked(frame.AsSpan(l2)));
            tcp.Emit(segment, Source4, Destination4);
        }
        return frame;
    }

    /// <summary>
    /// Copies <paramref name="frame"/> into the pool as a super-frame of <paramref name="mss"/>-byte segments with a
    /// partial checksum: the TCP checksum field holds the folded pseudo-header sum, as Linux leaves it.
    /// </summary>
    public static int LoadSuperFrame(PacketPool pool, byte[] frame, bool ipv6, ushort mss, Encapsulation encapsulation = Encapsulation.Untagged)
    {
        Assert.True(pool.TryAllocate(frame, out var handle));
        var l4 = TcpOffset(ipv6, encapsulation);
        var bytes = pool.Data(handle);
        var tcp = TcpPacket.CreateUnchecked(bytes[l4..]);
        var pseudoHeader = ipv6
            ? Checksum.PseudoHeader(Source6, Destination6, IpProtocol.Tcp, tcp.Buffer.Length)
            : Checksum.PseudoHeader(Source4, Destination4, IpProtocol.Tcp, tcp.Buffer.Length);
        tcp.Checksum = (ushort)~Checksum.Fold(pseudoHeader);
        ref var meta = ref pool.Meta(handle);
        meta.GsoType = ipv6 ? GsoKind.TcpIpv6 : GsoKind.TcpIpv4;
        meta.GsoSize = mss;
        meta.Flags |= PacketFlags.ChecksumPartial;
        meta.ChecksumStart = (ushort)l4;
        meta.ChecksumOffset = 16;
        return handle;
    }

    private static void WriteEncapsulation(byte[] frame, Encapsulation encapsulation, bool ipv6)
    {
        var ipType = ipv6 ? EtherType.Ipv6 : EtherType.Ipv4;
        var ethernet = EthernetFrame.CreateUnchecked(frame);
        var at = frame.AsSpan(EthernetFrame.HeaderLength);
        switch (encapsulation)
        {
            case Encapsulation.Untagged:
                ethernet.EtherType = ipType;
                break;
            case Encapsulation.Vlan:
                ethernet.EtherType = EtherType.Vlan;
                new VlanRepr(100, ipType, Priority: 5).Emit(VlanHeader.CreateUnchecked(at));
                break;
            case Encapsulation.QinQ:
                ethernet.EtherType = EtherType.QinQ;
                new VlanRepr(200, EtherType.Vlan).Emit(VlanHeader.CreateUnchecked(at));
                new VlanRepr(300, ipType, Priority: 3, DropEligible: true).Emit(VlanHeader.CreateUnchecked(at[VlanHeader.Size..]));
                break;
            case Encapsulation.Mpls:
                ethernet.EtherType = EtherType.Mpls;
                new MplsRepr(new MplsLabel(16_001), 0, BottomOfStack: false, 64).Emit(MplsHeader.CreateUnchecked(at));
                new MplsRepr(new MplsLabel(24_002), 1, BottomOfStack: true, 64).Emit(MplsHeader.CreateUnchecked(at[MplsHeader.Size..]));
                break;
        }
    }
}
