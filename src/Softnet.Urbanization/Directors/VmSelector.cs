namespace Softnet.Urbanization;

/// <summary>Applies a <see cref="SelectionPolicy"/>: picks the device to move off a host. Pure.</summary>
public static class VmSelector
{
    /// <summary>The device of host <paramref name="host"/> to migrate first, or null when every device is migrating or pinned.</summary>
    public static int? Select(SelectionPolicy policy, DatacenterSnapshot snapshot, int host)
    {
        var vm = Select(policy, new PlanningState(snapshot), host);
        return vm < 0 ? null : vm;
    }

    internal static int Select(SelectionPolicy policy, PlanningState state, int host)
    {
        var best = -1;
        var bestMetric = double.MaxValue;
        foreach (var vm in state.VmsOn(host))
        {
            if (state.InMigration(vm) || state.IsPinned(vm)) continue;
            var metric = policy switch
            {
                SelectionPolicy.MinimumMigrationTime => state.Memory(vm),
                SelectionPolicy.MinimumUtilization => state.Requested(vm),
                _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, "Unknown selection policy."),
            };
            if (metric < bestMetric)
            {
                bestMetric = metric;
                best = vm;
            }
        }
        return best;
    }
}
