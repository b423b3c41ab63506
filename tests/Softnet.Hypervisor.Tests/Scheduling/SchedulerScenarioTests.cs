using Softnet.Hypervisor.Scheduling;
using Xunit.Abstractions;

namespace Softnet.Hypervisor.Tests.Scheduling;

/// <summary>
/// The isolation promises of SPEC 4 measured in virtual time: networks of 10, 5 and 1 base tokens on
/// one core of 10^7 byte-equivalents per second (100 ns each), 2 s of traffic, 100 ms windows.
/// </summary>
public sealed class SchedulerScenarioTests(ITestOutputHelper output)
{
    private const long Horizon = 2_000_000_000;
    private const int Mtu = 1000, Small = 64;

    private static readonly DomainId N1 = new(0, 0), N2 = new(1, 0), N3 = new(2, 0);

    private static SchedulerSimulation Sim(PriorityKind third = PriorityKind.None) => new(
        TokenPolicy.Default,
        [NetworkShare.Single("n1", 10), NetworkShare.Single("n2", 5), NetworkShare.Single("n3", 1, third)]);

    /// <summary>Packets of <paramref name="bytes"/> offered at <paramref name="rate"/> byte-equivalents per second.</summary>
    private static Arrivals.Constant AtRate(SchedulerSimulation sim, double rate, int bytes, long offsetNs = 0) =>
        new((long)Math.Round(sim.Policy.Cost(bytes, 1) * 1e9 / rate), bytes, offsetNs);

    [Theory]
    [InlineData(PriorityKind.None)]
    [InlineData(PriorityKind.Relative)]
    [InlineData(PriorityKind.Accentuated)]
    public void AllBusyShareByWeight(PriorityKind third)
    {
        var sim = Sim(third);
        var flood = AtRate(sim, 2 * sim.CapacityPerSecond, Mtu);
        var result = sim.Run([new(N1, flood), new(N2, flood), new(N3, flood)], Horizon);

        double total = result.Networks.Sum(n => n.Work);
        double[] weights = [10, 5, 1];
        double[] normalised = [.. result.Networks.Select((n, i) => n.Work / weights[i])];
        double jain = normalised.Sum() * normalised.Sum() / (normalised.Length * normalised.Sum(x => x * x));
        double maxError = result.Networks.Select((n, i) => Math.Abs(n.Work / total - weights[i] / 16)).Max();
        output.WriteLine($"all busy, n3 {third}: shares {string.Join(" ", result.Networks.Select(n => (n.Work / total).ToString("P3")))} jain {jain:F6} max error {maxError:P3} busy {(double)result.BusyNs / Horizon:P2}");

        Assert.True(jain >= 0.99, $"Jain {jain}");
        Assert.True(maxError <= 0.02, $"share error {maxError}");
        Assert.Equal(Horizon, result.BusyNs);
    }

    [Fact]
    public void FloodDoesNotHurtWellBehavedNetworks()
    {
        var sim = Sim();
        var flood = AtRate(sim, 10 * sim.Guarantee(0), Small);
        var second = AtRate(sim, sim.Guarantee(1), Mtu);
        var third = AtRate(sim, sim.Guarantee(2), Mtu, offsetNs: second.IntervalNs / 2);
        var result = sim.Run([new(N1, flood), new(N2, second), new(N3, third)], Horizon);
        long[] alone =
        [
            0,
            sim.Run([new(N2, second)], Horizon).Networks[1].PercentileNs(99),
            sim.Run([new(N3, third)], Horizon).Networks[2].PercentileNs(99),
        ];

        for (int n = 1; n <= 2; n++)
        {
            var outcome = result.Networks[n];
            double perWindow = sim.Guarantee(n) * sim.WindowNs / 1e9;
            double worst = outcome.WorkPerWindow.Min() / perWindow;
            long p99 = outcome.PercentileNs(99);
            output.WriteLine($"flood: n{n + 1} worst window {worst:P2} of guarantee, p99 {p99} ns vs {alone[n]} ns alone ({(double)p99 / alone[n]:F3}x), drops {outcome.Drops}");
            Assert.True(worst >= 0.95, $"n{n + 1} window {worst}");
            Assert.True(p99 <= 1.5 * alone[n], $"n{n + 1} p99 {p99} vs {alone[n]}");
            Assert.Equal(0, outcome.Drops);
        }
        output.WriteLine($"flood: n1 share {(double)result.Networks[0].Work / (Horizon / sim.NsPerByteEquivalent):P2}, drops {result.Networks[0].Drops}");
    }

    /// <summary>
    /// A machine is not a constant: this VM's capacity varies by 5-10 % between 100 ms windows and dips by about
    /// 12 % every half second. Here, at the hypervisor's own scale (its policy, a core of 10^9 byte-equivalents per
    /// second), a 40 ms dip to 88 % every 500 ms and +-5 % noise every 10 ms, while n1 floods and n2 and n3 are
    /// offered their guarantee on a node rated at 90 % of its nominal capacity. The well-behaved networks bank the
    /// tokens they leave while the machine is fast (SPEC 4.3, 4.7) and spend them in the dips, ahead of the flood:
    /// every window keeps its guarantee and a packet waits at most about one turn of the flood. With the old hoard
    /// clamp of 2 allocations (0.35 ms of rounds) the same run leaves queues of a millisecond after every dip.
    /// </summary>
    [Fact]
    public void FloodOnASlowingMachineKeepsGuaranteesAndLatency()
    {
        const double Rated = 0.9;
        var policy = new Softnet.Hypervisor.Runtime.HypervisorOptions().Policy;
        var noise = new Random(7);
        var speedPer10Ms = Enumerable.Range(0, (int)(Horizon / 10_000_000) + 1).Select(_ => 1 + (noise.NextDouble() - 0.5) * 0.1).ToArray();
        var sim = new SchedulerSimulation(policy, [NetworkShare.Single("n1", 10), NetworkShare.Single("n2", 5), NetworkShare.Single("n3", 1)], NsPerByteEquivalent: 1)
        {
            Speed = t => ((t + 250_000_000) % 500_000_000 < 40_000_000 ? 0.88 : 1.0) * speedPer10Ms[t / 10_000_000],
        };
        double[] guarantee = [.. Enumerable.Range(0, 3).Select(n => Rated * sim.Guarantee(n))];
        var second = AtRate(sim, guarantee[1], Mtu);
        var third = AtRate(sim, guarantee[2], Mtu, offsetNs: second.IntervalNs / 3);
        var result = sim.Run([new(N1, AtRate(sim, 2 * sim.Guarantee(0), Mtu)), new(N2, second), new(N3, third)], Horizon);

        long turn = policy.Quantum * sim.NsPerByteEquivalent;
        for (int n = 1; n <= 2; n++)
        {
            var outcome = result.Networks[n];
            double worst = outcome.WorkPerWindow.Min() / (guarantee[n] * sim.WindowNs / 1e9);
            long p99 = outcome.PercentileNs(99), service = policy.Cost(Mtu, 1) * sim.NsPerByteEquivalent;
            output.WriteLine($"slowing machine: n{n + 1} worst window {worst:P2} of guarantee, p99 {p99} ns (service {service} ns, a flood turn {turn} ns), drops {outcome.Drops}");
            Assert.True(worst >= 0.95, $"n{n + 1} window {worst}");
            Assert.True(p99 <= 2 * turn + service, $"n{n + 1} p99 {p99} ns");
            Assert.Equal(0, outcome.Drops);
        }
    }

    /// <summary>
    /// The same slowing machine with what a real node adds: 60-byte frames and a fixed cost of 500 ns per turn (the
    /// poll, the pick, the device's graph), and the node rated at 90 % of its capacity. Light senders served at every
    /// packet would turn all spare capacity into turn costs and end at rho = 1 with full queues; instead they yield
    /// one turn after each turn that emptied them, and, offering within their guarantee, they are served before the
    /// flood, which absorbs the dips.
    /// </summary>
    [Fact]
    public void FloodWithTurnCostsOnASlowingMachineKeepsGuaranteesAndLatency()
    {
        const double Rated = 0.9;
        const int Frame = 60;
        var policy = new Softnet.Hypervisor.Runtime.HypervisorOptions().Policy;
        var noise = new Random(7);
        var speedPer10Ms = Enumerable.Range(0, (int)(Horizon / 10_000_000) + 1).Select(_ => 1 + (noise.NextDouble() - 0.5) * 0.1).ToArray();
        var sim = new SchedulerSimulation(policy, [NetworkShare.Single("n1", 10), NetworkShare.Single("n2", 5), NetworkShare.Single("n3", 1)], NsPerByteEquivalent: 1)
        {
            Speed = t => ((t + 250_000_000) % 500_000_000 < 40_000_000 ? 0.88 : 1.0) * speedPer10Ms[t / 10_000_000],
            TurnCostNs = 500,
            RatedCapacity = Rated * 1e9,
        };
        double[] guarantee = [.. Enumerable.Range(0, 3).Select(n => Rated * sim.Guarantee(n))];
        var second = AtRate(sim, guarantee[1], Frame);
        var third = AtRate(sim, guarantee[2], Frame, offsetNs: second.IntervalNs / 3);
        var result = sim.Run([new(N1, AtRate(sim, 2 * sim.Guarantee(0), Frame)), new(N2, second), new(N3, third)], Horizon);

        for (int n = 1; n <= 2; n++)
        {
            var outcome = result.Networks[n];
            double worst = outcome.WorkPerWindow.Min() / (guarantee[n] * sim.WindowNs / 1e9);
            long p99 = outcome.PercentileNs(99);
            output.WriteLine($"turn costs, slowing machine: n{n + 1} worst window {worst:P2} of guarantee, p99 {p99} ns, drops {outcome.Drops}; n1 {(double)result.Networks[0].Work / Horizon:P2}");
            Assert.True(worst >= 0.95, $"n{n + 1} window {worst}");
            Assert.True(p99 <= 50_000, $"n{n + 1} p99 {p99} ns");
            Assert.Equal(0, outcome.Drops);
        }
    }

    [Fact]
    public void IdleCapacityIsNotWasted()
    {
        var sim = Sim();
        var flood = AtRate(sim, 2 * sim.CapacityPerSecond, Mtu);
        var result = sim.Run([new(N1, flood), new(N2, new Arrivals.Idle()), new(N3, flood)], Horizon);

        double utilisation = (double)result.Networks.Sum(n => n.Work) / (Horizon / sim.NsPerByteEquivalent);
        double ratio = (double)result.Networks[0].Work / result.Networks[2].Work;
        output.WriteLine($"n2 idle: utilisation {utilisation:P2}, n1/n3 {ratio:F3}, redistributions {result.Redistributions}");
        Assert.True(utilisation >= 0.95, $"utilisation {utilisation}");
        Assert.InRange(ratio, 9.5, 10.5);
    }

    [Fact]
    public void PriorityNetworkGetsLowLatency()
    {
        long p99(PriorityKind kind)
        {
            var sim = Sim(kind);
            var flood = AtRate(sim, 2 * sim.CapacityPerSecond, Mtu);
            var bursts = new Arrivals.Bursty(PeriodNs: 25_000_000, Burst: 14, Mtu, OffsetNs: 1_234_567);
            return sim.Run([new(N1, flood), new(N2, flood), new(N3, bursts)], Horizon).Networks[2].PercentileNs(99);
        }
        long none = p99(PriorityKind.None), relative = p99(PriorityKind.Relative), accentuated = p99(PriorityKind.Accentuated);
        output.WriteLine($"priority: n3 p99 none {none} ns, relative {relative} ns, accentuated {accentuated} ns");

        // Bursts of 14 spend 95% of n3's guarantee. Without priority the burst is interleaved with the
        // floods by balance; relative priority serves it back to back while n3 has tokens; accentuated
        // priority always: one flood packet in service, then the burst.
        long bound = 15 * TokenPolicy.Default.Cost(Mtu, 1) * 100;
        Assert.InRange(accentuated, 0, bound);
        Assert.True(relative < none, $"{relative} vs {none}");
        Assert.True(accentuated <= relative, $"{accentuated} vs {relative}");
    }

    [Fact]
    public void OneTokenNetworkIsNeverStarved()
    {
        var sim = new SchedulerSimulation(TokenPolicy.Default, [NetworkShare.Single("big", 100), NetworkShare.Single("mid", 50), NetworkShare.Single("tiny", 1)]);
        var flood = AtRate(sim, 2 * sim.CapacityPerSecond, Mtu);
        var small = AtRate(sim, 2 * sim.CapacityPerSecond, Small);
        var result = sim.Run([new(N1, small), new(N2, flood), new(N3, flood)], Horizon);

        double perWindow = sim.Guarantee(2) * sim.WindowNs / 1e9;
        double worst = result.Networks[2].WorkPerWindow.Min() / perWindow;
        output.WriteLine($"1 of 151 tokens: worst window {worst:P2} of guarantee");
        Assert.True(worst >= 0.9, $"worst window {worst}");
    }

    [Fact]
    public void DomainShareGrowsUnderBacklogAndShrinksWhenSiblingIsBusy()
    {
        var sim = new SchedulerSimulation(TokenPolicy.Default,
            [new NetworkShare("a", 8, PriorityKind.None, [new("a1", 1), new("a2", 1)]), NetworkShare.Single("b", 8)]);
        DomainId a1 = new(0, 0), a2 = new(0, 1), b = new(1, 0);
        var flood = AtRate(sim, 2 * sim.CapacityPerSecond, Mtu);
        double total = Horizon / sim.NsPerByteEquivalent;

        var alone = sim.Run([new(a1, flood), new(a2, new Arrivals.Idle()), new(b, flood)], Horizon);
        var shared = sim.Run([new(a1, flood), new(a2, flood), new(b, flood)], Horizon);
        double grown = alone.DomainWork[a1] / total, halved = shared.DomainWork[a1] / total;
        output.WriteLine($"elasticity: a1 alone {grown:P2}, a1 beside a2 {halved:P2}, a2 {shared.DomainWork[a2] / total:P2}");

        Assert.InRange(grown, 0.48, 0.52);
        Assert.InRange(halved, 0.23, 0.27);
        Assert.InRange(shared.DomainWork[a2] / total, 0.23, 0.27);
    }

    [Fact]
    public void SameInputsGiveIdenticalOutputs()
    {
        SimulationOutcome Once()
        {
            var sim = Sim(PriorityKind.Accentuated);
            var sources = new Source[]
            {
                new(N1, AtRate(sim, 5 * sim.CapacityPerSecond, Small)),
                new(N2, new Arrivals.Bursty(3_000_000, 40, Mtu, 17)),
                new(N3, AtRate(sim, sim.Guarantee(2), 500, 999)),
            };
            return sim.Run(sources, Horizon / 4);
        }
        var first = Once();
        var second = Once();
        Assert.Equal(first.Turns, second.Turns);
        Assert.Equal(first.Redistributions, second.Redistributions);
        Assert.Equal(first.BusyNs, second.BusyNs);
        Assert.Equal(first.DomainWork, second.DomainWork);
        for (int n = 0; n < 3; n++)
        {
            Assert.Equal(first.Networks[n].WorkPerWindow, second.Networks[n].WorkPerWindow);
            Assert.Equal(first.Networks[n].LatenciesNs, second.Networks[n].LatenciesNs);
            Assert.Equal(first.Networks[n].Drops, second.Networks[n].Drops);
        }
    }
}
