using Softnet.Wire;

namespace Softnet.Devices.Ip;

public enum IpFamily
{
    Ipv4,
    Ipv6,
}

public enum NeighborState
{
    /// <summary>Being resolved (ARP request or neighbour solicitation sent); packets wait in its queue.</summary>
    Incomplete,

    /// <summary>Its link-layer address is known; packets are rewritten and sent at once.</summary>
    Reachable,

    /// <summary>Resolution gave up; packets are answered with ICMP unreachable until it is tried again.</summary>
    Failed,
}

/// <summary>
/// How to reach one neighbour out of one port: the rewrite a forwarded packet gets (VPP's adjacency). It is created
/// for a route's next hop or for a host on a connected subnet, and resolved by ARP or neighbour discovery.
/// </summary>
public sealed class Adjacency
{
    /// <summary>How many packets may wait for one neighbour to be resolved (Linux's unres_qlen is of this order).</summary>
    public const int MaxPending = 64;

    private int[]? _pending;
    private int _pendingHead;

    internal Adjacency(int id, int port, IpFamily family, UInt128 address, Adjacency? neighbor = null, MplsLabel? pushLabel = null)
    {
        Id = id;
        Port = port;
        Family = family;
        Address = address;
        Neighbor = neighbor ?? this;
        PushLabel = pushLabel;
    }

    /// <summary>
    /// The adjacency that holds the neighbour's resolution: itself, or for a labelled adjacency the plain one to the
    /// same neighbour, so that one ARP or ND exchange serves every label sent to that neighbour.
    /// </summary>
    public Adjacency Neighbor { get; }

    public int Id { get; }
    public int Port { get; }
    public IpFamily Family { get; }

    /// <summary>The neighbour's address: an IPv4 address in the low 32 bits, or an IPv6 address.</summary>
    public UInt128 Address { get; }

    public MacAddress Mac { get; internal set; }
    public NeighborState State { get; internal set; } = NeighborState.Incomplete;

    /// <summary>An MPLS label pushed on packets sent through this adjacency (label imposition), or null.</summary>
    public MplsLabel? PushLabel { get; }

    /// <summary>True for a configured neighbour (static ARP/ND entry), which is never solicited.</summary>
    public bool IsStatic { get; internal set; }

    internal int Attempts { get; set; }
    internal long LastSolicited { get; set; } = long.MinValue;
    internal long ConfirmedAt { get; set; }
    /// <summary>Packets waiting for this neighbour to be resolved.</summary>
    public int PendingCount { get; private set; }

    internal bool TryQueue(int packet)
    {
        _pending ??= new int[MaxPending];
        if (PendingCount == MaxPending) return false;
        _pending[(_pendingHead + PendingCount++) % MaxPending] = packet;
        return true;
    }

    internal bool TryDequeue(out int packet)
    {
        if (PendingCount == 0)
        {
            packet = -1;
            return false;
        }
        packet = _pending![_pendingHead];
        _pendingHead = (_pendingHead + 1) % MaxPending;
        PendingCount--;
        return true;
    }
}
