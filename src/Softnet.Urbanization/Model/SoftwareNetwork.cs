using System.Collections.Immutable;

namespace Softnet.Urbanization;

/// <summary>
/// A software network device (a VM, in data-centre terms): its capacity in MIPS, the fraction of it demanded over
/// time, and its memory. <paramref name="PinnedServer"/> fixes it to one server; devices sharing a
/// <paramref name="ReplicaGroup"/> are replicas and must sit on different servers.
/// </summary>
public sealed record Device(
    string Name,
    double Mips,
    int MemoryMb,
    DemandTrace Cpu,
    double BandwidthMbps = 100,
    string? PinnedServer = null,
    string? ReplicaGroup = null)
{
    /// <summary>MIPS demanded at <paramref name="seconds"/>.</summary>
    public double MipsAt(double seconds) => Cpu.At(seconds) * Mips;
}

/// <summary>A virtual link between two devices of one software network, with the bandwidth it needs and the latency it tolerates.</summary>
public sealed record VirtualLink(string A, string B, double BandwidthMbps, double MaxLatencyMs);

/// <summary>A software network: a graph of devices joined by virtual links.</summary>
public sealed record SoftwareNetwork
{
    public SoftwareNetwork(string name, IEnumerable<Device> devices, IEnumerable<VirtualLink>? links = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        Devices = [.. devices];
        Links = [.. links ?? []];
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var device in Devices)
        {
            if (!names.Add(device.Name)) throw new ArgumentException($"Network '{name}' has two devices named '{device.Name}'.", nameof(devices));
        }
        foreach (var link in Links)
        {
            if (!names.Contains(link.A) || !names.Contains(link.B)) throw new ArgumentException($"Network '{name}': link {link.A}-{link.B} names an unknown device.", nameof(links));
        }
    }

    public string Name { get; }
    public ImmutableArray<Device> Devices { get; }
    public ImmutableArray<VirtualLink> Links { get; }

    public bool Equals(SoftwareNetwork? other) =>
        other is not null && Name == other.Name && Devices.SequenceEqual(other.Devices) && Links.SequenceEqual(other.Links);

    public override int GetHashCode() => HashCode.Combine(Name, Devices.Length, Links.Length);
}
