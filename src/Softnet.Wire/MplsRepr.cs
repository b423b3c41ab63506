namespace Softnet.Wire;

/// <summary>The fields of one MPLS label stack entry.</summary>
public readonly record struct MplsRepr(MplsLabel Label, byte TrafficClass, bool BottomOfStack, byte TimeToLive)
{
    public int HeaderLength => MplsHeader.Size;

    /// <summary>Every bit pattern is a valid entry, so this always succeeds.</summary>
    public static bool TryParse(in MplsHeader header, out MplsRepr repr)
    {
        repr = new MplsRepr(header.Label, header.TrafficClass, header.BottomOfStack, header.TimeToLive);
        return true;
    }

    public void Emit(MplsHeader header)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(TrafficClass, 7);
        header.Entry = (Label.Value << 12) | ((uint)TrafficClass << 9) | (BottomOfStack ? 0x100u : 0) | TimeToLive;
    }
}
