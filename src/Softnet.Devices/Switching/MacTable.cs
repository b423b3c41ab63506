using System.Numerics;
using Softnet.DataPlane;
using Softnet.Wire;

namespace Softnet.Devices.Switching;

/// <summary>
/// The filtering database of a switch: which port leads to each (VLAN, MAC), learned from source addresses and aged
/// out when not seen for <see cref="AgeingTime"/>. An open-addressing hash table with linear probing and
/// backward-shift deletion over one pre-allocated slot array, so learning and lookup never allocate and cost one or
/// two cache lines each, even with a million entries.
/// </summary>
/// <remarks>
/// Time is whole seconds (<see cref="Now"/>, set by the owner): an entry's last-seen stamp is written only when the
/// second changes, so refreshing a busy address does not dirty its cache line on every frame. Aged entries are
/// removed lazily when a lookup meets them and by <see cref="Sweep"/>, which the owner runs a few slots at a
/// time. The table holds at most <see cref="Capacity"/> entries (at most two thirds of the slots, keeping probes short).
/// </remarks>
public sealed class MacTable
{
    private const ulong Empty = 0;
    private const int MacBits = 48;

    private readonly NativeArray<Slot> _slots;
    private readonly int _mask;
    private readonly int _shift;
    private readonly int _ageingSeconds;
    private int _sweepCursor;

    public MacTable(int capacity, TimeSpan ageingTime)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, 1 << 28);
        ArgumentOutOfRangeException.ThrowIfLessThan(ageingTime, TimeSpan.FromSeconds(1));
        Capacity = capacity;
        AgeingTime = TimeSpan.FromSeconds(Math.Floor(ageingTime.TotalSeconds));
        _ageingSeconds = (int)Math.Min(AgeingTime.TotalSeconds, int.MaxValue);
        var slots = (int)BitOperations.RoundUpToPowerOf2((uint)(capacity + capacity / 2));
        _slots = new NativeArray<Slot>(Math.Max(slots, 16));
        _mask = _slots.Length - 1;
        _shift = 64 - BitOperations.Log2((uint)_slots.Length);
    }

    /// <summary>The most entries the table holds; past it new addresses are not learned (see <see cref="TableFull"/>).</summary>
    public int Capacity { get; }

    /// <summary>How long a learned entry lives without being seen, to the second.</summary>
    public TimeSpan AgeingTime { get; }

    public int Count { get; private set; }

    /// <summary>Number of hash slots (a power of two); a full <see cref="Sweep"/> visits each once.</summary>
    public int SlotCount => _slots.Length;

    /// <summary>Bytes the slot array reserves (outside the GC heap, in whole 2 MiB pages).</summary>
    public long MemoryBytes => _slots.SizeInBytes;

    /// <summary>The current time in whole seconds, on any fixed origin; learned and refreshed entries are stamped with it.</summary>
    public long Now { get; set; }

    /// <summary>New entries learned.</summary>
    public long Learned { get; private set; }

    /// <summary>Learned entries whose address appeared on another port (station moves).</summary>
    public long Moved { get; private set; }

    /// <summary>Entries removed because they were not seen for the ageing time.</summary>
    public long Aged { get; private set; }

    /// <summary>Addresses not learned because the table was full.</summary>
    public long TableFull { get; private set; }

    /// <summary>Records that <paramref name="mac"/> was seen on <paramref name="port"/> in <paramref name="vlan"/>; static entries are left as they are.</summary>
    public void Learn(int vlan, MacAddress mac, int port)
    {
        ValidatePort(port);
        var key = CheckedKey(vlan, mac);
        LearnAt(Home(key), key, port);
    }

    /// <summary>Finds the port for (<paramref name="vlan"/>, <paramref name="mac"/>); an entry found aged is removed and not returned.</summary>
    public bool TryLookup(int vlan, MacAddress mac, out int port)
    {
        var key = CheckedKey(vlan, mac);
        return TryLookupAt(Home(key), key, out port);
    }

    /// <summary>
    /// Computes the home slot of each key and prefetches it, so that the cache misses of a whole vector overlap instead
    /// of each waiting for the one before; keys of 0 are skipped. The elements call this before learning or looking up a
    /// vector: in a table of a million entries almost every probe misses the cache.
    /// </summary>
    internal void Locate(ReadOnlySpan<ulong> keys, Span<int> homes)
    {
        for (var i = 0; i < keys.Length; i++)
        {
            if (keys[i] == Empty) continue;
            var home = Home(keys[i]);
            homes[i] = home;
            Prefetch.Read(ref _slots[home]);
        }
    }

    internal void LearnAt(int home, ulong key, int port)
    {
        var now = (int)Now;
        for (var i = home; ; i = (i + 1) & _mask)
        {
            ref var slot = ref _slots[i];
            if (slot.Key == key)
            {
                if (slot.IsStatic) return;
                if (slot.Port != port)
                {
                    slot.Port = (ushort)port;
                    Moved++;
                }
                if (slot.Seen != now) slot.Seen = now;
                return;
            }
            if (slot.Key == Empty)
            {
                if (Count >= Capacity)
                {
                    TableFull++;
                    return;
                }
                slot = new Slot { Key = key, Port = (ushort)port, Seen = now };
                Count++;
                Learned++;
                return;
            }
        }
    }

    internal bool TryLookupAt(int home, ulong key, out int port)
    {
        for (var i = home; ; i = (i + 1) & _mask)
        {
            ref var slot = ref _slots[i];
            if (slot.Key == key)
            {
                if (IsAged(slot))
                {
                    RemoveAt(i);
                    Aged++;
                    break;
                }
                port = slot.Port;
                return true;
            }
            if (slot.Key == Empty) break;
        }
        port = -1;
        return false;
    }

    /// <summary>Adds or replaces an entry that never ages and is not moved by learning; false when the table is full.</summary>
    public bool AddStatic(int vlan, MacAddress mac, int port)
    {
        ValidatePort(port);
        var key = CheckedKey(vlan, mac);
        var i = Find(key);
        if (i < 0)
        {
            if (Count >= Capacity) return false;
            i = Home(key);
            while (_slots[i].Key != Empty) i = (i + 1) & _mask;
            Count++;
        }
        _slots[i] = new Slot { Key = key, Port = (ushort)port, Seen = (int)Now, IsStatic = true };
        return true;
    }

    public bool Remove(int vlan, MacAddress mac)
    {
        var i = Find(CheckedKey(vlan, mac));
        if (i < 0) return false;
        RemoveAt(i);
        return true;
    }

    /// <summary>Removes every entry (static ones too).</summary>
    public void Clear()
    {
        _slots.AsSpan().Clear();
        Count = 0;
    }

    /// <summary>Examines the next <paramref name="maxSlots"/> slots, cyclically, and removes the aged entries there; returns how many.</summary>
    public int Sweep(int maxSlots)
    {
        var removed = 0;
        for (var n = Math.Min(maxSlots, _slots.Length); n > 0; n--)
        {
            ref var slot = ref _slots[_sweepCursor];
            if (slot.Key != Empty && IsAged(slot))
            {
                // Backward shift may move a later entry into this slot: look at it again.
                RemoveAt(_sweepCursor);
                removed++;
                continue;
            }
            _sweepCursor = (_sweepCursor + 1) & _mask;
        }
        Aged += removed;
        return removed;
    }

    /// <summary>A snapshot of the entries that have not aged, in slot order.</summary>
    public IReadOnlyList<MacEntry> Entries()
    {
        var entries = new List<MacEntry>(Count);
        foreach (var slot in _slots.AsSpan())
        {
            if (slot.Key == Empty || IsAged(slot)) continue;
            var age = slot.IsStatic ? TimeSpan.Zero : TimeSpan.FromSeconds(Math.Max(0, (int)Now - slot.Seen));
            entries.Add(new MacEntry((int)(slot.Key >> MacBits), new MacAddress(slot.Key), slot.Port, slot.IsStatic, age));
        }
        return entries;
    }

    internal static void ValidatePort(int port)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, ushort.MaxValue);
    }

    private static ulong CheckedKey(int vlan, MacAddress mac)
    {
        if (vlan is < SwitchPortMode.MinVlan or > SwitchPortMode.MaxVlan) throw new ArgumentOutOfRangeException(nameof(vlan), vlan, $"A VLAN id is {SwitchPortMode.MinVlan}-{SwitchPortMode.MaxVlan}.");
        return Key(vlan, mac);
    }

    /// <summary>The table key of an address: the VLAN in bits 48-59 above the MAC, never 0 for VLANs 1-4094.</summary>
    internal static ulong Key(int vlan, MacAddress mac) => ((ulong)(uint)vlan << MacBits) | mac.Value;

    /// <summary>Fibonacci hashing: the top bits of key × 2^64/φ spread sequential MACs and VLANs over the slots.</summary>
    private int Home(ulong key) => (int)((key * 0x9E37_79B9_7F4A_7C15UL) >> _shift);

    private bool IsAged(in Slot slot) => !slot.IsStatic && (int)Now - slot.Seen >= _ageingSeconds;

    private int Find(ulong key)
    {
        for (var i = Home(key); ; i = (i + 1) & _mask)
        {
            var found = _slots[i].Key;
            if (found == key) return i;
            if (found == Empty) return -1;
        }
    }

    /// <summary>
    /// Backward-shift deletion: walks the run after the hole and moves back each entry whose home slot does not lie
    /// cyclically in (hole, entry], so every entry stays reachable from its home without tombstones.
    /// </summary>
    private void RemoveAt(int hole)
    {
        var j = hole;
        while (true)
        {
            j = (j + 1) & _mask;
            var key = _slots[j].Key;
            if (key == Empty) break;
            var home = Home(key);
            var stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
            if (stays) continue;
            _slots[hole] = _slots[j];
            hole = j;
        }
        _slots[hole] = default;
        Count--;
    }

    private struct Slot
    {
        public ulong Key;
        public ushort Port;
        public bool IsStatic;
        public int Seen;
    }
}
