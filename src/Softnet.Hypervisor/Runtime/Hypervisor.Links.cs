using Softnet.Hypervisor.Topology;

namespace Softnet.Hypervisor.Runtime;

/// <summary>A link of <see cref="Network"/> cut since <see cref="Since"/>; <see cref="Link"/> is the topology's own.</summary>
public sealed record CutLink(string Network, LinkSpec Link, DateTimeOffset Since);

public sealed partial class Hypervisor
{
    /// <summary>The links cut, with the domain of (one of) their device ends: a cut holds while that domain runs. Under <see cref="_control"/>.</summary>
    private readonly Dictionary<(string Network, LinkSpec Link), (Domain Domain, DateTimeOffset Since)> _cuts = [];

    /// <summary>
    /// Cuts (<paramref name="up"/> false) or restores the link between devices <paramref name="a"/> and
    /// <paramref name="b"/> of <paramref name="network"/>, as a cable pulled and plugged back: frames on it are lost
    /// while it is down. The topology does not change; the controller, told of the failure, routes around it.
    /// </summary>
    /// <exception cref="ArgumentException">No such network, or no such link between two of its devices.</exception>
    public void SetLink(string network, Endpoint a, Endpoint b, bool up)
    {
        lock (_control)
        {
            var (spec, domains) = Running(network);
            var link = spec.Links.FirstOrDefault(l => (l.A == a && l.B == b) || (l.A == b && l.B == a))
                ?? throw new ArgumentException($"Network '{network}' has no link {a} -- {b}.", nameof(a));
            var ends = new[] { a, b }.Select(e => (Endpoint: e, Domain: Array.Find(domains, d => d.Device.Name == e.Node)
                ?? throw new ArgumentException($"{e.Node} is a host of network '{network}': only a link between two devices can be cut.", nameof(a)))).ToList();
            RunOnAll([.. ends.Select(e => (e.Domain, (Action)(() => e.Domain.SetPort(e.Domain.Device.Port(e.Endpoint.Port).Index, up))))]);
            Record(network, link, ends[0].Domain, up);
        }
    }

    /// <summary>
    /// Cuts (<paramref name="up"/> false) or restores the link of host <paramref name="host"/> of
    /// <paramref name="network"/> at its device's end, as when the host's cable is pulled: the device port sends nothing
    /// to the host (counted as sent without a link) and takes nothing from it. The host's own interface is the host's
    /// business (a real host whose interface went down is why this is called).
    /// </summary>
    /// <exception cref="ArgumentException">No such network, or no such host in it.</exception>
    public void SetHostLink(string network, string host, bool up)
    {
        lock (_control)
        {
            var (spec, domains) = Running(network);
            if (spec.Hosts.All(h => h.Name != host))
                throw new ArgumentException($"Network '{network}' has no host '{host}' (hosts: {string.Join(", ", spec.Hosts.Select(h => h.Name))}).", nameof(host));
            var link = spec.Links.First(l => l.A.Node == host || l.B.Node == host);
            var device = link.A.Node == host ? link.B : link.A;
            var domain = domains.First(d => d.Device.Name == device.Node);
            RunOnAll([(domain, () => domain.SetPort(domain.Device.Port(device.Port).Index, up))]);
            Record(network, link, domain, up);
        }
    }

    /// <summary>
    /// The links cut now, in the topology's order. A network built anew (<see cref="Apply"/> of a changed network)
    /// starts with every link up: its earlier cuts are gone.
    /// </summary>
    public IReadOnlyList<CutLink> CutLinks()
    {
        lock (_control)
        {
            var layout = _layout;
            var running = layout.All.ToHashSet();
            foreach (var stale in _cuts.Where(c => !running.Contains(c.Value.Domain)).Select(c => c.Key).ToList()) _cuts.Remove(stale);
            return [.. layout.Topology.Networks.SelectMany(n => n.Links
                .Where(l => _cuts.ContainsKey((n.Name, l)))
                .Select(l => new CutLink(n.Name, l, _cuts[(n.Name, l)].Since)))];
        }
    }

    private (SoftwareNetwork Network, Domain[] Domains) Running(string network)
    {
        var layout = _layout;
        var index = layout.Topology.Networks.Select((n, i) => (n, i)).FirstOrDefault(p => p.n.Name == network);
        if (index.n is null) throw new ArgumentException($"No network '{network}' runs here (networks: {string.Join(", ", layout.Topology.Networks.Select(n => n.Name))}).", nameof(network));
        return (index.n, layout.Domains[index.i]);
    }

    /// <summary>Notes the cut, keeping its first time while it lasts, or forgets it.</summary>
    private void Record(string network, LinkSpec link, Domain domain, bool up)
    {
        var key = (network, link);
        if (up) _cuts.Remove(key);
        else if (!_cuts.TryGetValue(key, out var cut) || cut.Domain != domain) _cuts[key] = (domain, DateTimeOffset.UtcNow);
    }
}
