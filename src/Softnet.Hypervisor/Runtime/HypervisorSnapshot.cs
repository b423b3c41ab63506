using Softnet.Hypervisor.Scheduling;
using Softnet.Hypervisor.Topology;

namespace Softnet.Hypervisor.Runtime;

/// <summary>Everything <c>softnet inspect</c> shows: every network, domain, port and counter, taken at one moment.</summary>
public sealed record HypervisorSnapshot(
    DateTimeOffset Taken,
    int Workers,
    int Redistributions,
    PoolStatus Pool,
    IReadOnlyList<NetworkStatus> Networks,
    IReadOnlyList<PhysicalPortStatus> PhysicalPorts)
{
    /// <summary>
    /// Bytes the worker threads have allocated on the managed heap since they started, as of their last sample
    /// (every 10 ms while they run): the data plane allocates nothing per packet, so this stays flat under traffic.
    /// </summary>
    public long WorkerAllocatedBytes { get; init; }
}

/// <summary>The packet buffer pool shared by every domain.</summary>
public sealed record PoolStatus(int Capacity, int InUse, int BufferSize);

/// <summary>
/// A software network: its token grant and balance, and the share of worker time it used over the last
/// measurement interval (elasticity: it grows under backlog and shrinks when idle).
/// </summary>
public sealed record NetworkStatus(
    string Name,
    NetworkArchitecture Architecture,
    int BaseTokens,
    PriorityKind Priority,
    long TokenBalance,
    long TokenAllocation,
    double GrantedShare,
    double WorkerShare,
    IReadOnlyList<DomainStatus> Domains,
    IReadOnlyList<HostStatus> Hosts);

/// <summary>A domain (one device) with its tokens, its measured share of worker time, its ports and its element counters.</summary>
public sealed record DomainStatus(
    string Name,
    string Kind,
    int BaseTokens,
    long TokenBalance,
    double WorkerShare,
    long Turns,
    long Backlog,
    IReadOnlyList<PortStatus> Ports,
    IReadOnlyList<ElementStatus> Elements);

/// <summary>A device port (<c>r1-eth0</c>) and what it is linked to (<c>s1:eth1</c> or a physical port).</summary>
public sealed record PortStatus(
    string Name,
    string Mac,
    string LinkedTo,
    long RxPackets,
    long RxBytes,
    long TxPackets,
    long TxBytes,
    long TxDropped);

/// <summary>An element's counters: packets it received, and every named drop or delivery reason that moved.</summary>
public sealed record ElementStatus(string Name, long Received, IReadOnlyDictionary<string, long> Counters);

/// <summary>A host: its namespace (when real) and the physical port the driver domain serves it by.</summary>
public sealed record HostStatus(string Name, string? Namespace, string PhysicalPort, PhysicalPortKind Kind, IReadOnlyList<string> Addresses);

/// <summary>A physical port of the node and the driver domain's counters for it.</summary>
public sealed record PhysicalPortStatus(
    string Name,
    PhysicalPortKind Kind,
    string Network,
    string Backend,
    long RxFrames,
    long RxBytes,
    long TxFrames,
    long TxBytes,
    long RxDropped,
    long TxDropped,
    long Segmented);
