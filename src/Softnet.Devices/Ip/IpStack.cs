using Softnet.DataPlane;
using Softnet.DataPlane.Fib;
using Softnet.Wire;

namespace Softnet.Devices.Ip;

/// <summary>
/// The forwarding state of an IP device, shared by its elements: interface addresses, the IPv4 and IPv6 FIBs, the
/// forwarding entries their result ids stand for, and the adjacencies (neighbours) those entries lead to.
/// Changed only by the control methods here, on the device's own thread.
/// </summary>
public sealed class IpStack
{
    /// <summary>How long, in seconds, a resolved neighbour is trusted before it is solicited again.</summary>
    public const long ReachableSeconds = 30;

    /// <summary>Time between two solicitations of an unresolved neighbour.</summary>
    public static readonly TimeSpan RetransmitTime = TimeSpan.FromSeconds(1);

    /// <summary>Solicitations sent before a neighbour is declared unreachable.</summary>
    public const int MaxSolicitations = 3;

    /// <summary>Neighbours one device resolves at most (per family).</summary>
    public const int MaxNeighbors = 16_384;

    private readonly Dictionary<string, ForwardingEntry> _entriesByKey = [];
    private readonly List<Adjacency> _adjacencies = [];
    private Adjacency[] _adjacencyArray = new Adjacency[16];
    private readonly Dictionary<(int Port, UInt128 Address), Adjacency> _neighbors4 = [];
    private readonly Dictionary<(int Port, UInt128 Address), Adjacency> _neighbors6 = [];
    private readonly Dictionary<(int Port, IpFamily Family, UInt128 Address, MplsLabel Label), Adjacency> _labelled = [];
    private readonly List<Adjacency> _resolving = [];
    private readonly List<IpInterface> _interfaces = [];
    private ForwardingEntry?[] _entryArray = new ForwardingEntry?[16];
    private int _entryCount = 1;

    internal IpStack(Device device, bool forwarding)
    {
        Device = device;
        Forwarding = forwarding;
        Endpoints = forwarding ? null : new LocalEndpoints();
    }

    /// <summary>The sockets and ICMP queues of an end host; null on a router.</summary>
    public LocalEndpoints? Endpoints { get; }

    public Device Device { get; }

    /// <summary>True for a router: packets not addressed to the device are forwarded; a host drops them.</summary>
    public bool Forwarding { get; }

    public Ipv4Fib Fib4 { get; private set; } = new();
    public Ipv6Fib Fib6 { get; private set; } = new();
    public IcmpRateLimiter IcmpLimiter { get; } = new(perSecond: 1000, burst: 100);
    public IReadOnlyList<IpInterface> Interfaces => _interfaces;
    public IReadOnlyList<Adjacency> Adjacencies => _adjacencies;

    /// <summary>The adjacency with id <paramref name="id"/>: the forwarding path's way to an adjacency.</summary>
    public Adjacency AdjacencyAt(int id) => _adjacencyArray[id];
    internal List<Adjacency> Resolving => _resolving;

    /// <summary>The entry a FIB result id stands for, or null for "no route" (id 0).</summary>
    public ForwardingEntry? Entry(int id) => _entryArray[id];

    public IpInterface Interface(int port) => _interfaces[port];

    /// <summary>The result id of routes addressed to the device itself.</summary>
    internal int LocalEntryId => EntryFor(ForwardingKind.Local, -1, []).Id;

    internal void AddInterface(int port, MacAddress mac)
    {
        if (port != _interfaces.Count) throw new InvalidOperationException("Interfaces are added in port order.");
        _interfaces.Add(new IpInterface(port, mac));
    }

    /// <summary>Gives port <paramref name="port"/> an address: installs the connected subnet and the local host route.</summary>
    public void AddAddress(int port, Ipv4Address address, int prefixLength)
    {
        var subnet = new Ipv4Prefix(address, prefixLength);
        _interfaces[port].Add(address, subnet);
        if (prefixLength < 32) Fib4.Add(subnet, (ushort)EntryFor(ForwardingKind.Glean, port, []).Id);
        Fib4.Add(new Ipv4Prefix(address, 32), (ushort)LocalEntryId);
        if (prefixLength <= 30)
        {
            var broadcast = new Ipv4Address(subnet.Network.Value | ~subnet.Mask);
            Fib4.Add(new Ipv4Prefix(broadcast, 32), (ushort)LocalEntryId);
        }
    }

    public void AddAddress(int port, Ipv6Address address, int prefixLength)
    {
        var subnet = new Ipv6Prefix(address, prefixLength);
        _interfaces[port].Add(address, subnet);
        if (prefixLength < 128) Fib6.Add(subnet, (ushort)EntryFor(ForwardingKind.Glean, port, []).Id);
        Fib6.Add(new Ipv6Prefix(address, 128), (ushort)LocalEntryId);
    }

    /// <summary>Routes <paramref name="prefix"/> through the given next hops (several make an ECMP group); replaces any route for it.</summary>
    public void AddRoute(Ipv4Prefix prefix, IEnumerable<(int Port, Ipv4Address Gateway)> nextHops) =>
        AddRoute(prefix, nextHops.Select(h => (h.Port, h.Gateway, (MplsLabel?)null)));

    /// <summary>Routes <paramref name="prefix"/> through next hops that each may push an MPLS label (an ingress LER's FEC binding).</summary>
    public void AddRoute(Ipv4Prefix prefix, IEnumerable<(int Port, Ipv4Address Gateway, MplsLabel? Label)> nextHops)
    {
        var adjacencies = nextHops.Select(h => AdjacencyFor(h.Port, IpFamily.Ipv4, h.Gateway.Value, h.Label)).Distinct().ToArray();
        if (adjacencies.Length == 0) throw new ArgumentException($"Route {prefix} needs at least one next hop.", nameof(nextHops));
        Fib4.Add(prefix, (ushort)EntryFor(ForwardingKind.Forward, -1, adjacencies).Id);
    }

    public void AddRoute(Ipv6Prefix prefix, IEnumerable<(int Port, Ipv6Address Gateway)> nextHops) =>
        AddRoute(prefix, nextHops.Select(h => (h.Port, h.Gateway, (MplsLabel?)null)));

    public void AddRoute(Ipv6Prefix prefix, IEnumerable<(int Port, Ipv6Address Gateway, MplsLabel? Label)> nextHops)
    {
        var adjacencies = nextHops.Select(h => AdjacencyFor(h.Port, IpFamily.Ipv6, h.Gateway.Value, h.Label)).Distinct().ToArray();
        if (adjacencies.Length == 0) throw new ArgumentException($"Route {prefix} needs at least one next hop.", nameof(nextHops));
        Fib6.Add(prefix, (ushort)EntryFor(ForwardingKind.Forward, -1, adjacencies).Id);
    }

    /// <summary>
    /// Installs a whole table at once (a full Internet table): route <i>i</i> goes through
    /// <c>nextHops[routes[i].NextHop]</c>. The FIB is rebuilt in one pass with the routes it already had.
    /// </summary>
    public void LoadRoutes(IReadOnlyList<(Ipv4Prefix Prefix, int NextHop)> routes, IReadOnlyList<(int Port, Ipv4Address Gateway)> nextHops)
    {
        var ids = nextHops.Select(h => (ushort)EntryFor(ForwardingKind.Forward, -1, [GetOrCreateAdjacency(h.Port, IpFamily.Ipv4, h.Gateway.Value)]).Id).ToArray();
        var all = new List<Ipv4Route>(Fib4.Count + routes.Count);
        all.AddRange(Fib4.Routes);
        foreach (var (prefix, nextHop) in routes) all.Add(new Ipv4Route(prefix, ids[nextHop]));
        Fib4 = new Ipv4Fib(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(all));
    }

    public void LoadRoutes(IReadOnlyList<(Ipv6Prefix Prefix, int NextHop)> routes, IReadOnlyList<(int Port, Ipv6Address Gateway)> nextHops)
    {
        var ids = nextHops.Select(h => (ushort)EntryFor(ForwardingKind.Forward, -1, [GetOrCreateAdjacency(h.Port, IpFamily.Ipv6, h.Gateway.Value)]).Id).ToArray();
        var all = new List<Ipv6Route>(Fib6.Count + routes.Count);
        all.AddRange(Fib6.Routes);
        foreach (var (prefix, nextHop) in routes) all.Add(new Ipv6Route(prefix, ids[nextHop]));
        Fib6 = new Ipv6Fib(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(all));
    }

    /// <summary>A neighbour whose link-layer address is configured (a static ARP or ND entry): never solicited, never expires.</summary>
    public Adjacency AddStaticNeighbor(int port, IpFamily family, UInt128 address, MacAddress mac)
    {
        var adjacency = GetOrCreateAdjacency(port, family, address);
        adjacency.IsStatic = true;
        Confirm(port, family, address, mac, Device.Now);
        return adjacency;
    }

    /// <summary>Installs a route that drops (<see cref="ForwardingKind.Blackhole"/>) or refuses (<see cref="ForwardingKind.Reject"/>).</summary>
    public void AddDiscardRoute(Ipv4Prefix prefix, ForwardingKind kind) => Fib4.Add(prefix, (ushort)DiscardEntry(kind).Id);

    public void AddDiscardRoute(Ipv6Prefix prefix, ForwardingKind kind) => Fib6.Add(prefix, (ushort)DiscardEntry(kind).Id);

    public bool RemoveRoute(Ipv4Prefix prefix) => Fib4.Remove(prefix);

    public bool RemoveRoute(Ipv6Prefix prefix) => Fib6.Remove(prefix);

    /// <summary>Looks up the entry for a destination, as the forwarding path does.</summary>
    public ForwardingEntry? Lookup(Ipv4Address destination) => _entryArray[Fib4.Lookup(destination)];

    public ForwardingEntry? Lookup(Ipv6Address destination) => _entryArray[Fib6.Lookup(destination)];

    /// <summary>The adjacency for a neighbour on a port, created (unresolved) if new; null when the neighbour table is full.</summary>
    public Adjacency? FindOrAddNeighbor(int port, IpFamily family, UInt128 address)
    {
        var table = family == IpFamily.Ipv4 ? _neighbors4 : _neighbors6;
        if (table.TryGetValue((port, address), out var existing)) return existing;
        if (table.Count >= MaxNeighbors) return null;
        return GetOrCreateAdjacency(port, family, address);
    }

    public Adjacency? FindNeighbor(int port, IpFamily family, UInt128 address) =>
        (family == IpFamily.Ipv4 ? _neighbors4 : _neighbors6).GetValueOrDefault((port, address));

    /// <summary>Records a neighbour's link-layer address; returns its adjacency if one was waiting for it or already known.</summary>
    internal Adjacency? Confirm(int port, IpFamily family, UInt128 address, MacAddress mac, long now)
    {
        var adjacency = FindNeighbor(port, family, address);
        if (adjacency is null) return null;
        var wasResolved = adjacency.State == NeighborState.Reachable;
        adjacency.Mac = mac;
        adjacency.State = NeighborState.Reachable;
        adjacency.Attempts = 0;
        adjacency.ConfirmedAt = now;
        _resolving.Remove(adjacency);
        if (!wasResolved) InstallHostRoute(adjacency);
        return adjacency;
    }

    internal void Fail(Adjacency adjacency)
    {
        adjacency.State = NeighborState.Failed;
        _resolving.Remove(adjacency);
    }

    /// <summary>Notes a solicitation sent for <paramref name="adjacency"/> and keeps it on the retransmission list.</summary>
    internal void Solicited(Adjacency adjacency, long now)
    {
        if (adjacency.State == NeighborState.Failed) adjacency.State = NeighborState.Incomplete;
        adjacency.Attempts++;
        adjacency.LastSolicited = now;
        if (adjacency.State == NeighborState.Incomplete && !_resolving.Contains(adjacency)) _resolving.Add(adjacency);
    }

    /// <summary>The adjacency to a neighbour, pushing <paramref name="label"/> when given; created if new.</summary>
    public Adjacency AdjacencyFor(int port, IpFamily family, UInt128 address, MplsLabel? label)
    {
        var neighbor = GetOrCreateAdjacency(port, family, address);
        if (label is not { } pushed) return neighbor;
        if (_labelled.TryGetValue((port, family, address, pushed), out var existing)) return existing;
        var adjacency = new Adjacency(_adjacencies.Count, port, family, address, neighbor, pushed);
        Register(adjacency);
        _labelled.Add((port, family, address, pushed), adjacency);
        return adjacency;
    }

    private Adjacency GetOrCreateAdjacency(int port, IpFamily family, UInt128 address)
    {
        if ((uint)port >= (uint)_interfaces.Count) throw new ArgumentOutOfRangeException(nameof(port), port, $"Device '{Device.Name}' has no port {port}.");
        var table = family == IpFamily.Ipv4 ? _neighbors4 : _neighbors6;
        if (table.TryGetValue((port, address), out var existing)) return existing;
        var adjacency = new Adjacency(_adjacencies.Count, port, family, address);
        Register(adjacency);
        table.Add((port, address), adjacency);
        return adjacency;
    }

    private void Register(Adjacency adjacency)
    {
        _adjacencies.Add(adjacency);
        if (adjacency.Id == _adjacencyArray.Length) Array.Resize(ref _adjacencyArray, _adjacencyArray.Length * 2);
        _adjacencyArray[adjacency.Id] = adjacency;
    }

    /// <summary>A neighbour on a connected subnet, once resolved, gets a host route so that later packets skip the glean.</summary>
    private void InstallHostRoute(Adjacency adjacency)
    {
        var entry = EntryFor(ForwardingKind.Forward, -1, [adjacency]);
        if (adjacency.Family == IpFamily.Ipv4)
        {
            var host = new Ipv4Prefix(new Ipv4Address((uint)adjacency.Address), 32);
            if (!Fib4.TryGet(host, out _) && IsGlean(Lookup(host.Network), adjacency.Port)) Fib4.Add(host, (ushort)entry.Id);
        }
        else
        {
            var host = new Ipv6Prefix(new Ipv6Address(adjacency.Address), 128);
            if (!Fib6.TryGet(host, out _) && IsGlean(Lookup(host.Network), adjacency.Port)) Fib6.Add(host, (ushort)entry.Id);
        }
    }

    private static bool IsGlean(ForwardingEntry? entry, int port) => entry is { Kind: ForwardingKind.Glean } && entry.Port == port;

    private ForwardingEntry DiscardEntry(ForwardingKind kind)
    {
        if (kind is not (ForwardingKind.Blackhole or ForwardingKind.Reject)) throw new ArgumentException($"A discard route is Blackhole or Reject, not {kind}.", nameof(kind));
        return EntryFor(kind, -1, []);
    }

    private ForwardingEntry EntryFor(ForwardingKind kind, int port, Adjacency[] adjacencies)
    {
        var key = ForwardingEntry.MakeKey(kind, port, adjacencies);
        if (_entriesByKey.TryGetValue(key, out var existing)) return existing;
        if (_entryCount > NextHopId.Max) throw new InvalidOperationException($"Device '{Device.Name}' has more than {NextHopId.Max} distinct forwarding entries.");
        if (_entryCount == _entryArray.Length) Array.Resize(ref _entryArray, _entryArray.Length * 2);
        var entry = new ForwardingEntry(_entryCount, kind, port, adjacencies);
        _entryArray[_entryCount++] = entry;
        _entriesByKey.Add(key, entry);
        return entry;
    }
}
