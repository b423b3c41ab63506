namespace Softnet.Hypervisor.Scheduling;

/// <summary>
/// One level of token accounts (the networks of a node, or the domains of a network) and the
/// choice of who runs next among the backlogged ones. Pure state machine: no clock, no I/O.
/// </summary>
internal sealed class TokenLedger
{
    private readonly TokenPolicy _policy;
    private readonly PriorityKind[] _priority;
    private readonly long[] _allocation;
    private readonly long[] _balance;
    private readonly long[] _floor;
    private readonly long[] _ceiling;
    private readonly long[] _lastServed;
    private readonly bool[] _wasBacklogged;
    private readonly bool[] _fresh;
    private readonly bool[] _yielded;
    private long _picks;

    public TokenLedger(TokenPolicy policy, IReadOnlyList<int> baseTokens, IReadOnlyList<PriorityKind> priority)
    {
        _policy = policy;
        int n = baseTokens.Count;
        _priority = [.. priority];
        _allocation = new long[n];
        _balance = new long[n];
        _floor = new long[n];
        _ceiling = new long[n];
        _lastServed = new long[n];
        _wasBacklogged = new bool[n];
        _fresh = new bool[n];
        _yielded = new bool[n];
        for (int i = 0; i < n; i++)
        {
            if (baseTokens[i] <= 0) throw new ArgumentOutOfRangeException(nameof(baseTokens), "base tokens must be positive");
            _allocation[i] = baseTokens[i] * policy.BytesPerToken;
            _balance[i] = _allocation[i];
            _floor[i] = -(long)Math.Floor(policy.DebtClamp * _allocation[i]);
            _ceiling[i] = (long)Math.Floor(policy.HoardClamp * _allocation[i]);
        }
    }

    public int Count => _balance.Length;

    public int Redistributions { get; private set; }

    public long Balance(int i) => _balance[i];

    public long Allocation(int i) => _allocation[i];

    /// <summary>SPEC 4.2 and 4.7: spend <paramref name="cost"/>, never below the debt floor; SPEC 4.4 when the sum reaches zero.</summary>
    public void Charge(int i, long cost)
    {
        _balance[i] = Math.Max(_balance[i] - cost, _floor[i]);
        if (Sum() <= 0) Redistribute();
    }

    /// <summary>SPEC 4.4: hand out the base tokens again, within the clamps of SPEC 4.7.</summary>
    public void Redistribute()
    {
        for (int i = 0; i < _balance.Length; i++)
        {
            long refilled = _policy.Redistribution == RedistributionRule.ResetToBase
                ? _allocation[i]
                : _balance[i] + _allocation[i];
            _balance[i] = Math.Clamp(refilled, _floor[i], _ceiling[i]);
        }
        Redistributions++;
    }

    /// <summary>Whether the last <see cref="Pick"/> chose an account for offering within its guarantee.</summary>
    public bool PickedForGuarantee { get; private set; }

    /// <summary>
    /// Account <paramref name="i"/> ran out of work before its turn's budget: it waits for a full turn of another
    /// backlogged account (<see cref="EndWaits"/>) before it is picked again, unless every backlogged account waits.
    /// Served as soon as anything arrived, light senders would otherwise take turn after turn of a packet or two ahead
    /// of a busy one, and the fixed cost of every turn (the poll, the pick, the device's graph) would eat the node's
    /// spare capacity: instead their packets gather during one turn of the others, so that a waiting packet is delayed
    /// by about one turn (SPEC 3). A priority account does not yield: it is to be served first (4.5), and spends
    /// only its tokens so.
    /// </summary>
    public void Yield(int i) => _yielded[i] = _priority[i] == PriorityKind.None;

    /// <summary>
    /// A turn used its whole budget: the accounts that yielded may run again, as light senders whose packets just
    /// arrived (the tier of accounts that just became backlogged).
    /// </summary>
    public void EndWaits()
    {
        for (int i = 0; i < _yielded.Length; i++)
        {
            _fresh[i] |= _yielded[i];
            _yielded[i] = false;
        }
    }

    /// <summary>
    /// Who runs next among the backlogged accounts, or -1 if none. Accounts that yielded (<see cref="Yield"/>) wait
    /// while any backlogged account has not. First, the account that offers most within its guarantee
    /// (<paramref name="guarantee"/>, each account's level, when given: above 0 it conforms). Then tiers, first
    /// non-empty wins: priority accounts with tokens (4.5); accentuated accounts in debt above their floor (4.6);
    /// accounts with tokens that just became backlogged, so a light sender waits at most one turn;
    /// other accounts with tokens (4.2); accentuated accounts at their floor (4.6); everyone else (4.3).
    /// Within a tier the largest balance relative to allocation wins, then the least recently served.
    /// </summary>
    public int Pick(ReadOnlySpan<bool> backlogged, GuaranteeMeter? guarantee = null)
    {
        bool contending = false, waiting = false;
        for (int i = 0; i < _balance.Length; i++)
        {
            bool now = backlogged[i];
            _fresh[i] = now && (_fresh[i] || !_wasBacklogged[i]);
            _wasBacklogged[i] = now;
            contending |= now && !_yielded[i];
            waiting |= now && _yielded[i];
        }
        PickedForGuarantee = false;
        if (!contending && !waiting) return -1;
        // The debt clamp must not block SPEC 4.4 forever: when every contender sits at its floor,
        // further service is free anyway, so a new round starts.
        bool allAtFloor = true;
        for (int i = 0; i < _balance.Length; i++)
        {
            if (Eligible(i, contending)) allAtFloor &= _balance[i] <= _floor[i];
        }
        if (allAtFloor) Redistribute();

        int best = -1;
        if (guarantee is not null)
        {
            for (int i = 0; i < _balance.Length; i++)
            {
                if (Eligible(i, contending) && guarantee.Level(i) > 0 && (best < 0 || guarantee.Level(i) > guarantee.Level(best))) best = i;
            }
            PickedForGuarantee = best >= 0;
        }
        if (best < 0)
        {
            int bestTier = int.MaxValue;
            for (int i = 0; i < _balance.Length; i++)
            {
                if (!Eligible(i, contending)) continue;
                int tier = Tier(i);
                if (tier < bestTier || (tier == bestTier && Better(i, best)))
                {
                    best = i;
                    bestTier = tier;
                }
            }
        }
        _fresh[best] = false;
        _lastServed[best] = ++_picks;
        return best;
    }

    // Those that yielded contend only when no one else does.
    private bool Eligible(int i, bool contending) => _wasBacklogged[i] && (!contending || !_yielded[i]);

    /// <summary>Budget of the turn just picked: a quantum, cut to the balance while the account spends its own tokens.</summary>
    public long Budget(int i) => _balance[i] > 0 ? Math.Min(_policy.Quantum, _balance[i]) : _policy.Quantum;

    // An accentuated account in debt still "has a token" down to its floor: it borrows ahead of
    // accounts with tokens. That only advances its turns: each round it is refilled by its
    // allocation like everyone else, so long-run shares are unchanged and the others carry their
    // unspent tokens into the next round.
    private int Tier(int i)
    {
        bool positive = _balance[i] > 0;
        bool accentuated = _priority[i] == PriorityKind.Accentuated;
        if (positive && _priority[i] != PriorityKind.None) return 0;
        if (accentuated && _balance[i] > _floor[i]) return 1;
        if (positive && _fresh[i]) return 2;
        if (positive) return 3;
        return accentuated ? 4 : 5;
    }

    // balance_i / allocation_i > balance_j / allocation_j, cross-multiplied to stay exact.
    private bool Better(int i, int j)
    {
        Int128 left = (Int128)_balance[i] * _allocation[j];
        Int128 right = (Int128)_balance[j] * _allocation[i];
        return left != right ? left > right : _lastServed[i] < _lastServed[j];
    }

    private long Sum()
    {
        long sum = 0;
        foreach (long b in _balance) sum += b;
        return sum;
    }
}
