namespace Softnet.Hypervisor.Forwarding;

/// <summary>
/// The forwarding state of every router, LSR and switch of one software network, in file order. Two plans of the same
/// network compare equal (<see cref="Equals(NetworkPlan?)"/>) exactly when every device gets the same entries.
/// </summary>
public sealed record NetworkPlan(string Network, IReadOnlyList<DevicePlan> Devices)
{
    /// <summary>The plan of <paramref name="device"/>; throws <see cref="KeyNotFoundException"/> when the network has no such router or LSR.</summary>
    public DevicePlan this[string device] =>
        Devices.FirstOrDefault(d => d.Device == device) ?? throw new KeyNotFoundException($"network '{Network}' has no router, LSR or switch '{device}'");

    public bool Equals(NetworkPlan? other) => other is not null && Network == other.Network && Devices.SequenceEqual(other.Devices);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Network);
        foreach (var device in Devices) hash.Add(device);
        return hash.ToHashCode();
    }
}

/// <summary>
/// One device's routes (sorted by prefix: IPv4 first, then by address and length) and label bindings (sorted by
/// incoming label), for a router or LSR; its static MAC entries (<see cref="Macs"/>, sorted by VLAN, then MAC), for a switch.
/// </summary>
public sealed record DevicePlan(string Device, IReadOnlyList<PlannedRoute> Routes, IReadOnlyList<PlannedLabel> Labels)
{
    public IReadOnlyList<PlannedMac> Macs { get; init; } = [];

    public bool Equals(DevicePlan? other) =>
        other is not null && Device == other.Device && Routes.SequenceEqual(other.Routes) && Labels.SequenceEqual(other.Labels) && Macs.SequenceEqual(other.Macs);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Device);
        foreach (var route in Routes) hash.Add(route);
        foreach (var label in Labels) hash.Add(label);
        foreach (var mac in Macs) hash.Add(mac);
        return hash.ToHashCode();
    }
}
