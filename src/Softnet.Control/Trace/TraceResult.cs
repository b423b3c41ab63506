namespace Softnet.Control.Trace;

/// <summary>The transport of a traced packet; with TCP and UDP the ports take part in the ECMP flow hash.</summary>
public enum TraceProtocol
{
    Icmp,
    Tcp,
    Udp,
}

/// <summary>How a trace ends.</summary>
public enum TraceOutcome
{
    /// <summary>The packet reaches the host (or device) owning the destination address.</summary>
    Delivered,

    /// <summary>A host or device has no route for the destination.</summary>
    NoRoute,

    /// <summary>A device discards it: a null or reject route, a label with no binding, a labelled frame at a router, a host that does not forward.</summary>
    Dropped,

    /// <summary>The packet comes back to a device it already crossed in the same state, or its TTL runs out.</summary>
    Loop,

    /// <summary>The next hop (the destination itself on a connected subnet) is on no port of the segment it is sent to.</summary>
    Unreachable,
}

/// <summary>One node the packet crosses: where it came in, where it goes out, and why.</summary>
public sealed record TraceHop(string Node, string? InPort, string? OutPort, string Decision)
{
    /// <summary><c>r1 eth0 -> eth1: 10.0.2.0/24 via 10.0.12.2 port eth1 (computed)</c>.</summary>
    public override string ToString() => $"{Node} {InPort ?? "-"} -> {OutPort ?? "-"}: {Decision}";
}

/// <summary>The path of a traced packet, hop by hop, its outcome and a one-line summary.</summary>
public sealed record TraceResult(IReadOnlyList<TraceHop> Hops, TraceOutcome Outcome, string Summary)
{
    public bool Equals(TraceResult? other) =>
        other is not null && Outcome == other.Outcome && Summary == other.Summary && Hops.SequenceEqual(other.Hops);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Outcome);
        hash.Add(Summary);
        foreach (var hop in Hops) hash.Add(hop);
        return hash.ToHashCode();
    }

    /// <summary>One hop per line, then the summary.</summary>
    public override string ToString() => string.Join('\n', Hops.Select(h => h.ToString()).Append(Summary));
}
