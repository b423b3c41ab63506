namespace Softnet.Wire;

/// <summary>EtherType values of the Ethernet type field (IEEE 802 numbers).</summary>
public static class EtherType
{
    public const ushort Ipv4 = 0x0800;
    public const ushort Arp = 0x0806;

    /// <summary>IEEE 802.1Q customer VLAN tag (C-tag).</summary>
    public const ushort Vlan = 0x8100;

    /// <summary>IEEE 802.1ad service VLAN tag (S-tag), the outer tag of a QinQ stack.</summary>
    public const ushort QinQ = 0x88A8;

    public const ushort Ipv6 = 0x86DD;
    public const ushort Mpls = 0x8847;
    public const ushort MplsMulticast = 0x8848;
}
