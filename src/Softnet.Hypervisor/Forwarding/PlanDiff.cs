using Softnet.Hypervisor.Topology;
using Softnet.Wire;

namespace Softnet.Hypervisor.Forwarding;

/// <summary>An entry present in both plans with different contents.</summary>
public sealed record EntryChange<T>(T Before, T After);

/// <summary>
/// What a device must change to go from one plan to the next: routes keyed by prefix, label bindings by incoming
/// label, static MAC entries by VLAN and MAC.
/// </summary>
public sealed record DeviceDiff(
    string Device,
    IReadOnlyList<PlannedRoute> RoutesAdded,
    IReadOnlyList<PlannedRoute> RoutesRemoved,
    IReadOnlyList<EntryChange<PlannedRoute>> RoutesChanged,
    IReadOnlyList<PlannedLabel> LabelsAdded,
    IReadOnlyList<PlannedLabel> LabelsRemoved,
    IReadOnlyList<EntryChange<PlannedLabel>> LabelsChanged)
{
    public IReadOnlyList<PlannedMac> MacsAdded { get; init; } = [];
    public IReadOnlyList<PlannedMac> MacsRemoved { get; init; } = [];
    public IReadOnlyList<EntryChange<PlannedMac>> MacsChanged { get; init; } = [];

    public bool IsEmpty =>
        RoutesAdded.Count == 0 && RoutesRemoved.Count == 0 && RoutesChanged.Count == 0
        && LabelsAdded.Count == 0 && LabelsRemoved.Count == 0 && LabelsChanged.Count == 0
        && MacsAdded.Count == 0 && MacsRemoved.Count == 0 && MacsChanged.Count == 0;
}

/// <summary>
/// The difference between two plans of one network, listing only devices with a change: those of
/// <c>after</c> in its order, then devices that exist only in <c>before</c> (all their entries removed). A device new in
/// <c>after</c> has all its entries added.
/// </summary>
public sealed record PlanDiff(string Network, IReadOnlyList<DeviceDiff> Devices)
{
    public bool IsEmpty => Devices.Count == 0;

    /// <exception cref="ArgumentException">The plans are of different networks.</exception>
    public static PlanDiff Between(NetworkPlan before, NetworkPlan after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        if (before.Network != after.Network)
            throw new ArgumentException($"cannot diff plans of different networks ('{before.Network}' and '{after.Network}')", nameof(after));
        var empty = new DevicePlan("", [], []);
        var previous = before.Devices.ToDictionary(d => d.Device);
        var current = after.Devices.Select(d => d.Device).ToHashSet();
        var devices = after.Devices.Select(d => Compare(previous.GetValueOrDefault(d.Device) ?? empty with { Device = d.Device }, d))
            .Concat(before.Devices.Where(d => !current.Contains(d.Device)).Select(d => Compare(d, empty with { Device = d.Device })))
            .Where(d => !d.IsEmpty)
            .ToList();
        return new PlanDiff(after.Network, devices);
    }

    private static DeviceDiff Compare(DevicePlan before, DevicePlan after)
    {
        var (routesAdded, routesRemoved, routesChanged) = Entries<IpPrefix, PlannedRoute>(before.Routes, after.Routes, r => r.Prefix);
        var (labelsAdded, labelsRemoved, labelsChanged) = Entries<MplsLabel, PlannedLabel>(before.Labels, after.Labels, l => l.In);
        var (macsAdded, macsRemoved, macsChanged) = Entries<(int, MacAddress), PlannedMac>(before.Macs, after.Macs, m => (m.Vlan, m.Mac));
        return new DeviceDiff(after.Device, routesAdded, routesRemoved, routesChanged, labelsAdded, labelsRemoved, labelsChanged)
        {
            MacsAdded = macsAdded,
            MacsRemoved = macsRemoved,
            MacsChanged = macsChanged,
        };
    }

    private static (List<T> Added, List<T> Removed, List<EntryChange<T>> Changed) Entries<TKey, T>(IReadOnlyList<T> before, IReadOnlyList<T> after, Func<T, TKey> key)
        where TKey : notnull
    {
        var previous = before.ToDictionary(key);
        var current = after.Select(key).ToHashSet();
        var added = new List<T>();
        var changed = new List<EntryChange<T>>();
        foreach (var entry in after)
        {
            if (!previous.TryGetValue(key(entry), out var old)) added.Add(entry);
            else if (!EqualityComparer<T>.Default.Equals(old, entry)) changed.Add(new EntryChange<T>(old, entry));
        }
        return (added, [.. before.Where(e => !current.Contains(key(e)))], changed);
    }
}
