namespace Softnet.Wire;

/// <summary>The fields of an IPv4 header without options. <see cref="Emit"/> writes a 20-byte header with its checksum.</summary>
public readonly record struct Ipv4Repr(Ipv4Address Source, Ipv4Address Destination, byte Protocol, int PayloadLength, byte TimeToLive = 64)
{
    public byte Dscp { get; init; }
    public byte Ecn { get; init; }
    public ushort Identification { get; init; }
    public bool DontFragment { get; init; }
    public bool MoreFragments { get; init; }

    /// <summary>Fragment offset in bytes, a multiple of 8.</summary>
    public int FragmentOffset { get; init; }

    public int HeaderLength => Ipv4Packet.MinHeaderLength;
    public int BufferLength => HeaderLength + PayloadLength;

    /// <summary>Accepts version 4 with a valid header checksum; options are skipped and not represented.</summary>
    public static bool TryParse(in Ipv4Packet packet, out Ipv4Repr repr)
    {
        repr = default;
        if (packet.Version != 4 || !packet.VerifyChecksum()) return false;
        repr = new Ipv4Repr(packet.Source, packet.Destination, packet.Protocol, packet.TotalLength - packet.HeaderLength, packet.TimeToLive)
        {
            Dscp = packet.Dscp,
            Ecn = packet.Ecn,
            Identification = packet.Identification,
            DontFragment = packet.DontFragment,
            MoreFragments = packet.MoreFragments,
            FragmentOffset = packet.FragmentOffset,
        };
        return true;
    }

    public void Emit(Ipv4Packet packet)
    {
        packet.Buffer[..Ipv4Packet.MinHeaderLength].Clear();
        packet.Version = 4;
        packet.HeaderLength = Ipv4Packet.MinHeaderLength;
        packet.Dscp = Dscp;
        packet.Ecn = Ecn;
        packet.TotalLength = checked((ushort)BufferLength);
        packet.Identification = Identification;
        packet.DontFragment = DontFragment;
        packet.MoreFragments = MoreFragments;
        packet.FragmentOffset = FragmentOffset;
        packet.TimeToLive = TimeToLive;
        packet.Protocol = Protocol;
        packet.Source = Source;
        packet.Destination = Destination;
        packet.FillChecksum();
    }
}
