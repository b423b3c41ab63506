using Softnet.DataPlane;
using Softnet.Hypervisor.Scheduling;
using Softnet.Hypervisor.Topology;

namespace Softnet.Hypervisor.Runtime;

/// <summary>Reads the running hypervisor into a <see cref="HypervisorSnapshot"/>; counters are read while the data plane runs.</summary>
internal static class Snapshots
{
    public static HypervisorSnapshot Take(
        Hypervisor hypervisor,
        Hypervisor.Layout layout,
        DriverDomain driver,
        IReadOnlyList<(SoftwareNetwork Network, HostSpec Host, IPhysicalPort Port)> hosts)
    {
        var topology = layout.Topology;
        var scheduler = layout.Scheduler;
        var totalTokens = (double)topology.Networks.Sum(n => n.Tokens) + topology.Gateways.Sum(g => g.Tokens);
        var networks = new List<NetworkStatus>();
        var redistributions = 0;
        lock (hypervisor.SchedulerLock)
        {
            if (scheduler is not null) redistributions = scheduler.Redistributions;
            for (var n = 0; n < topology.Networks.Count; n++)
            {
                var network = topology.Networks[n];
                var domainStatus = layout.Domains[n].Select(d => Domain(d, scheduler!.Networks[n].Domains[d.Id.Domain].BaseTokens, scheduler.DomainBalance(d.Id))).ToList();
                networks.Add(new NetworkStatus(
                    network.Name,
                    network.Architecture,
                    network.Tokens,
                    network.Priority,
                    scheduler!.NetworkBalance(n),
                    scheduler.NetworkAllocation(n),
                    network.Tokens / totalTokens,
                    layout.Domains[n].Sum(d => d.WorkerShare),
                    domainStatus,
                    [.. hosts.Where(h => h.Network.Name == network.Name).Select(h => Host(network.Name, h.Host, h.Port))]));
            }
            // A gateway is scheduled as a network of its own, after the networks: shown as one, with no host.
            for (var g = 0; g < topology.Gateways.Count; g++)
            {
                var gateway = topology.Gateways[g];
                var n = topology.Networks.Count + g;
                var domain = layout.Domains[n][0];
                networks.Add(new NetworkStatus(
                    gateway.Name,
                    topology[gateway.Sides[0].Network].Architecture,
                    gateway.Tokens,
                    PriorityKind.None,
                    scheduler!.NetworkBalance(n),
                    scheduler.NetworkAllocation(n),
                    gateway.Tokens / totalTokens,
                    domain.WorkerShare,
                    [Domain(domain, 1, scheduler.DomainBalance(domain.Id))],
                    []));
            }
        }
        var pool = hypervisor.Buffers;
        var physical = driver.Bindings.Select(b => new PhysicalPortStatus(
            b.Port.Name, b.Port.Kind, b.Network, b.DomainPort,
            b.Port.Counters.RxFrames, b.Port.Counters.RxBytes, b.Port.Counters.TxFrames, b.Port.Counters.TxBytes,
            b.Port.Counters.RxDropped, b.Port.Counters.TxDropped + b.TxDropped, b.Segmented)).ToList();
        return new HypervisorSnapshot(DateTimeOffset.UtcNow, hypervisor.Workers, redistributions,
            new PoolStatus(pool.Capacity, pool.InUse, pool.BufferSize), networks, physical)
        {
            WorkerAllocatedBytes = hypervisor.WorkerAllocatedBytes,
        };
    }

    private static DomainStatus Domain(Domain domain, int baseTokens, long balance)
    {
        var device = domain.Device;
        var ports = device.Ports.Select(p => new PortStatus(
            p.Name, p.Mac.ToString(), domain.LinkedTo[p.Index],
            p.Counters.RxPackets, p.Counters.RxBytes, p.Counters.TxPackets, p.Counters.TxBytes,
            p.Counters.TxNoLink + p.Counters.TxLinkFull)).ToList();
        var elements = device.Graph.Elements.Select(Element).Where(e => e.Received > 0 || e.Counters.Count > 0).ToList();
        return new DomainStatus(device.Name, device.Kind, baseTokens, balance, domain.WorkerShare, domain.Turns, domain.Backlog, ports, elements);
    }

    private static ElementStatus Element(Element element)
    {
        var counters = new SortedDictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < element.Outputs.Count; i++)
        {
            var emitted = element.Counters.Emitted(i);
            if (emitted > 0) counters[element.Outputs[i]] = emitted;
        }
        for (var i = 0; i < element.DropReasons.Count; i++)
        {
            var dropped = element.Counters.Dropped(i);
            if (dropped > 0) counters[$"drop:{element.DropReasons[i]}"] = dropped;
        }
        return new ElementStatus(element.Name, element.Counters.Received, counters);
    }

    private static HostStatus Host(string network, HostSpec host, IPhysicalPort port) =>
        new(host.Name, port is MemoryPhysicalPort ? null : HostNames.Namespace(network, host.Name), port.Name, port.Kind,
            [.. host.Addresses.Select(a => a.ToString())]);
}
