namespace Softnet.Hypervisor.Forwarding;

/// <summary>
/// The forwarding state of every router and LSR of one software network, in file order. Two plans of the same
/// network compare equal (<see cref="Equals(NetworkPlan?)"/>) exactly when every device gets the same entries.
/// </summary>
public sealed record NetworkPlan(string Network, IReadOnlyList<DevicePlan> Devices)
{
    /// <summary>The plan of <paramref name="device"/>; throws <see cref="KeyNotFoundException"/> when the network has no such router or LSR.</summary>
    public DevicePlan this[string device] =>
        Devices.FirstOrDefault(d => d.Device == device) ?? throw new KeyNotFoundException($"network '{Network}' has no router or LSR '{device}'");

    public bool Equals(NetworkPlan? other) => other is not null && Network == other.Network && Devices.SequenceEqual(other.Devices);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Network);
        foreach (var device in Devices) hash.Add(device);
        return hash.ToHashCode();
    }
}

/// <summary>One device's routes (sorted by prefix: IPv4 first, then by address and length) and label bindings (sorted by incoming label).</summary>
public sealed record DevicePlan(string Device, IReadOnlyList<PlannedRoute> Routes, IReadOnlyList<PlannedLabel> Labels)
{
    public bool Equals(DevicePlan? other) =>
        other is not null && Device == other.Device && Routes.SequenceEqual(other.Routes) && Labels.SequenceEqual(other.Labels);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Device);
        foreach (var route in Routes) hash.Add(route);
        foreach (var label in Labels) hash.Add(label);
        return hash.ToHashCode();
    }
}
