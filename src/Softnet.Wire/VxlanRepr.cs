namespace Softnet.Wire;

/// <summary>A VXLAN header: only the VNI is meaningful; <see cref="Emit"/> sets the I flag and zeroes the reserved bits.</summary>
public readonly record struct VxlanRepr(uint Vni)
{
    public int HeaderLength => VxlanHeader.Size;

    /// <summary>Refuses a header without the I flag.</summary>
    public static bool TryParse(in VxlanHeader header, out VxlanRepr repr)
    {
        repr = header.HasValidVni ? new VxlanRepr(header.Vni) : default;
        return header.HasValidVni;
    }

    public void Emit(VxlanHeader header)
    {
        header.Buffer[..VxlanHeader.Size].Clear();
        header.HasValidVni = true;
        header.Vni = Vni;
    }
}
