using Softnet.Hypervisor.Scheduling;

namespace Softnet.Hypervisor.Tests.Scheduling;

/// <summary>Each rule of SPEC 4 in isolation, with hand-worked balances (1 token = 100, 10 per packet).</summary>
public sealed class TokenSchedulerRuleTests
{
    private static readonly TokenPolicy Policy = new(PerPacketCost: 10, BytesPerToken: 100, Quantum: 50, DebtClamp: 2, HoardClamp: 2, RedistributionRule.AddBase);

    private static readonly DomainId N1 = new(0, 0), N2 = new(1, 0), N3 = new(2, 0);

    private static TokenScheduler Make(PriorityKind third = PriorityKind.None, TokenPolicy? policy = null, int first = 10, int second = 5) =>
        new(policy ?? Policy, [NetworkShare.Single("n1", first), NetworkShare.Single("n2", second), NetworkShare.Single("n3", 1, third)]);

    private static long[] Balances(TokenScheduler s) => [s.NetworkBalance(0), s.NetworkBalance(1), s.NetworkBalance(2)];

    private static HashSet<DomainId> Set(params DomainId[] ids) => [.. ids];

    [Fact]
    public void BaseTokensAreAllocatedInProportion_4_1()
    {
        var s = new TokenScheduler(Policy, [new NetworkShare("a", 10, PriorityKind.None, [new("a1", 3), new("a2", 1)]), NetworkShare.Single("b", 5)]);
        Assert.Equal(1000, s.NetworkAllocation(0));
        Assert.Equal(500, s.NetworkBalance(1));
        Assert.Equal(300, s.DomainBalance(new(0, 0)));
        Assert.Equal(100, s.DomainAllocation(new(0, 1)));
    }

    [Fact]
    public void ASenderThatRanOutOfPacketsWaitsForAFullTurnOfAnother()
    {
        var s = Make();
        s.Charge(N1, 1100, 0); // n1 borrowed: in debt, n3 would go first at every pick
        Assert.Equal(new Turn(N3, 50), s.PickNext(Set(N1, N3)));
        s.Charge(N3, 20, 1); // 30 of 50: n3 ran out, and yields

        Assert.Equal(N1, s.PickNext(Set(N1, N3))!.Value.Domain);
        s.Charge(N1, 40, 1); // n1's whole budget: the wait ends
        Assert.Equal(N3, s.PickNext(Set(N1, N3))!.Value.Domain);
        s.Charge(N3, 20, 1);

        // Work-conserving: alone, a sender that yielded is served at once.
        Assert.Equal(N3, s.PickNext(Set(N3))!.Value.Domain);
    }

    [Fact]
    public void ANetworkOfferingWithinItsGuaranteeIsServedBeforeTheOthers()
    {
        var s = Make();
        // Rated 1.6 M byte-equivalents a second: n1 is guaranteed 1 M, n3 100 k, each bucket 5 ms of it (5000, 500).
        s.SetRatedCapacity(1_600_000, ticksPerSecond: 1000);
        s.Charge(N3, 1000, 0); // n3 spent all its tokens: by tokens alone n1 would go first
        Assert.Equal(N1, s.PickNext(Set(N1, N3), now: 0)!.Value.Domain);
        s.Charge(N1, 40, 1);

        s.Offer(0, 100_000, 1000); // n1 floods: far beyond its guarantee
        s.Offer(2, 40, 1);          // n3 offers one packet: within its guarantee
        Assert.Equal(new Turn(N3, 50), s.PickNext(Set(N1, N3), now: 1));
        s.Charge(N3, 40, 1);

        // A millisecond later n1's bucket has refilled only a fifth of the way and n3 still conforms; without a rated
        // capacity the tokens alone decide again, and n3, in debt, goes after n1.
        s.Offer(2, 40, 1);
        Assert.Equal(N3, s.PickNext(Set(N1, N3), now: 2)!.Value.Domain);
        s.Charge(N3, 40, 1);
        s.SetRatedCapacity(null, ticksPerSecond: 1000);
        Assert.Equal(N1, s.PickNext(Set(N1, N3), now: 3)!.Value.Domain);
    }

    [Fact]
    public void ChargeIsBytesPlusPerPacketCost_4_2()
    {
        var s = Make();
        s.Charge(N1, bytes: 200, packets: 3);
        s.Charge(N3, bytes: 40, packets: 1);
        Assert.Equal([770, 500, 50], Balances(s));
        Assert.Equal(0, s.Redistributions);
    }

    [Fact]
    public void NetworkWithTokensGetsItsTurnBeforeABorrower_4_2()
    {
        var s = Make();
        s.Charge(N1, 1100, 0);
        Assert.Equal(new Turn(N3, 50), s.PickNext(Set(N1, N3)));
        s.Charge(N3, 40, 1);
        Assert.Equal(new Turn(N3, 50), s.PickNext(Set(N1, N3)));
    }

    [Fact]
    public void BusyNetworkGoesNegativeWhileOthersIdle_4_3()
    {
        var s = Make();
        s.Charge(N1, 1190, 1);
        Assert.Equal([-200, 500, 100], Balances(s));
        Assert.Equal(new Turn(N1, 50), s.PickNext(Set(N1)));
        Assert.Equal(0, s.Redistributions);
    }

    [Fact]
    public void RemainingLessNegativeReachingZeroRedistributes_4_4()
    {
        var s = Make();
        s.Charge(N1, 1200, 0);
        s.Charge(N1, 399, 0);
        Assert.Equal([-599, 500, 100], Balances(s));
        Assert.Equal(0, s.Redistributions);
        s.Charge(N1, 0, 1);
        Assert.Equal(1, s.Redistributions);
        // -609 + 1000, 500 + 500 (at the hoard clamp 2 x 500), 100 + 100.
        Assert.Equal([391, 1000, 200], Balances(s));
    }

    [Fact]
    public void ResetRuleForgetsDebtAndSurplus_4_4()
    {
        var s = Make(policy: Policy with { Redistribution = RedistributionRule.ResetToBase });
        s.Charge(N1, 1600, 0);
        Assert.Equal(1, s.Redistributions);
        Assert.Equal([1000, 500, 100], Balances(s));
    }

    [Fact]
    public void ExplicitRedistributeAddsBase()
    {
        var s = Make();
        s.Charge(N2, 300, 0);
        s.Redistribute();
        Assert.Equal([2000, 700, 200], Balances(s));
    }

    [Fact]
    public void RelativePrioritySpendsFirstThenYields_4_5()
    {
        var s = Make(PriorityKind.Relative);
        var all = Set(N1, N2, N3);
        Assert.Equal(N3, s.PickNext(all)!.Value.Domain);
        s.Charge(N3, 40, 1);
        Assert.Equal(N3, s.PickNext(all)!.Value.Domain);
        s.Charge(N3, 40, 1);
        Assert.Equal(0, s.NetworkBalance(2));
        // Out of tokens: the others recoup their base share; n1 and n2 tie when full, the lower index first.
        Assert.Equal(N1, s.PickNext(all)!.Value.Domain);
        s.Charge(N1, 90, 1);
        Assert.Equal(N2, s.PickNext(all)!.Value.Domain);
    }

    [Fact]
    public void AccentuatedPriorityTakesExcessFirst_4_6()
    {
        foreach (var (kind, expected) in new[] { (PriorityKind.Accentuated, N3), (PriorityKind.Relative, N1), (PriorityKind.None, N1) })
        {
            var s = Make(kind);
            s.Charge(N1, 1050, 0);
            s.Charge(N3, 150, 0);
            Assert.Equal([-50, 500, -50], Balances(s));
            // n2 idle holds the excess; both borrowers are in debt: -50/1000 beats -50/100 unless n3 is accentuated.
            Assert.Equal(expected, s.PickNext(Set(N1, N3))!.Value.Domain);
        }
    }

    [Fact]
    public void AccentuatedPriorityAlwaysHasATokenDownToItsFloor_4_6()
    {
        var s = Make(PriorityKind.Accentuated);
        s.Charge(N3, 150, 0);
        Assert.Equal(N3, s.PickNext(Set(N1, N3))!.Value.Domain);
        s.Charge(N3, 140, 1);
        Assert.Equal([1000, 500, -200], Balances(s));
        // At its floor it yields to networks with tokens, and still goes first among borrowers.
        Assert.Equal(N1, s.PickNext(Set(N1, N3))!.Value.Domain);
        s.Charge(N1, 1100, 0);
        Assert.Equal(N3, s.PickNext(Set(N1, N3))!.Value.Domain);
    }

    [Fact]
    public void DebtIsClampedAtTwiceTheAllocation_4_7()
    {
        var s = Make(first: 1, second: 10);
        s.Charge(N1, 500, 0);
        Assert.Equal([-200, 1000, 100], Balances(s));
        s.Charge(N1, 10_000, 100);
        Assert.Equal(-200, s.NetworkBalance(0));
    }

    [Fact]
    public void HoardIsClampedAtTwiceTheAllocation_4_7()
    {
        var s = Make(first: 10, second: 1);
        s.Charge(N1, 1200, 0);
        Assert.Equal([800, 200, 200], Balances(s));
        s.Charge(N1, 1200, 0);
        Assert.Equal([600, 200, 200], Balances(s));
        Assert.Equal(2, s.Redistributions);
    }

    [Fact]
    public void ContendersAllAtTheirDebtFloorStartANewRound_4_7()
    {
        var s = Make(first: 1, second: 10);
        s.Charge(N1, 500, 0);
        Assert.Equal(new Turn(N1, 50), s.PickNext(Set(N1)));
        Assert.Equal(1, s.Redistributions);
        Assert.Equal([-100, 2000, 200], Balances(s));
    }

    [Fact]
    public void BudgetIsCutToTheRemainingTokens()
    {
        var s = Make();
        s.Charge(N3, 60, 0);
        Assert.Equal(new Turn(N3, 40), s.PickNext(Set(N3)));
    }

    [Fact]
    public void DomainBorrowsIdleSiblingShareWithinItsNetwork()
    {
        var s = new TokenScheduler(Policy, [new NetworkShare("a", 1, PriorityKind.None, [new("a1", 1), new("a2", 1)]), NetworkShare.Single("b", 1)]);
        DomainId a1 = new(0, 0), a2 = new(0, 1), b = new(1, 0);
        s.Charge(a1, 150, 0);
        Assert.Equal(-50, s.DomainBalance(a1));
        Assert.Equal(-50, s.NetworkBalance(0));
        // The network still has the sibling's tokens to lend, but b with tokens goes first.
        Assert.Equal(b, s.PickNext(Set(a1, b))!.Value.Domain);
        Assert.Equal(a1, s.PickNext(Set(a1))!.Value.Domain);
    }

    [Fact]
    public void NothingBackloggedPicksNothing()
    {
        Assert.Null(Make().PickNext(Set()));
    }

    [Fact]
    public void ClampsHoldUnderAdversarialCharges()
    {
        var s = Make(PriorityKind.Accentuated);
        var random = new Random(7);
        DomainId[] ids = [N1, N2, N3];
        for (int step = 0; step < 20_000; step++)
        {
            var set = ids.Where(_ => random.Next(3) > 0).ToHashSet();
            if (s.PickNext(set) is not { } turn) continue;
            // Adversary: sometimes charges far beyond its budget, sometimes nothing.
            long bytes = random.Next(4) switch { 0 => 0, 1 => turn.Budget, 2 => 50_000, _ => random.Next(5_000) };
            s.Charge(turn.Domain, bytes, random.Next(3));
            for (int n = 0; n < 3; n++)
            {
                long allocation = s.NetworkAllocation(n);
                Assert.InRange(s.NetworkBalance(n), -2 * allocation, 2 * allocation);
            }
        }
    }

    [Fact]
    public void InvalidConfigurationIsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Make(policy: Policy with { HoardClamp = 0.5 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Make(first: 0));
        Assert.Throws<ArgumentException>(() => new TokenScheduler(Policy, [new NetworkShare("x", 1, PriorityKind.None, [])]));
    }

    [Fact]
    public void Picking_and_charging_allocate_nothing_in_steady_state()
    {
        var s = new TokenScheduler(Policy, [new NetworkShare("a", 10, PriorityKind.Relative, [new("a1", 3), new("a2", 1)]), NetworkShare.Single("b", 5), NetworkShare.Single("c", 1)]);
        var backlogged = new HashSet<DomainId> { new(0, 0), new(0, 1), new(1, 0), new(2, 0) };
        void Round()
        {
            for (var i = 0; i < 10_000; i++)
            {
                var turn = s.PickNext(backlogged)!.Value;
                s.Charge(turn.Domain, 64 + i % 1400, 1);
            }
        }
        Round();

        var before = GC.GetAllocatedBytesForCurrentThread();
        Round();

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(s.Redistributions > 0);
    }
}
