namespace Softnet.Hypervisor.Scheduling;

/// <summary>
/// The token scheduler of one physical node (SPEC 4): networks share the node by their base
/// tokens, and the domains of a network share its grant by theirs, with the same rules applied
/// at both levels. A domain alone under load borrows its idle siblings' share, never more than
/// its network gets (elasticity, SPEC 3). Deterministic: the same calls give the same decisions.
/// </summary>
public sealed class TokenScheduler
{
    private readonly TokenLedger _networks;
    private readonly TokenLedger[] _domains;
    private readonly bool[] _networkBacklogged;
    private readonly bool[][] _domainBacklogged;

    public TokenScheduler(TokenPolicy policy, IReadOnlyList<NetworkShare> networks)
    {
        policy.Validate();
        if (networks.Count == 0) throw new ArgumentException("at least one network is required", nameof(networks));
        Policy = policy;
        Networks = [.. networks];
        _networks = new TokenLedger(policy, [.. networks.Select(n => n.BaseTokens)], [.. networks.Select(n => n.Priority)]);
        _domains = [.. networks.Select(n => n.Domains.Count == 0
            ? throw new ArgumentException($"network {n.Name} has no domain", nameof(networks))
            : new TokenLedger(policy, [.. n.Domains.Select(d => d.BaseTokens)], [.. n.Domains.Select(_ => PriorityKind.None)]))];
        _networkBacklogged = new bool[networks.Count];
        _domainBacklogged = [.. networks.Select(n => new bool[n.Domains.Count])];
    }

    public TokenPolicy Policy { get; }

    public IReadOnlyList<NetworkShare> Networks { get; }

    /// <summary>How many times the networks' base tokens were redistributed (SPEC 4.4).</summary>
    public int Redistributions => _networks.Redistributions;

    public long NetworkBalance(int network) => _networks.Balance(network);

    public long NetworkAllocation(int network) => _networks.Allocation(network);

    public long DomainBalance(DomainId domain) => _domains[domain.Network].Balance(domain.Domain);

    public long DomainAllocation(DomainId domain) => _domains[domain.Network].Allocation(domain.Domain);

    /// <summary>Domain ids of network <paramref name="network"/>.</summary>
    public IEnumerable<DomainId> DomainsOf(int network) =>
        Enumerable.Range(0, Networks[network].Domains.Count).Select(d => new DomainId(network, d));

    /// <summary>Which domain runs next among <paramref name="backlogged"/>, or null when none is.</summary>
    /// <remarks>Allocates nothing: the backlog is copied into flags sized when the scheduler was made.</remarks>
    public Turn? PickNext(IReadOnlySet<DomainId> backlogged)
    {
        for (int n = 0; n < _domainBacklogged.Length; n++)
        {
            var flags = _domainBacklogged[n];
            for (int d = 0; d < flags.Length; d++) flags[d] = backlogged.Contains(new DomainId(n, d));
        }
        return Pick();
    }

    /// <summary>
    /// The same, the backlog given as one flag per domain, by network then domain (the hypervisor's turn: no set to
    /// fill and search).
    /// </summary>
    public Turn? PickNext(bool[][] backlogged)
    {
        for (int n = 0; n < _domainBacklogged.Length; n++) backlogged[n].AsSpan().CopyTo(_domainBacklogged[n]);
        return Pick();
    }

    private Turn? Pick()
    {
        for (int n = 0; n < _domainBacklogged.Length; n++) _networkBacklogged[n] = _domainBacklogged[n].AsSpan().Contains(true);
        int network = _networks.Pick(_networkBacklogged);
        if (network < 0) return null;
        int domain = _domains[network].Pick(_domainBacklogged[network]);
        return new Turn(new DomainId(network, domain), Math.Min(_networks.Budget(network), _domains[network].Budget(domain)));
    }

    /// <summary>Charge the real work done by <paramref name="domain"/>: bytes plus a per-packet cost (SPEC 4.2).</summary>
    public void Charge(DomainId domain, long bytes, long packets)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        ArgumentOutOfRangeException.ThrowIfNegative(packets);
        long cost = Policy.Cost(bytes, packets);
        _networks.Charge(domain.Network, cost);
        _domains[domain.Network].Charge(domain.Domain, cost);
    }

    /// <summary>Hand out the networks' base tokens now, as SPEC 4.4 does when remaining less negative tokens reaches zero.</summary>
    public void Redistribute() => _networks.Redistribute();
}
