using System.Collections.Immutable;

namespace Softnet.Urbanization;

/// <summary>
/// Applies a <see cref="PackingPolicy"/>: decides one urbanization round from a snapshot. Pure: (policy, snapshot) →
/// migrations. It knows only what a live controller knows at the snapshot's time: each device's current demand and
/// its past samples (<see cref="VmSnapshot.History"/>), never a future one.
/// </summary>
public static class PackingDirector
{
    /// <summary>
    /// One round, in two passes. Relief: every host whose predicted load exceeds the high band sheds devices until it
    /// is back within the target band, fewest moves first (one device that suffices, the cheapest to copy; otherwise
    /// the largest); each goes to the best-fitting host (tightest afterwards) of the most efficient server type with
    /// room, or to a switched-off server of that type. Consolidation: the least efficient hosts and those below the
    /// low band, fewest devices first, are emptied when every device fits on another active host within the target
    /// band, all or nothing; a host that received devices this round is not emptied.
    /// </summary>
    public static ImmutableArray<Migration> Plan(PackingPolicy policy, DatacenterSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(snapshot);
        var state = new PackingState(policy, snapshot);
        var plan = new List<Migration>();
        Relieve(policy, state, plan);
        Consolidate(policy, state, plan);
        return [.. plan];
    }

    /// <summary>
    /// Places the devices that are on no host, by decreasing demand, each where a moved device would go (the tightest
    /// host of the most efficient type within the target band, else a switched-off server of that type). Returns each
    /// device's host, or -1 for devices already placed or that fit nowhere.
    /// </summary>
    public static ImmutableArray<int> PlaceNew(PackingPolicy policy, DatacenterSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(snapshot);
        var state = new PackingState(policy, snapshot);
        var placed = new HashSet<int>(snapshot.Hosts.SelectMany(h => h.Vms));
        var result = Enumerable.Repeat(-1, snapshot.Vms.Length).ToArray();
        foreach (var vm in Enumerable.Range(0, result.Length).Where(v => !placed.Contains(v)).OrderByDescending(state.Level).ThenBy(v => v))
        {
            var host = BestHost(policy, state, vm, wake: true);
            if (host < 0) continue;
            state.Add(host, vm);
            result[vm] = host;
        }
        return [.. result];
    }

    /// <summary>Predicted load of each host (MIPS) under <paramref name="policy"/>'s forecast, in host order.</summary>
    public static ImmutableArray<double> PredictedLoad(PackingPolicy policy, DatacenterSnapshot snapshot)
    {
        var state = new PackingState(policy, snapshot);
        return [.. Enumerable.Range(0, snapshot.Hosts.Length).Select(state.Predicted)];
    }

    private static void Relieve(PackingPolicy policy, PackingState state, List<Migration> plan)
    {
        var shed = new List<(int Vm, int From)>();
        for (var h = 0; h < state.HostCount; h++)
        {
            if (state.Predicted(h) <= policy.HighUtilization * state.Capacity(h)) continue;
            state.Closed[h] = true;
            while (state.Predicted(h) > policy.TargetUtilization * state.Capacity(h))
            {
                var vm = ChooseToShed(policy, state, h);
                if (vm < 0) break;
                state.Remove(h, vm);
                shed.Add((vm, h));
            }
        }
        foreach (var (vm, from) in shed.OrderByDescending(s => state.Level(s.Vm)).ThenBy(s => s.Vm))
        {
            var target = plan.Count < policy.MaxMigrationsPerRound ? BestHost(policy, state, vm, wake: true) : -1;
            if (target < 0)
            {
                state.Add(from, vm);
                continue;
            }
            state.Add(target, vm);
            state.Keep[target] = true;
            plan.Add(new Migration(vm, target));
        }
    }

    // One device whose departure brings the host within the target band, the cheapest to copy (memory × demand);
    // when none suffices, the device whose departure lowers the predicted load most.
    private static int ChooseToShed(PackingPolicy policy, PackingState state, int host)
    {
        int sufficient = -1, largest = -1;
        double cheapest = double.MaxValue, mostRelief = double.MinValue;
        var limit = policy.TargetUtilization * state.Capacity(host);
        foreach (var vm in state.VmsOn(host))
        {
            if (!state.Movable(vm)) continue;
            var after = state.PredictedWithout(host, vm);
            if (after <= limit)
            {
                var cost = state.MemoryOf(vm) * Math.Max(state.Level(vm), 1);
                if (cost < cheapest) (cheapest, sufficient) = (cost, vm);
            }
            var relief = state.Predicted(host) - after;
            if (relief > mostRelief) (mostRelief, largest) = (relief, vm);
        }
        return sufficient >= 0 ? sufficient : largest;
    }

    private static void Consolidate(PackingPolicy policy, PackingState state, List<Migration> plan)
    {
        var bestEfficiency = state.BestEfficiency;
        var candidates = Enumerable.Range(0, state.HostCount)
            .Where(h => state.IsActive(h) && !state.Keep[h] && !state.Closed[h]
                && (state.Efficiency(h) < bestEfficiency || state.Predicted(h) < policy.LowUtilization * state.Capacity(h)))
            .OrderBy(h => state.Efficiency(h))
            .ThenBy(h => state.VmsOn(h).Count)
            .ThenBy(h => state.Predicted(h) / state.Capacity(h))
            .ThenBy(h => h)
            .ToList();
        var placed = new List<Migration>();
        foreach (var source in candidates)
        {
            if (state.Keep[source]) continue;
            var vms = state.VmsOn(source).ToList();
            if (vms.Count > policy.MaxMigrationsPerRound - plan.Count || vms.Any(vm => !state.Movable(vm))) continue;
            state.Closed[source] = true;
            placed.Clear();
            foreach (var vm in vms.OrderByDescending(state.Level).ThenBy(vm => vm))
            {
                var target = BestHost(policy, state, vm, wake: false);
                if (target < 0) break;
                state.Remove(source, vm);
                state.Add(target, vm);
                placed.Add(new Migration(vm, target));
            }
            if (placed.Count < vms.Count)
            {
                foreach (var m in placed)
                {
                    state.Remove(m.TargetHost, m.Vm);
                    state.Add(source, m.Vm);
                }
                state.Closed[source] = false;
                continue;
            }
            foreach (var m in placed) state.Keep[m.TargetHost] = true;
            plan.AddRange(placed);
        }
    }

    // The host for a device: among active hosts of the most efficient type with room within the target band, the one
    // left tightest; a less efficient type only when no better one has room; a switched-off server (most efficient
    // type first) only when allowed and no active host has room.
    private static int BestHost(PackingPolicy policy, PackingState state, int vm, bool wake)
    {
        var best = -1;
        double bestEfficiency = double.MinValue, bestUtilization = double.MinValue;
        var off = -1;
        for (var h = 0; h < state.HostCount; h++)
        {
            if (state.Closed[h] || !state.Admits(h, vm)) continue;
            if (!state.IsActive(h))
            {
                if (wake && (off < 0 || state.Efficiency(h) > state.Efficiency(off))) off = h;
                continue;
            }
            var utilization = state.PredictedWith(h, vm) / state.Capacity(h);
            if (utilization > policy.TargetUtilization) continue;
            var efficiency = state.Efficiency(h);
            if (efficiency > bestEfficiency || (efficiency == bestEfficiency && utilization > bestUtilization))
            {
                (best, bestEfficiency, bestUtilization) = (h, efficiency, utilization);
            }
        }
        if (best >= 0) return best;
        return off >= 0 && state.PredictedWith(off, vm) <= policy.TargetUtilization * state.Capacity(off) ? off : -1;
    }
}
