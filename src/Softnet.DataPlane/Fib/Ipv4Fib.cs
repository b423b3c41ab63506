using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Softnet.Wire;

namespace Softnet.DataPlane.Fib;

/// <summary>
/// IPv4 longest-prefix match in DIR-24-8 form (Gupta, Lin and McKeown, 1998): one 16 Mi-entry table indexed by the
/// top 24 address bits, whose entries either hold the result or, with the top bit set, name a 256-entry "tbl8"
/// group indexed by the last 8 bits. A lookup is one memory access, two for the rare destinations under a prefix
/// longer than /24. Results are caller-chosen next-hop ids in 1..<see cref="NextHopId.Max"/>; 0 means no route.
/// </summary>
/// <remarks>
/// The rule store (every prefix by length, plus the length of the prefix that owns each table entry) is kept beside
/// the lookup tables so that any insertion or removal order yields exactly the longest-prefix-match answer, and a
/// removed prefix gives its addresses back to the covering one. Updates rewrite only the entries a prefix owns.
/// Not thread-safe: updates must not run concurrently with lookups.
/// </remarks>
public sealed class Ipv4Fib
{
    /// <summary>The hard ceiling on tbl8 groups: group numbers are the 15 bits beside the flag bit.</summary>
    public const int MaxTbl8Groups = 0x8000;

    private const ushort GroupFlag = 0x8000;
    private const int GroupSize = 256;
    private const int MinGroupCapacity = 16;

    private readonly NativeArray<ushort> _tbl24 = new(1 << 24);
    private readonly byte[] _depth24 = new byte[1 << 24];
    private ushort[] _tbl8 = [];
    private byte[] _depth8 = [];
    private readonly int _maxGroups;
    private readonly Stack<int> _freeGroups = new();
    private int _groupsCreated;
    private readonly Dictionary<uint, ushort>?[] _rules = new Dictionary<uint, ushort>?[33];

    /// <summary>An empty FIB that may use up to <paramref name="maxTbl8Groups"/> groups (each holds the /25../32 prefixes of one /24).</summary>
    public Ipv4Fib(int maxTbl8Groups = MaxTbl8Groups)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxTbl8Groups);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxTbl8Groups, MaxTbl8Groups);
        _maxGroups = maxTbl8Groups;
    }

    /// <summary>Builds a FIB from <paramref name="routes"/> in one pass; a prefix listed twice keeps its last next hop.</summary>
    /// <exception cref="InvalidOperationException">The routes need more tbl8 groups than <paramref name="maxTbl8Groups"/>.</exception>
    public Ipv4Fib(ReadOnlySpan<Ipv4Route> routes, int maxTbl8Groups = MaxTbl8Groups) : this(maxTbl8Groups)
    {
        foreach (var route in routes)
        {
            NextHopId.Validate(route.NextHop, route.Prefix);
            (_rules[route.Prefix.Length] ??= new())[route.Prefix.Network.Value] = route.NextHop;
        }
        // Shorter prefixes first, so that each one overwrites its whole range and longer ones then take theirs.
        for (var length = 0; length <= 32; length++)
        {
            if (_rules[length] is not { } rules) continue;
            foreach (var (network, nextHop) in rules)
            {
                var prefix = new Ipv4Prefix(new Ipv4Address(network), length);
                EnsureGroupFor(prefix);
                Rewrite(network, length, nextHop, (byte)length, removal: false);
            }
            Count += rules.Count;
        }
    }

    /// <summary>How many prefixes the FIB holds.</summary>
    public int Count { get; private set; }

    /// <summary>The tbl8 groups in use (one per /24 holding prefixes longer than /24).</summary>
    public int Tbl8GroupsInUse => _groupsCreated - _freeGroups.Count;

    /// <summary>Bytes of the lookup tables, i.e. all that the forwarding path reads.</summary>
    public long MemoryBytes => ((long)_tbl24.Length + _tbl8.Length) * sizeof(ushort);

    /// <summary>Approximate bytes of the rule store kept for updates (prefix dictionaries and per-entry owner lengths).</summary>
    public long RuleStoreBytes
    {
        get
        {
            long bytes = _depth24.Length + _depth8.Length;
            foreach (var rules in _rules)
                if (rules is not null) bytes += rules.EnsureCapacity(0) * 20L; // 16-byte entry and 4-byte bucket
            return bytes;
        }
    }

    /// <summary>Every route, shortest prefixes first.</summary>
    public IEnumerable<Ipv4Route> Routes
    {
        get
        {
            for (var length = 0; length <= 32; length++)
            {
                if (_rules[length] is not { } rules) continue;
                foreach (var (network, nextHop) in rules)
                    yield return new Ipv4Route(new Ipv4Prefix(new Ipv4Address(network), length), nextHop);
            }
        }
    }

    /// <summary>The next-hop id of the longest prefix containing <paramref name="address"/> (host order), or 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ushort Lookup(uint address)
    {
        var entry = Unsafe.Add(ref _tbl24.First, (nint)(address >> 8));
        if ((entry & GroupFlag) != 0)
            entry = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_tbl8), (nint)((uint)(entry & ~GroupFlag) << 8 | (address & 0xFF)));
        return entry;
    }

    /// <inheritdoc cref="Lookup(uint)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ushort Lookup(Ipv4Address address) => Lookup(address.Value);

    /// <summary>
    /// Looks up every address into <paramref name="results"/>. The iterations are independent and the tbl8 branch is
    /// almost never taken, so the processor keeps the table loads of many addresses in flight at once.
    /// </summary>
    public void Lookup(ReadOnlySpan<uint> addresses, Span<ushort> results)
    {
        if (results.Length < addresses.Length)
            throw new ArgumentException($"The results span holds {results.Length} entries, fewer than the {addresses.Length} addresses.", nameof(results));
        results = results[..addresses.Length];
        ref var tbl24 = ref _tbl24.First;
        ref var tbl8 = ref MemoryMarshal.GetArrayDataReference(_tbl8);
        for (var i = 0; i < addresses.Length; i++)
        {
            var address = addresses[i];
            var entry = Unsafe.Add(ref tbl24, (nint)(address >> 8));
            if ((entry & GroupFlag) != 0)
                entry = Unsafe.Add(ref tbl8, (nint)((uint)(entry & ~GroupFlag) << 8 | (address & 0xFF)));
            results[i] = entry;
        }
    }

    public bool TryGet(Ipv4Prefix prefix, out ushort nextHop)
    {
        nextHop = NextHopId.NoRoute;
        return _rules[prefix.Length] is { } rules && rules.TryGetValue(prefix.Network.Value, out nextHop);
    }

    /// <summary>Adds <paramref name="prefix"/>, or replaces its next hop if present.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="nextHop"/> is outside 1..<see cref="NextHopId.Max"/>.</exception>
    /// <exception cref="InvalidOperationException">The prefix is longer than /24 and no tbl8 group is left; the FIB is unchanged.</exception>
    public void Add(Ipv4Prefix prefix, ushort nextHop)
    {
        NextHopId.Validate(nextHop, prefix);
        EnsureGroupFor(prefix);
        var network = prefix.Network.Value;
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_rules[prefix.Length] ??= new(), network, out var existed);
        slot = nextHop;
        if (!existed) Count++;
        Rewrite(network, prefix.Length, nextHop, (byte)prefix.Length, removal: false);
    }

    /// <summary>Removes <paramref name="prefix"/>; its addresses fall back to the longest prefix covering it.</summary>
    public bool Remove(Ipv4Prefix prefix)
    {
        var network = prefix.Network.Value;
        if (_rules[prefix.Length] is not { } rules || !rules.Remove(network)) return false;
        Count--;
        var (nextHop, depth) = Covering(network, prefix.Length);
        Rewrite(network, prefix.Length, nextHop, depth, removal: true);
        return true;
    }

    private (ushort NextHop, byte Depth) Covering(uint network, int length)
    {
        for (var shorter = length - 1; shorter >= 0; shorter--)
        {
            if (_rules[shorter] is { } rules && rules.TryGetValue(network & Ipv4Prefix.MaskOf(shorter), out var nextHop))
                return (nextHop, (byte)shorter);
        }
        return (NextHopId.NoRoute, 0);
    }

    private void EnsureGroupFor(Ipv4Prefix prefix)
    {
        if (prefix.Length <= 24 || (_tbl24[prefix.Network.Value >> 8] & GroupFlag) != 0 || Tbl8GroupsInUse < _maxGroups) return;
        throw new InvalidOperationException(
            $"Cannot add {prefix}: all {_maxGroups} tbl8 groups are in use (each /24 holding prefixes longer than /24 takes one).");
    }

    // Gives (nextHop, depth) to the entries under network/length that the prefix owns: on addition those owned by a
    // prefix of this length or shorter (depth 0 also stands for "no route"), on removal those owned by it exactly.
    private void Rewrite(uint network, int length, ushort nextHop, byte depth, bool removal)
    {
        var index = (int)(network >> 8);
        if (length <= 24)
        {
            for (var end = index + (1 << (24 - length)); index < end; index++)
            {
                var entry = _tbl24[index];
                if ((entry & GroupFlag) != 0)
                {
                    RewriteGroup(entry & ~GroupFlag, 0, GroupSize, length, nextHop, depth, removal);
                }
                else if (removal ? _depth24[index] == length : _depth24[index] <= length)
                {
                    _tbl24[index] = nextHop;
                    _depth24[index] = depth;
                }
            }
            return;
        }
        var group = (_tbl24[index] & GroupFlag) != 0 ? _tbl24[index] & ~GroupFlag : CreateGroup(index);
        RewriteGroup(group, (int)(network & 0xFF), 1 << (32 - length), length, nextHop, depth, removal);
        if (removal) CollapseIfShort(index, group);
    }

    private void RewriteGroup(int group, int first, int count, int length, ushort nextHop, byte depth, bool removal)
    {
        var start = group * GroupSize + first;
        var entries = _tbl8.AsSpan(start, count);
        var depths = _depth8.AsSpan(start, count);
        for (var i = 0; i < entries.Length; i++)
        {
            if (removal ? depths[i] == length : depths[i] <= length)
            {
                entries[i] = nextHop;
                depths[i] = depth;
            }
        }
    }

    // A new group starts as 256 copies of the tbl24 entry it replaces.
    private int CreateGroup(int index)
    {
        int group;
        if (_freeGroups.Count > 0)
        {
            group = _freeGroups.Pop();
        }
        else
        {
            group = _groupsCreated++;
            if (_tbl8.Length < _groupsCreated * GroupSize)
            {
                var capacity = Math.Min(_maxGroups, Math.Max(MinGroupCapacity, _tbl8.Length / GroupSize * 2));
                Array.Resize(ref _tbl8, capacity * GroupSize);
                Array.Resize(ref _depth8, capacity * GroupSize);
            }
        }
        _tbl8.AsSpan(group * GroupSize, GroupSize).Fill(_tbl24[index]);
        _depth8.AsSpan(group * GroupSize, GroupSize).Fill(_depth24[index]);
        _tbl24[index] = (ushort)(GroupFlag | group);
        return group;
    }

    // Once no prefix longer than /24 is left in the group, all its entries belong to one covering prefix (or none)
    // and the group folds back into its tbl24 entry.
    private void CollapseIfShort(int index, int group)
    {
        var start = group * GroupSize;
        if (_depth8.AsSpan(start, GroupSize).IndexOfAnyInRange((byte)25, (byte)32) >= 0) return;
        _tbl24[index] = _tbl8[start];
        _depth24[index] = _depth8[start];
        _freeGroups.Push(group);
    }
}
