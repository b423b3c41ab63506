namespace Softnet.Urbanization;

/// <summary>The urbanization criteria of a placement, each normalised to roughly [0, 1], and their weighted total.</summary>
public sealed record ObjectiveScore(double Energy, double LoadBalance, double Cost, double Resilience, double Migrations, double Total);

/// <summary>
/// The urbanization objective: a weighted sum of energy (power drawn over peak power of all servers, standby for
/// servers without load), load balance (standard deviation of utilization over active servers), cost (price per hour
/// of active servers over that of all servers), resilience (share of replica pairs sharing a server) and migrations
/// (moves per device). Lower is better. Pure.
/// </summary>
public static class UrbanizationObjective
{
    /// <summary>Scores <paramref name="snapshot"/> after applying <paramref name="plan"/> (devices move to their last target).</summary>
    public static ObjectiveScore Evaluate(UrbanizationWeights weights, DatacenterSnapshot snapshot, IReadOnlyList<Migration>? plan = null)
    {
        plan ??= [];
        var hostOf = new int[snapshot.Vms.Length];
        Array.Fill(hostOf, -1);
        for (var h = 0; h < snapshot.Hosts.Length; h++)
        {
            foreach (var vm in snapshot.Hosts[h].Vms)
            {
                if (!snapshot.Hosts[h].MigratingIn.Contains(vm)) hostOf[vm] = h;
            }
        }
        foreach (var m in plan) hostOf[m.Vm] = m.TargetHost;

        var demand = new double[snapshot.Hosts.Length];
        for (var vm = 0; vm < hostOf.Length; vm++)
        {
            if (hostOf[vm] >= 0) demand[hostOf[vm]] += snapshot.Vms[vm].RequestedMips;
        }
        double watts = 0, peak = 0, activeCost = 0, allCost = 0, sum = 0, sumSquares = 0;
        var active = 0;
        for (var h = 0; h < demand.Length; h++)
        {
            var host = snapshot.Hosts[h];
            var utilization = Math.Min(1, demand[h] / host.Type.TotalMips);
            peak += host.Type.Power.PeakWatts;
            allCost += host.CostPerHour;
            if (utilization > 0)
            {
                watts += host.Type.Power.Watts(utilization);
                activeCost += host.CostPerHour;
                active++;
                sum += utilization;
                sumSquares += utilization * utilization;
            }
            else
            {
                watts += host.Type.Power.StandbyWatts;
            }
        }
        var mean = active == 0 ? 0 : sum / active;
        var balance = active < 2 ? 0 : Math.Sqrt(Math.Max(0, sumSquares / active - mean * mean));
        var (pairs, shared) = ReplicaPairs(snapshot, hostOf);
        var energy = peak == 0 ? 0 : watts / peak;
        var cost = allCost == 0 ? 0 : activeCost / allCost;
        var resilience = pairs == 0 ? 0 : (double)shared / pairs;
        var migrations = snapshot.Vms.Length == 0 ? 0 : (double)plan.Count / snapshot.Vms.Length;
        var total = weights.Energy * energy + weights.LoadBalance * balance + weights.Cost * cost
            + weights.Resilience * resilience + weights.Migrations * migrations;
        return new ObjectiveScore(energy, balance, cost, resilience, migrations, total);
    }

    private static (int Pairs, int Shared) ReplicaPairs(DatacenterSnapshot snapshot, int[] hostOf)
    {
        int pairs = 0, shared = 0;
        foreach (var group in Enumerable.Range(0, hostOf.Length).Where(v => snapshot.Vms[v].ReplicaGroup is not null).GroupBy(v => snapshot.Vms[v].ReplicaGroup))
        {
            var members = group.ToArray();
            for (var i = 0; i < members.Length; i++)
            {
                for (var j = i + 1; j < members.Length; j++)
                {
                    pairs++;
                    if (hostOf[members[i]] >= 0 && hostOf[members[i]] == hostOf[members[j]]) shared++;
                }
            }
        }
        return (pairs, shared);
    }

    /// <summary>Normalisers of the marginal cost, computed once per placement decision.</summary>
    internal readonly record struct Scale(double PeakWatts, double CostPerHour, int ActiveHosts, int ReplicaPairs)
    {
        public static Scale Of(PlanningState state)
        {
            double peak = 0, cost = 0;
            var active = 0;
            for (var h = 0; h < state.HostCount; h++)
            {
                peak += state.TypeOf(h).Power.PeakWatts;
                cost += state.CostPerHour(h);
                if (state.AllocatedMips(h) > 0) active++;
            }
            var groups = new Dictionary<string, int>();
            for (var vm = 0; vm < state.VmCount; vm++)
            {
                if (state.ReplicaGroup(vm) is { } g) groups[g] = groups.GetValueOrDefault(g) + 1;
            }
            return new Scale(peak, cost, active, groups.Values.Sum(n => n * (n - 1) / 2));
        }
    }

    /// <summary>How much the weighted objective rises if <paramref name="vm"/> joins <paramref name="host"/>.</summary>
    internal static double MarginalCost(UrbanizationWeights weights, in Scale scale, PlanningState state, int host, int vm, double utilizationAfter)
    {
        var type = state.TypeOf(host);
        var before = state.AllocatedMips(host) / type.TotalMips;
        var wattsBefore = before > 0 ? type.Power.Watts(Math.Min(1, before)) : type.Power.StandbyWatts;
        var energy = (type.Power.Watts(utilizationAfter) - wattsBefore) / Math.Max(scale.PeakWatts, double.Epsilon);
        var balance = (utilizationAfter * utilizationAfter - before * before) / Math.Max(1, scale.ActiveHosts);
        var cost = before > 0 || scale.CostPerHour == 0 ? 0 : state.CostPerHour(host) / scale.CostPerHour;
        var sharing = 0;
        if (state.ReplicaGroup(vm) is { } group)
        {
            foreach (var other in state.VmsOn(host))
            {
                if (other != vm && state.ReplicaGroup(other) == group) sharing++;
            }
        }
        var resilience = scale.ReplicaPairs == 0 ? 0 : (double)sharing / scale.ReplicaPairs;
        return weights.Energy * energy + weights.LoadBalance * balance + weights.Cost * cost + weights.Resilience * resilience;
    }
}
