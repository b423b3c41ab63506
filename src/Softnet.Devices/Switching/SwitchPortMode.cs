namespace Softnet.Devices.Switching;

/// <summary>
/// The 802.1Q role of a switch port. An access port carries one VLAN untagged; a trunk carries a set of VLANs tagged
/// and optionally one native VLAN untagged. Either way a port has a member set (<see cref="Vlans"/>) and at most one
/// VLAN it sends untagged (<see cref="UntaggedVlan"/>), which is also the VLAN given to untagged frames it receives.
/// </summary>
public sealed record SwitchPortMode
{
    public const int MinVlan = 1;
    public const int MaxVlan = 4094;

    private readonly int[] _vlans;

    private SwitchPortMode(bool isTrunk, int[] vlans, int? untaggedVlan)
    {
        IsTrunk = isTrunk;
        _vlans = vlans;
        UntaggedVlan = untaggedVlan;
    }

    public bool IsTrunk { get; }

    /// <summary>The VLANs the port is a member of, ascending; frames of other VLANs are dropped on entry and never sent out of it.</summary>
    public IReadOnlyList<int> Vlans => _vlans;

    /// <summary>The access VLAN, or a trunk's native VLAN; null for a trunk that carries tagged frames only.</summary>
    public int? UntaggedVlan { get; }

    /// <summary>A port in <paramref name="vlan"/> whose frames are untagged.</summary>
    public static SwitchPortMode Access(int vlan = 1)
    {
        Validate(vlan);
        return new SwitchPortMode(isTrunk: false, [vlan], vlan);
    }

    /// <summary>
    /// A port carrying <paramref name="allowedVlans"/> tagged. Frames of <paramref name="nativeVlan"/>, when given, are
    /// sent untagged and untagged frames received join it; the native VLAN is a member even if not listed.
    /// </summary>
    public static SwitchPortMode Trunk(IEnumerable<int> allowedVlans, int? nativeVlan = null)
    {
        var vlans = new SortedSet<int>(allowedVlans);
        if (nativeVlan is { } native) vlans.Add(native);
        if (vlans.Count == 0) throw new ArgumentException("A trunk must carry at least one VLAN.", nameof(allowedVlans));
        foreach (var vlan in vlans) Validate(vlan);
        return new SwitchPortMode(isTrunk: true, [.. vlans], nativeVlan);
    }

    public bool Carries(int vlan) => Array.BinarySearch(_vlans, vlan) >= 0;

    public bool Equals(SwitchPortMode? other) =>
        other is not null && IsTrunk == other.IsTrunk && UntaggedVlan == other.UntaggedVlan && _vlans.AsSpan().SequenceEqual(other._vlans);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(IsTrunk);
        hash.Add(UntaggedVlan);
        foreach (var vlan in _vlans) hash.Add(vlan);
        return hash.ToHashCode();
    }

    /// <summary>As a switch configuration says it: <c>access vlan 10</c>, <c>trunk vlans 10,20 native 1</c>.</summary>
    public override string ToString() =>
        !IsTrunk ? $"access vlan {UntaggedVlan}"
        : UntaggedVlan is { } native ? $"trunk vlans {string.Join(',', _vlans)} native {native}"
        : $"trunk vlans {string.Join(',', _vlans)}";

    private static void Validate(int vlan)
    {
        if (vlan is < MinVlan or > MaxVlan) throw new ArgumentOutOfRangeException(nameof(vlan), vlan, $"A VLAN id is {MinVlan}-{MaxVlan} (0 and 4095 are reserved by 802.1Q).");
    }
}
