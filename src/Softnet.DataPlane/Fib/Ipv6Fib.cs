using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using Softnet.Wire;

namespace Softnet.DataPlane.Fib;

/// <summary>
/// IPv6 longest-prefix match in Poptrie form (Asai and Ohara, SIGCOMM 2015): a 65,536-entry table indexed by the
/// top 16 address bits holds either a result or the root of a multibit trie of 6-bit strides, whose nodes are
/// compressed with bitmaps and popcounts (<see cref="PopNode"/>) and whose results are pushed down to the leaves.
/// Results are caller-chosen next-hop ids in 1..<see cref="NextHopId.Max"/>; 0 means no route.
/// </summary>
/// <remarks>
/// The rules are kept in a sorted set, and a change rebuilds from them the smallest subtree it affects: the deepest
/// node on the prefix's path, or the nearest ancestor still needed once the last prefix below a node is removed.
/// A prefix of /16 or shorter is pushed into every subtree beneath it, so changing ::/0 rebuilds them all.
/// Not thread-safe: updates must not run concurrently with lookups.
/// </remarks>
public sealed class Ipv6Fib
{
    private const int DirectBits = 16;
    private const int Stride = 6;
    private const int Slots = 1 << Stride;
    private const int MaxPathNodes = (128 - DirectBits + Stride - 1) / Stride;
    private const uint LeafFlag = 0x8000_0000;

    private readonly uint[] _direct = new uint[1 << DirectBits];
    private readonly ushort[] _directNextHop = new ushort[1 << DirectBits];
    private readonly byte[] _directDepth = new byte[1 << DirectBits];
    private readonly BlockPool<PopNode> _nodes = new();
    private readonly BlockPool<ushort> _leaves = new();
    private readonly SortedSet<Ipv6Route> _routes;
    private readonly List<Ipv6Route> _scratch = [];

    public Ipv6Fib()
    {
        _direct.AsSpan().Fill(LeafFlag);
        _routes = new SortedSet<Ipv6Route>(RouteOrder.Instance);
    }

    /// <summary>Builds a FIB from <paramref name="routes"/> in one pass; a prefix listed twice keeps its last next hop.</summary>
    public Ipv6Fib(ReadOnlySpan<Ipv6Route> routes)
    {
        var latest = new Dictionary<Ipv6Prefix, ushort>(routes.Length);
        foreach (var route in routes)
        {
            NextHopId.Validate(route.NextHop, route.Prefix);
            latest[route.Prefix] = route.NextHop;
        }
        var sorted = latest.Select(r => new Ipv6Route(r.Key, r.Value)).ToArray();
        Array.Sort(sorted, RouteOrder.Instance);
        _routes = new SortedSet<Ipv6Route>(sorted, RouteOrder.Instance);

        // In (network, length) order every prefix comes before those it contains, so painting in order leaves the longest on top.
        foreach (var route in sorted)
        {
            if (route.Prefix.Length > DirectBits) continue;
            var first = DirectIndex(route.Prefix.Network);
            var count = 1 << (DirectBits - route.Prefix.Length);
            _directNextHop.AsSpan(first, count).Fill(route.NextHop);
            _directDepth.AsSpan(first, count).Fill((byte)route.Prefix.Length);
        }
        for (var i = 0; i < _direct.Length; i++) _direct[i] = LeafFlag | _directNextHop[i];

        var deep = sorted.Where(r => r.Prefix.Length > DirectBits).ToArray();
        for (var i = 0; i < deep.Length;)
        {
            var index = DirectIndex(deep[i].Prefix.Network);
            var end = i + 1;
            while (end < deep.Length && DirectIndex(deep[end].Prefix.Network) == index) end++;
            var slot = _nodes.Allocate(1);
            Build(slot, deep.AsSpan(i, end - i), DirectBits, _directNextHop[index]);
            _direct[index] = (uint)slot;
            i = end;
        }
        _nodes.Trim();
        _leaves.Trim();
    }

    /// <summary>How many prefixes the FIB holds.</summary>
    public int Count => _routes.Count;

    /// <summary>Trie nodes in use below the direct table.</summary>
    public int NodeCount => _nodes.InUse;

    /// <summary>Bytes of the lookup structure (direct table, nodes and leaves), i.e. all that the forwarding path reads.</summary>
    public long MemoryBytes => (long)_direct.Length * sizeof(uint) + _nodes.Bytes + _leaves.Bytes;

    /// <summary>Approximate bytes of the rule store kept for updates (sorted-set nodes and per-/16 defaults).</summary>
    public long RuleStoreBytes => _directNextHop.Length * 3L + _routes.Count * 96L; // a sorted-set node is about 96 bytes

    /// <summary>Every route, in address order.</summary>
    public IEnumerable<Ipv6Route> Routes
    {
        get
        {
            foreach (var route in _routes) yield return route;
        }
    }

    /// <summary>The next-hop id of the longest prefix containing <paramref name="address"/>, or 0.</summary>
    public ushort Lookup(UInt128 address)
    {
        var high = (ulong)(address >> 64);
        var low = (ulong)address;
        var entry = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_direct), (nint)(high >> (64 - DirectBits)));
        if ((entry & LeafFlag) != 0) return (ushort)entry;
        ref var nodes = ref MemoryMarshal.GetArrayDataReference(_nodes.Items);
        var slot = (int)entry;
        var offset = DirectBits;
        while (true)
        {
            ref readonly var node = ref Unsafe.Add(ref nodes, slot);
            var index = SlotIndex(high, low, offset);
            var upToIndex = (2UL << index) - 1; // wraps to all ones for index 63
            if ((node.Vector >> index & 1) == 0)
                return Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_leaves.Items), node.LeafBase + BitOperations.PopCount(node.LeafVector & upToIndex) - 1);
            slot = node.ChildBase + BitOperations.PopCount(node.Vector & upToIndex) - 1;
            offset += Stride;
        }
    }

    /// <inheritdoc cref="Lookup(UInt128)"/>
    public ushort Lookup(Ipv6Address address) => Lookup(address.Value);

    /// <summary>
    /// Looks up every address into <paramref name="results"/>. Eight lookups are in flight at once and take turns,
    /// each descending one trie level and prefetching its next node before yielding, so that the dependent loads of
    /// one lookup overlap with those of the others (asynchronous memory access chaining, Kocberber et al., 2015).
    /// </summary>
    public unsafe void Lookup(ReadOnlySpan<UInt128> addresses, Span<ushort> results)
    {
        if (results.Length < addresses.Length)
            throw new ArgumentException($"The results span holds {results.Length} entries, fewer than the {addresses.Length} addresses.", nameof(results));
        results = results[..addresses.Length];
        const int Lanes = 8;
        Span<int> item = stackalloc int[Lanes];
        Span<int> slot = stackalloc int[Lanes];
        Span<int> offset = stackalloc int[Lanes];
        item.Fill(-1);
        ref var direct = ref MemoryMarshal.GetArrayDataReference(_direct);
        ref var leaves = ref MemoryMarshal.GetArrayDataReference(_leaves.Items);
        fixed (PopNode* nodes = _nodes.Items)
        {
            var next = 0;
            var inFlight = 0;
            for (var lane = 0; next < addresses.Length || inFlight > 0; lane = (lane + 1) % Lanes)
            {
                if (item[lane] < 0)
                {
                    // An idle lane starts the next address that needs the trie; the others finish in the direct table.
                    while (next < addresses.Length)
                    {
                        var entry = Unsafe.Add(ref direct, (nint)(ulong)(addresses[next] >> (128 - DirectBits)));
                        if ((entry & LeafFlag) != 0)
                        {
                            results[next++] = (ushort)entry;
                            continue;
                        }
                        item[lane] = next++;
                        slot[lane] = (int)entry;
                        offset[lane] = DirectBits;
                        inFlight++;
                        Prefetch(nodes + entry);
                        break;
                    }
                    continue;
                }
                var address = addresses[item[lane]];
                var node = nodes + slot[lane];
                var index = SlotIndex((ulong)(address >> 64), (ulong)address, offset[lane]);
                var upToIndex = (2UL << index) - 1;
                if ((node->Vector >> index & 1) == 0)
                {
                    results[item[lane]] = Unsafe.Add(ref leaves, node->LeafBase + BitOperations.PopCount(node->LeafVector & upToIndex) - 1);
                    item[lane] = -1;
                    inFlight--;
                    continue;
                }
                slot[lane] = node->ChildBase + BitOperations.PopCount(node->Vector & upToIndex) - 1;
                offset[lane] += Stride;
                Prefetch(nodes + slot[lane]);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Prefetch(PopNode* node)
    {
        if (Sse.IsSupported) Sse.Prefetch0(node);
    }

    public bool TryGet(Ipv6Prefix prefix, out ushort nextHop)
    {
        var found = _routes.TryGetValue(new Ipv6Route(prefix, NextHopId.NoRoute), out var route);
        nextHop = route.NextHop;
        return found;
    }

    /// <summary>Adds <paramref name="prefix"/>, or replaces its next hop if present.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="nextHop"/> is outside 1..<see cref="NextHopId.Max"/>.</exception>
    public void Add(Ipv6Prefix prefix, ushort nextHop)
    {
        NextHopId.Validate(nextHop, prefix);
        var route = new Ipv6Route(prefix, nextHop);
        _routes.Remove(route);
        _routes.Add(route);
        if (prefix.Length <= DirectBits) RewriteDirect(prefix, nextHop, (byte)prefix.Length, removal: false);
        else RebuildPath(prefix);
    }

    /// <summary>Removes <paramref name="prefix"/>; its addresses fall back to the longest prefix covering it.</summary>
    public bool Remove(Ipv6Prefix prefix)
    {
        if (!_routes.Remove(new Ipv6Route(prefix, NextHopId.NoRoute))) return false;
        if (prefix.Length <= DirectBits)
        {
            var (nextHop, depth) = Covering(prefix);
            RewriteDirect(prefix, nextHop, depth, removal: true);
        }
        else
        {
            RebuildPath(prefix);
        }
        return true;
    }

    private static int DirectIndex(Ipv6Address address) => (int)(address.Upper >> (64 - DirectBits));

    // The 6 address bits from `offset` on; offsets are 16 + 6k, so a stride never straddles the two halves, and the
    // last one (offset 124) reads 4 address bits and 2 zero bits.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SlotIndex(ulong high, ulong low, int offset) =>
        (int)(((offset < 64 ? high : low) << (offset & 63)) >> (64 - Stride));

    private static int SlotIndex(Ipv6Address address, int offset) => SlotIndex(address.Upper, address.Lower, offset);

    private (ushort NextHop, byte Depth) Covering(Ipv6Prefix prefix)
    {
        for (var shorter = prefix.Length - 1; shorter >= 0; shorter--)
        {
            if (_routes.TryGetValue(new Ipv6Route(new Ipv6Prefix(prefix.Network, shorter), NextHopId.NoRoute), out var route))
                return (route.NextHop, (byte)shorter);
        }
        return (NextHopId.NoRoute, 0);
    }

    // A prefix of /16 or shorter becomes the default of the direct entries it owns: on addition those owned by a
    // prefix of its length or shorter (depth 0 also stands for "no route"), on removal those owned by it exactly.
    private void RewriteDirect(Ipv6Prefix prefix, ushort nextHop, byte depth, bool removal)
    {
        var first = DirectIndex(prefix.Network);
        for (var index = first; index < first + (1 << (DirectBits - prefix.Length)); index++)
        {
            if (removal ? _directDepth[index] != prefix.Length : _directDepth[index] > prefix.Length) continue;
            _directNextHop[index] = nextHop;
            _directDepth[index] = depth;
            if ((_direct[index] & LeafFlag) != 0) _direct[index] = LeafFlag | nextHop;
            else RebuildDirect(index);
        }
    }

    // Rebuilds the deepest node on the path of a prefix longer than /16 that still has prefixes below it; nodes
    // deeper than that are no longer needed and go with the rebuild.
    private void RebuildPath(Ipv6Prefix prefix)
    {
        var index = DirectIndex(prefix.Network);
        if ((_direct[index] & LeafFlag) != 0)
        {
            RebuildDirect(index);
            return;
        }
        Span<int> path = stackalloc int[MaxPathNodes];
        var depth = 0;
        var slot = (int)_direct[index];
        for (var offset = DirectBits; ; offset += Stride)
        {
            path[depth++] = slot;
            if (prefix.Length <= offset + Stride) break;
            var node = _nodes.Items[slot];
            var bit = SlotIndex(prefix.Network, offset);
            if ((node.Vector >> bit & 1) == 0) break;
            slot = node.ChildBase + BitOperations.PopCount(node.Vector & ((1UL << bit) - 1));
        }
        for (var level = depth - 1; level >= 1; level--)
        {
            var offset = DirectBits + level * Stride;
            var network = prefix.Network.Value & Ipv6Prefix.MaskOf(offset);
            if (!Gather(network, offset)) continue;
            var fallback = Fallback(network, offset);
            FreeBelow(path[level]);
            Build(path[level], CollectionsMarshal.AsSpan(_scratch), offset, fallback);
            return;
        }
        RebuildDirect(index);
    }

    private void RebuildDirect(int index)
    {
        var entry = _direct[index];
        if ((entry & LeafFlag) == 0)
        {
            FreeBelow((int)entry);
            _nodes.Free((int)entry, 1);
        }
        if (!Gather((UInt128)index << (128 - DirectBits), DirectBits))
        {
            _direct[index] = LeafFlag | _directNextHop[index];
            return;
        }
        var slot = _nodes.Allocate(1);
        Build(slot, CollectionsMarshal.AsSpan(_scratch), DirectBits, _directNextHop[index]);
        _direct[index] = (uint)slot;
    }

    // Collects the prefixes strictly inside network/offset (longer than offset) into _scratch.
    private bool Gather(UInt128 network, int offset)
    {
        _scratch.Clear();
        var lower = new Ipv6Route(new Ipv6Prefix(new Ipv6Address(network), offset + 1), NextHopId.NoRoute);
        var upper = new Ipv6Route(new Ipv6Prefix(new Ipv6Address(network | UInt128.MaxValue >> offset), 128), NextHopId.NoRoute);
        foreach (var route in _routes.GetViewBetween(lower, upper)) _scratch.Add(route);
        return _scratch.Count > 0;
    }

    // The result of a node's space before its own prefixes: the longest prefix of /17..offset covering it, else the
    // direct entry's default.
    private ushort Fallback(UInt128 network, int offset)
    {
        var address = new Ipv6Address(network);
        for (var length = offset; length > DirectBits; length--)
        {
            if (_routes.TryGetValue(new Ipv6Route(new Ipv6Prefix(address, length), NextHopId.NoRoute), out var route))
                return route.NextHop;
        }
        return _directNextHop[DirectIndex(address)];
    }

    private void FreeBelow(int slot)
    {
        var node = _nodes.Items[slot];
        var children = BitOperations.PopCount(node.Vector);
        for (var i = 0; i < children; i++) FreeBelow(node.ChildBase + i);
        if (children > 0) _nodes.Free(node.ChildBase, children);
        var leaves = BitOperations.PopCount(node.LeafVector);
        if (leaves > 0) _leaves.Free(node.LeafBase, leaves);
    }

    // Builds into `slot` the node for the space at `offset` from `routes`: sorted by (network, length), all in that
    // space, where those not longer than `offset` are already folded into `fallback` and are skipped.
    private void Build(int slot, ReadOnlySpan<Ipv6Route> routes, int offset, ushort fallback)
    {
        Span<ushort> results = stackalloc ushort[Slots];
        results.Fill(fallback);
        var vector = 0UL;
        foreach (var route in routes)
        {
            var length = route.Prefix.Length;
            if (length <= offset) continue;
            var index = SlotIndex(route.Prefix.Network, offset);
            if (length <= offset + Stride) results.Slice(index, 1 << (offset + Stride - length)).Fill(route.NextHop);
            else vector |= 1UL << index;
        }

        Span<ushort> runs = stackalloc ushort[Slots];
        var leafVector = 0UL;
        var runCount = 0;
        for (var i = 0; i < results.Length; i++)
        {
            if ((vector >> i & 1) != 0 || (runCount > 0 && runs[runCount - 1] == results[i])) continue;
            leafVector |= 1UL << i;
            runs[runCount++] = results[i];
        }
        var childCount = BitOperations.PopCount(vector);
        var childBase = childCount == 0 ? 0 : _nodes.Allocate(childCount);
        var leafBase = runCount == 0 ? 0 : _leaves.Allocate(runCount);
        runs[..runCount].CopyTo(_leaves.Items.AsSpan(leafBase));
        _nodes.Items[slot] = new PopNode(vector, leafVector, childBase, leafBase);

        // The prefixes of one slot are consecutive in (network, length) order.
        var child = childBase;
        for (var i = 0; i < routes.Length;)
        {
            var index = SlotIndex(routes[i].Prefix.Network, offset);
            var end = i + 1;
            while (end < routes.Length && SlotIndex(routes[end].Prefix.Network, offset) == index) end++;
            if ((vector >> index & 1) != 0) Build(child++, routes[i..end], offset + Stride, results[index]);
            i = end;
        }
    }

    private sealed class RouteOrder : IComparer<Ipv6Route>
    {
        public static readonly RouteOrder Instance = new();

        public int Compare(Ipv6Route x, Ipv6Route y)
        {
            var byNetwork = x.Prefix.Network.Value.CompareTo(y.Prefix.Network.Value);
            return byNetwork != 0 ? byNetwork : x.Prefix.Length.CompareTo(y.Prefix.Length);
        }
    }
}
