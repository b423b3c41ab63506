namespace Softnet.Wire;

/// <summary>The fields of an 802.1Q tag.</summary>
public readonly record struct VlanRepr(ushort VlanId, ushort EtherType, byte Priority = 0, bool DropEligible = false)
{
    public int HeaderLength => VlanHeader.Size;

    /// <summary>Refuses the reserved VLAN id 4095.</summary>
    public static bool TryParse(in VlanHeader header, out VlanRepr repr)
    {
        var valid = header.VlanId != VlanHeader.MaxVlanId;
        repr = valid ? new VlanRepr(header.VlanId, header.EtherType, header.Priority, header.DropEligible) : default;
        return valid;
    }

    public void Emit(VlanHeader header)
    {
        header.Tci = 0;
        header.Priority = Priority;
        header.DropEligible = DropEligible;
        header.VlanId = VlanId;
        header.EtherType = EtherType;
    }
}
