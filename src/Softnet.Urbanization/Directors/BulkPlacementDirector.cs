using System.Collections.Immutable;

namespace Softnet.Urbanization;

/// <summary>
/// Places whole software networks on a large single-site infrastructure at once, by the rules of
/// <see cref="PackingDirector.PlaceNew"/>: each device, at its peak demand, goes to the server it leaves tightest
/// within the <see cref="PackingPolicy.TargetUtilization"/> band among the switched-on servers of the most
/// efficient type, else to a switched-off server of that type (less efficient types only when those are
/// exhausted); pinned devices go to their server, replicas never share one, memory and one core's speed are
/// respected. Switched-on servers are indexed by free MIPS and memory, so a device costs a few logarithmic lookups
/// rather than a pass over every server. Latency and the bandwidth between sites are not modelled here.
/// </summary>
public static class BulkPlacementDirector
{
    /// <summary>The server (by name) of every device, keyed by network and device; devices that fit nowhere are absent.</summary>
    public static ImmutableDictionary<DeviceRef, string> Place(PackingPolicy policy, Infrastructure infrastructure, IReadOnlyList<SoftwareNetwork> networks)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(infrastructure);
        ArgumentNullException.ThrowIfNull(networks);
        var servers = infrastructure.Servers;
        var capacity = servers.Select(s => (long)Math.Floor(policy.TargetUtilization * s.Type.TotalMips)).ToArray();
        var free = (long[])capacity.Clone();
        var memory = servers.Select(s => s.Type.MemoryMb).ToArray();
        // One class per server type, most efficient first; in each, an index of switched-on servers by free MIPS
        // (then by position) and a queue of switched-off ones in position order.
        var classes = servers.Select((s, i) => (s.Type, i))
            .GroupBy(p => p.Type)
            .OrderByDescending(g => g.Key.TotalMips / g.Key.Power.PeakWatts)
            .Select(g => new ServerClass([.. g.Select(p => p.i)], capacity))
            .ToArray();
        var classOf = new int[servers.Length];
        for (var c = 0; c < classes.Length; c++)
        {
            foreach (var s in classes[c].Off) classOf[s] = c;
        }
        var replicas = new Dictionary<(string Network, string Group), List<int>>();
        var placement = ImmutableDictionary.CreateBuilder<DeviceRef, string>();
        foreach (var network in networks)
        {
            foreach (var device in network.Devices.OrderBy(d => d.PinnedServer is null).ThenByDescending(PlacementConstraints.PeakMips))
            {
                var demand = (long)Math.Ceiling(PlacementConstraints.PeakMips(device));
                List<int>? group = null;
                if (device.ReplicaGroup is { } name && !replicas.TryGetValue((network.Name, name), out group)) replicas[(network.Name, name)] = group = [];
                bool Admits(int s) => free[s] >= demand && memory[s] >= device.MemoryMb && demand <= servers[s].Type.MipsPerCore && (group is null || !group.Contains(s));
                var chosen = -1;
                if (device.PinnedServer is { } pinned)
                {
                    var s = infrastructure.IndexOfServer(pinned);
                    if (Admits(s)) chosen = s;
                }
                else
                {
                    foreach (var c in classes)
                    {
                        chosen = c.TightestOn(demand, device.MemoryMb, memory, Admits);
                        if (chosen >= 0) break;
                    }
                    if (chosen < 0)
                    {
                        foreach (var c in classes)
                        {
                            chosen = c.FirstOff(Admits);
                            if (chosen >= 0) break;
                        }
                    }
                }
                if (chosen < 0) continue;
                classes[classOf[chosen]].Take(chosen, free, memory, demand, device.MemoryMb);
                group?.Add(chosen);
                placement[new DeviceRef(network.Name, device.Name)] = servers[chosen].Name;
            }
        }
        return placement.ToImmutable();
    }

    // Switched-on servers bucketed by free MIPS; within a bucket, most free memory first. A max-tree over the buckets
    // holds each bucket's most free memory, so the first bucket at or above the demand with a server that has the
    // memory is found in O(log buckets): the tightest fit on MIPS among servers with the memory.
    private sealed class ServerClass
    {
        private const int IndexBits = 24;
        private readonly SortedSet<long>[] _buckets;
        private readonly int[] _tree;
        private readonly int _leaves;
        private readonly SortedSet<int> _off;

        public ServerClass(ImmutableArray<int> servers, long[] capacity)
        {
            _off = [.. servers];
            var buckets = (int)servers.Max(s => capacity[s]) + 1;
            _buckets = new SortedSet<long>[buckets];
            _leaves = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)buckets);
            _tree = new int[2 * _leaves];
            Array.Fill(_tree, -1);
        }

        public IEnumerable<int> Off => _off;

        public int TightestOn(long demand, int memoryMb, int[] memory, Func<int, bool> admits)
        {
            for (var bucket = First((int)Math.Min(demand, _buckets.Length), memoryMb); bucket >= 0; bucket = First(bucket + 1, memoryMb))
            {
                foreach (var key in _buckets[bucket])
                {
                    var s = (int)(key & ((1L << IndexBits) - 1));
                    if (memory[s] < memoryMb) break;
                    if (admits(s)) return s;
                }
            }
            return -1;
        }

        public int FirstOff(Func<int, bool> admits)
        {
            foreach (var s in _off)
            {
                if (admits(s)) return s;
            }
            return -1;
        }

        public void Take(int server, long[] free, int[] memory, long demand, int memoryMb)
        {
            if (!_off.Remove(server))
            {
                _buckets[free[server]].Remove(Key(server, memory[server]));
                Update((int)free[server]);
            }
            free[server] -= demand;
            memory[server] -= memoryMb;
            (_buckets[free[server]] ??= []).Add(Key(server, memory[server]));
            Update((int)free[server]);
        }

        // Ascending keys put the most free memory first, then the lowest server index.
        private static long Key(int server, int memoryMb) => ((long)(int.MaxValue - memoryMb) << IndexBits) | (uint)server;

        private void Update(int bucket)
        {
            var set = _buckets[bucket];
            var node = _leaves + bucket;
            _tree[node] = set is null || set.Count == 0 ? -1 : int.MaxValue - (int)(set.Min >> IndexBits);
            for (node /= 2; node >= 1; node /= 2) _tree[node] = Math.Max(_tree[2 * node], _tree[2 * node + 1]);
        }

        // The first bucket at or above `from` holding a server with at least `memoryMb` free; -1 when none.
        private int First(int from, int memoryMb) => from >= _buckets.Length ? -1 : First(1, 0, _leaves - 1, from, memoryMb);

        private int First(int node, int low, int high, int from, int memoryMb)
        {
            if (high < from || _tree[node] < memoryMb) return -1;
            if (low == high) return low;
            var middle = (low + high) / 2;
            var left = First(2 * node, low, middle, from, memoryMb);
            return left >= 0 ? left : First(2 * node + 1, middle + 1, high, from, memoryMb);
        }
    }
}
