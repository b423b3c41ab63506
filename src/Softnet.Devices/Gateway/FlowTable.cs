using System.Numerics;

namespace Softnet.Devices.Gateway;

/// <summary>
/// The gateway's connection tracking: a fixed number of flows, each found by the key of either direction in an
/// open-addressing index (linear probing at most half full, backward-shift deletion, so no tombstones); nothing
/// here allocates after construction. The hash is keyed with a random seed, so that a sender cannot aim its packets
/// at one probe chain. A flow idle for longer than the timeout is dead: lookups free it, and <see cref="Age"/> sweeps
/// the whole table about once a second so that dead flows do not hold capacity.
/// </summary>
internal sealed class FlowTable
{
    /// <summary>The most flows a table may hold.</summary>
    public const int MaxCapacity = 1 << 24;

    private readonly Flow[] _flows;
    private readonly int[] _free;
    private readonly int[] _slots; // 0 is empty; else 1 + 2 * flow + direction (0 original, 1 reply)
    private readonly int _mask;
    private readonly ulong _seed = (ulong)Random.Shared.NextInt64() | 1;
    private int _freeCount;
    private int _cursor;
    private long _lastAged = long.MinValue;
    private long _ageCredit;

    public FlowTable(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, MaxCapacity);
        _flows = new Flow[capacity];
        _free = new int[capacity];
        for (var i = 0; i < capacity; i++) _free[i] = capacity - 1 - i;
        _freeCount = capacity;
        _slots = new int[BitOperations.RoundUpToPowerOf2((uint)capacity * 4)];
        _mask = _slots.Length - 1;
    }

    public int Capacity => _flows.Length;
    public int Count => Capacity - _freeCount;

    /// <summary>
    /// Finds the live flow whose key in either direction is <paramref name="key"/> and whose packets in that direction
    /// leave to the network <paramref name="leavesTo"/>, and marks it seen at <paramref name="now"/>.
    /// </summary>
    public bool TryTouch(in FlowKey key, int leavesTo, long now, long timeout)
    {
        var hash = Hash(key);
        for (var i = (int)hash & _mask; _slots[i] != 0; i = (i + 1) & _mask)
        {
            var slot = _slots[i] - 1;
            ref var flow = ref _flows[slot >> 1];
            var reply = (slot & 1) != 0;
            ref readonly var candidate = ref reply ? ref flow.Reply : ref flow.Original;
            if ((reply ? flow.ReplyHash : flow.OriginalHash) != hash || !candidate.Equals(key)) continue;
            if (now - flow.LastSeen > timeout)
            {
                Remove(slot >> 1);
                return false;
            }
            if ((reply ? flow.Original.Side : flow.Reply.Side) != leavesTo) continue; // routed elsewhere since: another flow
            flow.LastSeen = now;
            return true;
        }
        return false;
    }

    /// <summary>Opens a flow seen at <paramref name="now"/>; false when the table is full.</summary>
    public bool TryAdd(in FlowKey original, in FlowKey reply, long now)
    {
        if (_freeCount == 0) return false;
        var index = _free[--_freeCount];
        ref var flow = ref _flows[index];
        flow = new Flow { Original = original, Reply = reply, OriginalHash = Hash(original), ReplyHash = Hash(reply), LastSeen = now, InUse = true };
        Insert(flow.OriginalHash, 1 + 2 * index);
        Insert(flow.ReplyHash, 2 + 2 * index);
        return true;
    }

    /// <summary>
    /// Frees dead flows, visiting Capacity flows per second of <paramref name="now"/> however often it is called
    /// (an idle device that runs every few milliseconds visits a few at a time).
    /// </summary>
    public void Age(long now, long ticksPerSecond, long timeout)
    {
        if (_lastAged == long.MinValue) _lastAged = now;
        _ageCredit += Math.Clamp(now - _lastAged, 0, ticksPerSecond) * Capacity;
        _lastAged = now;
        var visits = _ageCredit / ticksPerSecond;
        _ageCredit -= visits * ticksPerSecond;
        for (; visits > 0; visits--)
        {
            ref var flow = ref _flows[_cursor];
            if (flow.InUse && now - flow.LastSeen > timeout) Remove(_cursor);
            _cursor = _cursor + 1 == _flows.Length ? 0 : _cursor + 1;
        }
    }

    private void Insert(uint hash, int value)
    {
        var i = (int)hash & _mask;
        while (_slots[i] != 0) i = (i + 1) & _mask;
        _slots[i] = value;
    }

    private void Remove(int index)
    {
        ref var flow = ref _flows[index];
        Unlink(flow.OriginalHash, 1 + 2 * index);
        Unlink(flow.ReplyHash, 2 + 2 * index);
        flow = default;
        _free[_freeCount++] = index;
    }

    /// <summary>
    /// Empties the slot holding <paramref name="value"/>, then pulls back each later entry of the run that may sit
    /// there: one whose home slot is not cyclically after the hole, so that every entry stays reachable from its home.
    /// </summary>
    private void Unlink(uint hash, int value)
    {
        var hole = (int)hash & _mask;
        while (_slots[hole] != value) hole = (hole + 1) & _mask;
        for (var j = (hole + 1) & _mask; _slots[j] != 0; j = (j + 1) & _mask)
        {
            var home = (int)HashOf(_slots[j]) & _mask;
            if (((j - home) & _mask) < ((j - hole) & _mask)) continue;
            _slots[hole] = _slots[j];
            hole = j;
        }
        _slots[hole] = 0;
    }

    private uint HashOf(int value)
    {
        var slot = value - 1;
        ref readonly var flow = ref _flows[slot >> 1];
        return (slot & 1) != 0 ? flow.ReplyHash : flow.OriginalHash;
    }

    private uint Hash(in FlowKey key)
    {
        var h = Mix(_seed ^ (ulong)key.Source);
        h = Mix(h ^ (ulong)(key.Source >> 64));
        h = Mix(h ^ (ulong)key.Destination);
        h = Mix(h ^ (ulong)(key.Destination >> 64));
        h = Mix(h ^ ((ulong)key.SourcePort << 48 | (ulong)key.DestinationPort << 32 | (ulong)key.Protocol << 16 | (ulong)key.Side << 8 | (byte)key.Family));
        return (uint)(h >> 32);
    }

    private static ulong Mix(ulong x)
    {
        x *= 0x9E37_79B9_7F4A_7C15;
        return x ^ (x >> 29);
    }

    private struct Flow
    {
        public FlowKey Original;
        public FlowKey Reply;
        public uint OriginalHash;
        public uint ReplyHash;
        public long LastSeen;
        public bool InUse;
    }
}
