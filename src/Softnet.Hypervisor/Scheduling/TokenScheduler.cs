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
    private readonly long[][] _budgets;
    private GuaranteeMeter? _guarantee;

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
        _budgets = [.. networks.Select(n => new long[n.Domains.Count])];
    }

    /// <summary>
    /// The node's rated capacity in byte-equivalents a second, of which each network is guaranteed its tokens' share
    /// (null: no guarantee beyond the tokens' order, as <see cref="TokenLedger.Pick"/> states it). A network that offers
    /// within its guarantee (<see cref="Offer"/>) is served first; <paramref name="ticksPerSecond"/> is the unit of the
    /// times given to <see cref="PickNext(bool[][], long)"/>.
    /// </summary>
    public void SetRatedCapacity(double? byteEquivalentsPerSecond, long ticksPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ticksPerSecond, 1);
        _guarantee = byteEquivalentsPerSecond is { } rated ? new GuaranteeMeter([.. Networks.Select(n => n.BaseTokens)], rated, ticksPerSecond) : null;
    }

    /// <summary>Whether a rated capacity is set (<see cref="SetRatedCapacity"/>): only then does what networks offer matter.</summary>
    public bool MetersOffers => _guarantee is not null;

    /// <summary>Network <paramref name="network"/> was offered <paramref name="packets"/> packets of <paramref name="bytes"/> bytes in all (its arrivals).</summary>
    public void Offer(int network, long bytes, long packets) => _guarantee?.Offer(network, Policy.Cost(bytes, packets));

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

    /// <summary>The same at <paramref name="now"/>, which fills the networks' guarantees (<see cref="SetRatedCapacity"/>) first.</summary>
    public Turn? PickNext(bool[][] backlogged, long now)
    {
        _guarantee?.Advance(now);
        return PickNext(backlogged);
    }

    /// <summary>The same, the backlog as a set, at <paramref name="now"/>.</summary>
    public Turn? PickNext(IReadOnlySet<DomainId> backlogged, long now)
    {
        _guarantee?.Advance(now);
        return PickNext(backlogged);
    }

    private Turn? Pick()
    {
        for (int n = 0; n < _domainBacklogged.Length; n++) _networkBacklogged[n] = _domainBacklogged[n].AsSpan().Contains(true);
        int network = _networks.Pick(_networkBacklogged, _guarantee);
        if (network < 0) return null;
        int domain = _domains[network].Pick(_domainBacklogged[network]);
        // A network served for its guarantee takes a whole quantum whatever its tokens: the guarantee is a rate.
        long budget = Math.Min(_networks.PickedForGuarantee ? Policy.Quantum : _networks.Budget(network), _domains[network].Budget(domain));
        _budgets[network][domain] = budget;
        return new Turn(new DomainId(network, domain), budget);
    }

    /// <summary>
    /// Charge the real work done by <paramref name="domain"/>: bytes plus a per-packet cost (SPEC 4.2). A turn takes
    /// packets while its budget lasts, so work below the budget of the domain's last turn means it ran out of
    /// packets: the domain and its network then yield (<see cref="TokenLedger.Yield"/>); a full turn ends the waits.
    /// </summary>
    public void Charge(DomainId domain, long bytes, long packets)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        ArgumentOutOfRangeException.ThrowIfNegative(packets);
        long cost = Policy.Cost(bytes, packets);
        _networks.Charge(domain.Network, cost);
        _domains[domain.Network].Charge(domain.Domain, cost);
        ref long budget = ref _budgets[domain.Network][domain.Domain];
        if (cost < budget)
        {
            _networks.Yield(domain.Network);
            _domains[domain.Network].Yield(domain.Domain);
        }
        else if (budget > 0)
        {
            _networks.EndWaits();
            _domains[domain.Network].EndWaits();
        }
        budget = 0;
    }

    /// <summary>Hand out the networks' base tokens now, as SPEC 4.4 does when remaining less negative tokens reaches zero.</summary>
    public void Redistribute() => _networks.Redistribute();
}
