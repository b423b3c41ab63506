namespace Softnet.Devices.Ip;

public enum ForwardingKind
{
    /// <summary>Addressed to the device itself.</summary>
    Local,

    /// <summary>A directly connected subnet: the destination is the neighbour, to be resolved on <see cref="ForwardingEntry.Port"/>.</summary>
    Glean,

    /// <summary>Through one of <see cref="ForwardingEntry.Adjacencies"/> (several: ECMP by flow hash).</summary>
    Forward,

    /// <summary>Dropped silently (a null route).</summary>
    Blackhole,

    /// <summary>Refused with ICMP destination unreachable (administratively prohibited).</summary>
    Reject,
}

/// <summary>What a FIB result id stands for. Entries are shared by every prefix with the same forwarding.</summary>
public sealed class ForwardingEntry
{
    internal ForwardingEntry(int id, ForwardingKind kind, int port, Adjacency[] adjacencies)
    {
        Id = id;
        Kind = kind;
        Port = port;
        Adjacencies = adjacencies;
    }

    public int Id { get; }
    public ForwardingKind Kind { get; }
    public int Port { get; }
    public Adjacency[] Adjacencies { get; }

    internal static string MakeKey(ForwardingKind kind, int port, Adjacency[] adjacencies) =>
        $"{kind}:{port}:{string.Join(',', adjacencies.Select(a => a.Id).Order())}";

    /// <summary>Picks the adjacency for a flow: the same flow always takes the same path.</summary>
    public Adjacency Select(uint flowHash)
    {
        var adjacencies = Adjacencies;
        return adjacencies.Length == 1 ? adjacencies[0] : adjacencies[(int)(flowHash % (uint)adjacencies.Length)];
    }
}
