using System.Diagnostics;
using Softnet.DataPlane;
using Softnet.DataPlane.Ports;
using Softnet.Hypervisor.Forwarding;
using Softnet.Hypervisor.Scheduling;
using Softnet.Hypervisor.Topology;

namespace Softnet.Hypervisor.Runtime;

/// <summary>What <see cref="Hypervisor.Apply"/> did, network by network.</summary>
/// <param name="Added">Networks built and started.</param>
/// <param name="Rebuilt">Networks whose devices, hosts or links changed: rebuilt, keeping the ports (and namespaces) of unchanged hosts.</param>
/// <param name="Removed">Networks stopped and taken down, with their hosts.</param>
/// <param name="Untouched">Networks left running as they were (their tokens and priority may have changed).</param>
/// <param name="Replanned">Devices of untouched networks whose forwarding state changed in place, as <c>network/device</c>.</param>
public sealed record AppliedChanges(
    IReadOnlyList<string> Added,
    IReadOnlyList<string> Rebuilt,
    IReadOnlyList<string> Removed,
    IReadOnlyList<string> Untouched,
    IReadOnlyList<string> Replanned);

public sealed partial class Hypervisor
{
    /// <summary>
    /// Makes the node run <paramref name="desired"/>, with the forwarding state of <paramref name="plans"/> (by network;
    /// null keeps what the devices have). A network whose devices, hosts and links did not change keeps running: its
    /// domains, rings and frames are untouched, a change of tokens or priority only re-shares the node, and a changed
    /// plan is applied entry by entry on the domain's own thread (no route is ever missing in between). A changed
    /// network is built anew beside the running ones and takes over in one step, keeping the ports, and so the
    /// namespaces and programs, of its unchanged hosts. When anything cannot be built, nothing changes.
    /// </summary>
    /// <exception cref="InvalidOperationException">A network cannot run (no device, a link between two hosts, a plan for an unknown device).</exception>
    public AppliedChanges Apply(TopologyFile desired, IReadOnlyDictionary<string, NetworkPlan>? plans = null, IProgress<string>? progress = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        lock (_control)
        {
            var old = _layout;
            var build = new Build();
            try
            {
                var touched = Touched(old.Topology, desired);
                var domains = new Domain[desired.Networks.Count + desired.Gateways.Count][];
                for (var i = 0; i < desired.Networks.Count; i++)
                {
                    var network = desired.Networks[i];
                    var before = old.Topology.Networks.Select((n, index) => (Network: n, Index: index)).FirstOrDefault(p => p.Network.Name == network.Name);
                    if (before.Network is not null && !touched.Contains(network.Name))
                    {
                        domains[i] = old.Domains[before.Index];
                        build.Untouched.Add(network.Name);
                        continue;
                    }
                    progress?.Report($"network {network.Name}: {network.Devices.Count} device(s), {network.Hosts.Count} host(s)");
                    domains[i] = BuildNetwork(desired, network, plans?.GetValueOrDefault(network.Name), build, progress);
                    (before.Network is null ? build.Added : build.Rebuilt).Add(network.Name);
                }
                for (var g = 0; g < desired.Gateways.Count; g++)
                {
                    var gateway = desired.Gateways[g];
                    var before = old.Topology.Gateways.Select((x, index) => (Gateway: x, Index: index)).FirstOrDefault(p => p.Gateway.Name == gateway.Name);
                    domains[desired.Networks.Count + g] = before.Gateway is not null && !touched.Contains(gateway.Name)
                        ? old.Domains[old.Topology.Networks.Count + before.Index]
                        : [BuildGateway(desired, gateway, domains)];
                }
                var removed = old.Topology.Networks.Where(n => desired.Networks.All(d => d.Name != n.Name)).Select(n => n.Name).ToList();
                var replans = Replans(desired, domains, plans, build.Untouched);
                Publish(old, desired, domains, build, removed);
                // The installer changes each device from the plan it has to the new one entry by entry, in place.
                RunOnAll(replans.Select(r => (r.Domain, (Action)(() => PlanInstaller.Install(r.Domain.Device, r.Plan)))).ToList());
                return new AppliedChanges(build.Added, build.Rebuilt, removed, build.Untouched,
                    [.. replans.Select(r => $"{r.Domain.Network}/{r.Domain.Device.Name}")]);
            }
            catch
            {
                // Nothing was published: give back what was made for the new networks, keep every port they reused.
                foreach (var host in build.Fresh) Release(host);
                throw;
            }
        }
    }

    /// <summary>Builds a network's domains, links and host ports, not yet running; installs its plan when given.</summary>
    private Domain[] BuildNetwork(TopologyFile file, SoftwareNetwork network, NetworkPlan? plan, Build build, IProgress<string>? progress)
    {
        if (network.Devices.Count == 0)
            throw new InvalidOperationException($"{file.SourceName}: network '{network.Name}' has no device; a software network needs at least one to run.");
        var domains = network.Devices.Select(d => new Domain(default, network.Name, DeviceFactory.Create(network, d, _pool))).ToArray();
        if (plan is not null)
        {
            foreach (var device in plan.Devices)
            {
                var domain = Array.Find(domains, d => d.Device.Name == device.Device)
                    ?? throw new InvalidOperationException($"The plan of network '{network.Name}' is for device '{device.Device}', which the network does not have.");
                PlanInstaller.Install(domain.Device, device);
            }
        }
        foreach (var link in network.Links)
        {
            var a = Array.Find(domains, d => d.Device.Name == link.A.Node);
            var b = Array.Find(domains, d => d.Device.Name == link.B.Node);
            if (a is not null && b is not null)
            {
                var pipe = new InMemoryLink(RingCapacity);
                a.Attach(a.Device.Port(link.A.Port).Index, pipe.A, link.B.ToString());
                b.Attach(b.Device.Port(link.B.Port).Index, pipe.B, link.A.ToString());
            }
            else if (a is null && b is null)
            {
                throw new InvalidOperationException($"{file.SourceName}: link {link.A} -- {link.B} of network '{network.Name}' joins two hosts; put a switch between them.");
            }
            else
            {
                var (domain, devicePort, hostEnd) = a is not null ? (a, link.A, link.B) : (b!, link.B, link.A);
                AttachHost(network, domain, devicePort, hostEnd, build, progress);
            }
        }
        return domains;
    }

    /// <summary>
    /// The networks and gateways to build anew: every network whose devices, hosts or links changed, every gateway
    /// added or changed, and, as a gateway is linked into its networks' devices, a gateway with any of its networks
    /// and the networks of a gateway changed, added or removed (until nothing more is drawn in).
    /// </summary>
    private static HashSet<string> Touched(TopologyFile old, TopologyFile desired)
    {
        var touched = desired.Networks
            .Where(n => old.Networks.FirstOrDefault(o => o.Name == n.Name) is not { } before || !NetworkShape.Same(before, n))
            .Select(n => n.Name).ToHashSet();
        foreach (var gateway in old.Gateways.Where(g => desired.Gateways.All(d => d.Name != g.Name))) touched.UnionWith(gateway.Networks);
        foreach (var gateway in desired.Gateways)
        {
            var before = old.Gateways.FirstOrDefault(o => o.Name == gateway.Name);
            if (before is null || !NetworkShape.Same(before, gateway))
            {
                touched.Add(gateway.Name);
                touched.UnionWith(gateway.Networks);
                if (before is not null) touched.UnionWith(before.Networks);
            }
        }
        for (var grew = true; grew;)
        {
            grew = false;
            foreach (var gateway in desired.Gateways)
            {
                if (!touched.Contains(gateway.Name) && !gateway.Networks.Any(touched.Contains)) continue;
                grew |= touched.Add(gateway.Name);
                foreach (var network in gateway.Networks) grew |= touched.Add(network);
            }
        }
        return touched;
    }

    /// <summary>A gateway's domain, linked into the (newly built) domains of its networks.</summary>
    private Domain BuildGateway(TopologyFile file, GatewaySpec gateway, Domain[][] domains)
    {
        var domain = new Domain(default, gateway.Name, DeviceFactory.CreateGateway(gateway, _pool));
        foreach (var side in gateway.Sides)
        {
            var index = file.Networks.Select((n, i) => (n, i)).First(p => p.n.Name == side.Network).i;
            var peer = Array.Find(domains[index], d => d.Device.Name == side.Endpoint.Node)
                ?? throw new InvalidOperationException($"{file.SourceName}: gateway '{gateway.Name}' links to {side.Network}/{side.Endpoint}, which is not a device of that network.");
            var pipe = new InMemoryLink(RingCapacity);
            domain.Attach(domain.Device.Port(side.Interface).Index, pipe.A, $"{side.Network}/{side.Endpoint}");
            peer.Attach(peer.Device.Port(side.Endpoint.Port).Index, pipe.B, $"{gateway.Name}:{side.Interface}");
        }
        return domain;
    }

    /// <summary>Gives a host a backend to its domain: the port it had when nothing about it changed, else a new one.</summary>
    private void AttachHost(SoftwareNetwork network, Domain domain, Endpoint devicePort, Endpoint hostEnd, Build build, IProgress<string>? progress)
    {
        var host = network.Hosts.First(h => h.Name == hostEnd.Node);
        var kind = network.PortKindOf(hostEnd);
        var reusable = _hosts.FirstOrDefault(h => h.Network.Name == network.Name && h.DevicePort == devicePort && h.Kind == kind
            && NetworkShape.Same(h.Host, host) && !build.Reused.Contains(h));
        HostPort entry;
        if (reusable is not null)
        {
            entry = reusable with { Network = network, Host = host };
            build.Reused.Add(reusable);
        }
        else
        {
            IPhysicalPort port = kind == PhysicalPortKind.Memory
                ? new MemoryPhysicalPort($"memory:{network.Name}/{host.Name}", _pool, RingCapacity, WakeIfSleeping)
                : _hostPorts.Attach(network, host, kind, _pool);
            entry = new HostPort(network, host, devicePort, kind, port);
            build.Fresh.Add(entry);
            progress?.Report($"host {network.Name}/{host.Name}: {port.Name} ({kind}) to {devicePort}");
        }
        build.Hosts.Add(entry);
        var backend = new InMemoryLink(RingCapacity);
        domain.Attach(domain.Device.Port(devicePort.Port).Index, backend.A, $"{hostEnd} via {entry.Port.Name}");
        entry.Binding = new DriverDomain.Binding(entry.Port, backend.B, network.Name, devicePort.ToString());
    }

    /// <summary>
    /// The devices of untouched networks whose installed plan (<see cref="PlanInstaller.Installed"/>) differs from
    /// <paramref name="plans"/>, each with its new plan (an empty one for a device the new plan leaves out).
    /// </summary>
    private static List<(Domain Domain, DevicePlan Plan)> Replans(TopologyFile desired, Domain[][] domains, IReadOnlyDictionary<string, NetworkPlan>? plans, List<string> untouched)
    {
        var replans = new List<(Domain, DevicePlan)>();
        if (plans is null) return replans;
        for (var n = 0; n < desired.Networks.Count; n++)
        {
            var name = desired.Networks[n].Name;
            if (!untouched.Contains(name) || !plans.TryGetValue(name, out var plan)) continue;
            var unknown = plan.Devices.FirstOrDefault(p => Array.TrueForAll(domains[n], d => d.Device.Name != p.Device));
            if (unknown is not null)
                throw new InvalidOperationException($"The plan of network '{name}' is for device '{unknown.Device}', which the network does not have.");
            foreach (var domain in domains[n])
            {
                var wanted = plan.Devices.FirstOrDefault(p => p.Device == domain.Device.Name) ?? new DevicePlan(domain.Device.Name, [], []);
                if (!PlanInstaller.Installed(domain.Device).Equals(wanted)) replans.Add((domain, wanted));
            }
        }
        return replans;
    }

    /// <summary>
    /// Makes the new layout the one the workers run, in one step: the driver's bindings first (the new domains'
    /// frames wait in their rings), then the domains and a scheduler for the new set of networks. The domains of
    /// rebuilt and removed networks are retired: each is claimed for good once its current turn ends, its rings are
    /// emptied back into the pool, and the ports of hosts that went away are released.
    /// </summary>
    private void Publish(Layout old, TopologyFile desired, Domain[][] domains, Build build, List<string> removed)
    {
        var keptHosts = _hosts.Where(h => build.Untouched.Contains(h.Network.Name)).ToList();
        var released = _hosts.Where(h => !build.Untouched.Contains(h.Network.Name) && !build.Reused.Contains(h)).ToList();
        var hosts = keptHosts.Concat(build.Hosts).ToList();
        foreach (var host in build.Fresh.Where(h => h.Port.ReadinessFd >= 0)) _waiter.Add(host.Port.ReadinessFd);
        _driver.Replace([.. hosts.Select(h => h.Binding!)]);

        var kept = new HashSet<Domain>(domains.SelectMany(d => d), ReferenceEqualityComparer.Instance);
        var retired = old.All.Where(d => !kept.Contains(d)).ToList();
        // Each gateway is scheduled as a network of its own, with its own tokens, after the networks.
        var shares = desired.Networks.Select(n => new NetworkShare(n.Name, n.Tokens, n.Priority, [.. n.Devices.Select(d => new DomainShare(d.Name, 1))]))
            .Concat(desired.Gateways.Select(g => NetworkShare.Single(g.Name, g.Tokens))).ToList();
        var scheduler = shares.Count == 0 ? null : new TokenScheduler(_options.Policy, shares);
        DriverDomain.Binding[][] offers = [.. desired.Networks.Select(n => hosts.Where(h => h.Network.Name == n.Name && h.Binding is not null).Select(h => h.Binding!).ToArray())];
        lock (_schedulerLock)
        {
            scheduler?.SetRatedCapacity(_ratedCapacity, Stopwatch.Frequency);
            foreach (var domain in retired)
            {
                var spin = new SpinWait();
                while (!domain.TryEnter()) spin.SpinOnce();
            }
            for (var n = 0; n < domains.Length; n++)
            {
                for (var d = 0; d < domains[n].Length; d++) domains[n][d].Id = new DomainId(n, d);
            }
            _layout = new Layout(desired, domains, [.. domains.SelectMany(d => d)], scheduler) { Offers = offers };
            SkipOffers(_layout);
        }
        _hosts.Clear();
        _hosts.AddRange(hosts);
        foreach (var domain in retired) domain.Drain();
        foreach (var host in build.Reused) host.Binding?.Backend.Drain(_pool);
        foreach (var host in released) Release(host);
        WakeIfSleeping();
    }

    /// <summary>Takes a host down: its namespace and links (for a real host) and its port.</summary>
    private void Release(HostPort host)
    {
        if (host.Port.ReadinessFd >= 0) _waiter.Remove(host.Port.ReadinessFd);
        host.Binding?.Backend.Drain(_pool);
        host.Port.Dispose();
        if (host.Port is not MemoryPhysicalPort) _hostPorts.Detach(host.Network, host.Host);
    }

    /// <summary>Runs each action on its domain's thread between turns and waits for all of them (at most 5 s).</summary>
    private void RunOnAll(List<(Domain Domain, Action Action)> commands)
    {
        if (commands.Count == 0) return;
        if (_workers.Count == 0 || _stopping)
        {
            foreach (var (_, action) in commands) action();
            return;
        }
        using var done = new CountdownEvent(commands.Count);
        foreach (var (domain, action) in commands)
        {
            domain.Post(() =>
            {
                try
                {
                    action();
                }
                finally
                {
                    done.Signal();
                }
            });
        }
        _waiter.Wake();
        if (!done.Wait(TimeSpan.FromSeconds(5))) throw new TimeoutException($"{done.CurrentCount} of {commands.Count} domain(s) did not take their forwarding changes within 5 s.");
    }

    /// <summary>What one <see cref="Apply"/> has built so far, to publish or to give back.</summary>
    private sealed class Build
    {
        public List<string> Added { get; } = [];
        public List<string> Rebuilt { get; } = [];
        public List<string> Untouched { get; } = [];
        public List<HostPort> Hosts { get; } = [];

        /// <summary>Hosts whose ports this build attached (not reused): released again if the build fails.</summary>
        public List<HostPort> Fresh { get; } = [];
        public HashSet<HostPort> Reused { get; } = new(ReferenceEqualityComparer.Instance);
    }
}
