using System.Collections.Immutable;
using System.Runtime.CompilerServices;

namespace Softnet.Urbanization;

/// <summary>
/// Decides the migrations of one consolidation round from a snapshot, as CloudSim 3.0.3's
/// PowerVmAllocationPolicyMigrationAbstract.optimizeAllocation does. Pure: (policy, snapshot) → migrations.
/// </summary>
public static class ConsolidationDirector
{
    /// <summary>
    /// One round: find overloaded hosts; take devices off each (selection policy) until it is no longer overloaded;
    /// place those devices (placement policy, never back on an overloaded host); then apply the underload policy.
    /// The result lists migrations in the order they should start; a device may appear twice when the underload
    /// pass moves it again from a host it was just given (CloudSim does the same and counts both).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot in a one-shot run: skip the slow first JIT tier
    public static ImmutableArray<Migration> Plan(ConsolidationPolicy policy, DatacenterSnapshot snapshot)
    {
        var state = new PlanningState(snapshot);
        var plan = new List<Migration>();
        var overloaded = new List<int>();
        for (var h = 0; h < state.HostCount; h++)
        {
            if (state.IsOverloaded(policy.Overload, h)) overloaded.Add(h);
        }

        var toMove = new List<int>();
        foreach (var h in overloaded)
        {
            while (true)
            {
                var vm = VmSelector.Select(policy.Selection, state, h);
                if (vm < 0) break;
                toMove.Add(vm);
                state.Unplace(h, vm);
                if (!state.IsOverloaded(policy.Overload, h)) break;
            }
        }

        var excluded = new bool[state.HostCount];
        foreach (var h in overloaded) excluded[h] = true;
        foreach (var vm in ByDecreasingDemand(state, toMove))
        {
            var host = PlacementDirector.FindHost(policy, state, vm, excluded);
            if (host < 0) continue;
            state.Place(host, vm);
            plan.Add(new Migration(vm, host));
        }

        if (policy.Underload is UnderloadPolicy.LeastUtilizedFirst) EmptyLeastUtilized(policy, state, overloaded, plan);
        return [.. plan];
    }

    // Hosts already chosen as destinations by the overload pass stay candidates for emptying: CloudSim builds that
    // exclusion from a list that is still empty at that point, and matching its counts means keeping the quirk.
    private static void EmptyLeastUtilized(ConsolidationPolicy policy, PlanningState state, List<int> overloaded, List<Migration> plan)
    {
        var considered = new bool[state.HostCount];
        var notDestination = new bool[state.HostCount];
        var consideredCount = 0;
        void Consider(int h)
        {
            if (!considered[h]) consideredCount++;
            considered[h] = true;
        }
        foreach (var h in overloaded)
        {
            Consider(h);
            notDestination[h] = true;
        }
        for (var h = 0; h < state.HostCount; h++)
        {
            if (state.MeasuredUtilization(h) != 0) continue;
            Consider(h);
            notDestination[h] = true;
        }

        var placed = new List<Migration>();
        while (consideredCount != state.HostCount)
        {
            var source = LeastUtilized(state, considered);
            if (source < 0) break;
            Consider(source);
            notDestination[source] = true;
            var vms = state.VmsOn(source).Where(vm => !state.InMigration(vm)).ToList();
            if (vms.Count == 0) continue;

            placed.Clear();
            foreach (var vm in ByDecreasingDemand(state, vms))
            {
                var host = PlacementDirector.FindHost(policy, state, vm, notDestination);
                if (host < 0)
                {
                    foreach (var m in placed) state.Unplace(m.TargetHost, m.Vm);
                    placed.Clear();
                    break;
                }
                state.Place(host, vm);
                placed.Add(new Migration(vm, host));
            }
            foreach (var m in placed) Consider(m.TargetHost);
            plan.AddRange(placed);
        }
    }

    // The active host with the lowest measured utilization (below 100 %) that has a device free to leave.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot in a one-shot run: skip the slow first JIT tier
    private static int LeastUtilized(PlanningState state, bool[] considered)
    {
        var best = -1;
        var lowest = 1.0;
        for (var h = 0; h < state.HostCount; h++)
        {
            if (considered[h]) continue;
            var utilization = state.MeasuredUtilization(h);
            if (utilization > 0 && utilization < lowest && !AllLeavingOrAnyArriving(state, h))
            {
                lowest = utilization;
                best = h;
            }
        }
        return best;
    }

    private static bool AllLeavingOrAnyArriving(PlanningState state, int host)
    {
        foreach (var vm in state.VmsOn(host))
        {
            if (!state.InMigration(vm)) return false;
            if (state.IsMigratingIn(host, vm)) return true;
        }
        return true;
    }

    // Stable: devices with equal demand keep their order.
    private static List<int> ByDecreasingDemand(PlanningState state, List<int> vms) =>
        [.. vms.Select((vm, i) => (vm, i)).OrderByDescending(x => state.Requested(x.vm)).ThenBy(x => x.i).Select(x => x.vm)];
}
