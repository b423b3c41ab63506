using Softnet.DataPlane;
using Softnet.Wire;

namespace Softnet.Devices.Switching;

/// <summary>
/// A switch's relay: looks the destination up in the MAC table of the frame's VLAN and sets
/// <see cref="PacketMeta.OutputPort"/>. A known unicast address goes to its port only, and is dropped if that is the
/// port it came in on; unknown unicast, broadcast and multicast frames are flooded to every other port of the VLAN,
/// one copy per extra port.
/// </summary>
public sealed class L2Forward : Element
{
    public const int Unicast = 0;
    public const int Flooded = 1;

    public const int SamePort = 0;
    public const int NoOtherPort = 1;
    public const int CloneFailed = 2;

    private readonly VlanMembership _vlans;
    private readonly MacTable _macs;

    internal L2Forward(VlanMembership vlans, MacTable macs, string name = "l2-forward")
        : base(name, ["unicast", "flood"], ["same-port", "no-other-port", "clone-failed"])
    {
        _vlans = vlans;
        _macs = macs;
    }

    /// <summary>Locates the whole vector's destinations in the table first, so that the cache misses overlap.</summary>
    protected override void Process(ReadOnlySpan<int> packets)
    {
        var pool = Pool;
        Span<ulong> keys = stackalloc ulong[packets.Length];
        Span<int> homes = stackalloc int[packets.Length];
        for (var i = 0; i < packets.Length; i++)
        {
            var destination = MacAddress.Read(pool.Data(packets[i]));
            keys[i] = destination.IsUnicast ? MacTable.Key(pool.Meta(packets[i]).VlanId, destination) : 0;
        }

        _macs.Locate(keys, homes);
        for (var i = 0; i < packets.Length; i++)
        {
            var packet = packets[i];
            ref var meta = ref pool.Meta(packet);
            if (keys[i] == 0 || !_macs.TryLookupAt(homes[i], keys[i], out var port)) Flood(pool, packet, ref meta);
            else if (port == meta.InputPort) Drop(SamePort, packet);
            else
            {
                meta.OutputPort = port;
                Emit(Unicast, packet);
            }
        }
    }

    /// <summary>Sends clones to all but the last port and the packet itself to the last.</summary>
    private void Flood(PacketPool pool, int packet, ref PacketMeta meta)
    {
        var target = -1;
        foreach (var port in _vlans.Ports(meta.VlanId))
        {
            if (port == meta.InputPort) continue;
            if (target >= 0)
            {
                if (pool.TryClone(packet, out var copy))
                {
                    pool.Meta(copy).OutputPort = target;
                    Emit(Flooded, copy);
                }
                else CountDrop(CloneFailed);
            }
            target = port;
        }
        if (target < 0)
        {
            Drop(NoOtherPort, packet);
            return;
        }
        meta.OutputPort = target;
        Emit(Flooded, packet);
    }
}
