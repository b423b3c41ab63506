namespace Softnet.Devices.Switching;

/// <summary>
/// The VLAN configuration of a switch's ports in the form the data path reads it: a membership bitmap per port, the
/// VLAN each port sends untagged, and per VLAN the ports a frame is flooded to.
/// </summary>
internal sealed class VlanMembership
{
    private const int VlanCount = 4096;
    private const int WordsPerPort = VlanCount / 64;

    private readonly int[][] _ports = new int[VlanCount][];
    private ulong[] _members = [];
    private int[] _untagged = [];

    public VlanMembership() => Array.Fill(_ports, []);

    public int PortCount => _untagged.Length;

    /// <summary>Adds the next port (its index is the number of ports added before).</summary>
    public void AddPort(SwitchPortMode mode)
    {
        var port = PortCount;
        var members = new ulong[_members.Length + WordsPerPort];
        _members.CopyTo(members, 0);
        foreach (var vlan in mode.Vlans)
        {
            members[port * WordsPerPort + (vlan >> 6)] |= 1UL << (vlan & 63);
            _ports[vlan] = [.. _ports[vlan], port];
        }
        _members = members;
        _untagged = [.. _untagged, mode.UntaggedVlan ?? 0];
    }

    /// <summary>Whether <paramref name="port"/> carries <paramref name="vlan"/> (0-4095).</summary>
    public bool IsMember(int port, int vlan) => (_members[port * WordsPerPort + (vlan >> 6)] & (1UL << (vlan & 63))) != 0;

    /// <summary>The VLAN <paramref name="port"/> sends untagged and gives to untagged frames it receives; 0 when none.</summary>
    public int UntaggedVlan(int port) => _untagged[port];

    /// <summary>Every port carrying <paramref name="vlan"/> (0-4095), ascending.</summary>
    public ReadOnlySpan<int> Ports(int vlan) => _ports[vlan];
}
