using System.Collections.Immutable;
using System.Runtime.CompilerServices;

namespace Softnet.Urbanization;

/// <summary>Applies a <see cref="PlacementPolicy"/>: chooses the host for a device. Pure.</summary>
public static class PlacementDirector
{
    /// <summary>
    /// The host for device <paramref name="vm"/> of <paramref name="snapshot"/> under <paramref name="policy"/>, never one of
    /// <paramref name="excluded"/>; null when no host can take it.
    /// </summary>
    public static int? FindHost(ConsolidationPolicy policy, DatacenterSnapshot snapshot, int vm, IEnumerable<int>? excluded = null)
    {
        var state = new PlanningState(snapshot);
        var mask = new bool[state.HostCount];
        foreach (var h in excluded ?? []) mask[h] = true;
        var host = FindHost(policy, state, vm, mask);
        return host < 0 ? null : host;
    }

    /// <summary>
    /// Places devices that are being created (those on no host), in index order, as CloudSim does at start-up: while
    /// a device is being placed it asks for its full MIPS; once placed it asks for its snapshot demand. Returns each
    /// device's host, or -1 for devices already placed or that fit nowhere.
    /// </summary>
    public static ImmutableArray<int> PlaceNew(ConsolidationPolicy policy, DatacenterSnapshot snapshot)
    {
        var state = new PlanningState(snapshot);
        var placed = new HashSet<int>(snapshot.Hosts.SelectMany(h => h.Vms));
        var result = new int[state.VmCount];
        var none = new bool[state.HostCount];
        for (var vm = 0; vm < result.Length; vm++)
        {
            result[vm] = -1;
            if (placed.Contains(vm)) continue;
            state.SetRequested(vm, snapshot.Vms[vm].Mips);
            var host = FindHost(policy, state, vm, none);
            if (host >= 0)
            {
                state.Place(host, vm);
                result[vm] = host;
            }
            state.SetRequested(vm, snapshot.Vms[vm].RequestedMips);
        }
        return [.. result];
    }

    internal static int FindHost(ConsolidationPolicy policy, PlanningState state, int vm, bool[] excluded) => policy.Placement switch
    {
        PlacementPolicy.PowerAwareBestFitDecreasing => PowerAwareBestFit(policy.Overload, state, vm, excluded),
        PlacementPolicy.WeightedObjective weighted => WeightedBestFit(weighted.Weights, policy.Overload, state, vm, excluded),
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy.Placement, "Unknown placement policy."),
    };

    // PABFD: the admissible host whose power rises least (first such in host order). Hosts already carrying load are
    // admissible only if the device would not overload them; an empty host is always admissible if the device fits.
    // The overload test is the expensive part, so it runs only for a host that would otherwise win.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot in a one-shot run: skip the slow first JIT tier
    private static int PowerAwareBestFit(OverloadPolicy overload, PlanningState state, int vm, bool[] excluded)
    {
        var best = -1;
        var bestIncrease = double.MaxValue;
        for (var h = 0; h < state.HostCount; h++)
        {
            if (excluded[h] || !Fits(state, h, vm, out var allocated, out var utilizationAfter)) continue;
            var increase = state.TypeOf(h).Power.Watts(utilizationAfter) - state.MeasuredWatts(h);
            if (increase >= bestIncrease) continue;
            if (allocated != 0 && state.IsOverloadedWith(overload, h, vm)) continue;
            bestIncrease = increase;
            best = h;
        }
        return best;
    }

    private static int WeightedBestFit(UrbanizationWeights weights, OverloadPolicy overload, PlanningState state, int vm, bool[] excluded)
    {
        var best = -1;
        var bestCost = double.MaxValue;
        var scale = UrbanizationObjective.Scale.Of(state);
        for (var h = 0; h < state.HostCount; h++)
        {
            if (excluded[h] || !Admissible(overload, state, h, vm, out var utilizationAfter)) continue;
            var cost = UrbanizationObjective.MarginalCost(weights, scale, state, h, vm, utilizationAfter);
            if (cost < bestCost)
            {
                bestCost = cost;
                best = h;
            }
        }
        return best;
    }

    private static bool Admissible(OverloadPolicy overload, PlanningState state, int host, int vm, out double utilizationAfter) =>
        Fits(state, host, vm, out var allocated, out utilizationAfter) && !(allocated != 0 && state.IsOverloadedWith(overload, host, vm));

    private static bool Fits(PlanningState state, int host, int vm, out double allocated, out double utilizationAfter)
    {
        allocated = 0;
        utilizationAfter = 0;
        if (!state.Fits(host, vm)) return false;
        allocated = state.AllocatedMips(host);
        utilizationAfter = (allocated + state.Requested(vm)) / state.TypeOf(host).TotalMips;
        return utilizationAfter <= 1;
    }
}
