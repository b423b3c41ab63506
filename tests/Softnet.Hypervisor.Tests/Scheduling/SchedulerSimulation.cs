using Softnet.Hypervisor.Scheduling;

namespace Softnet.Hypervisor.Tests.Scheduling;

/// <summary>When a source's packets arrive, in virtual nanoseconds, and how large they are.</summary>
public abstract record Arrivals(int PacketBytes)
{
    public abstract IEnumerable<long> Times(long horizonNs);

    /// <summary>One packet every <paramref name="IntervalNs"/>, the first at <paramref name="OffsetNs"/> (also used for floods).</summary>
    public sealed record Constant(long IntervalNs, int Bytes, long OffsetNs = 0) : Arrivals(Bytes)
    {
        public override IEnumerable<long> Times(long horizonNs)
        {
            for (long t = OffsetNs; t < horizonNs; t += IntervalNs) yield return t;
        }
    }

    /// <summary><paramref name="Burst"/> back-to-back packets every <paramref name="PeriodNs"/>.</summary>
    public sealed record Bursty(long PeriodNs, int Burst, int Bytes, long OffsetNs = 0) : Arrivals(Bytes)
    {
        public override IEnumerable<long> Times(long horizonNs)
        {
            for (long t = OffsetNs; t < horizonNs; t += PeriodNs)
                for (int i = 0; i < Burst; i++) yield return t;
        }
    }

    public sealed record Idle() : Arrivals(0)
    {
        public override IEnumerable<long> Times(long horizonNs) => [];
    }
}

/// <summary>A traffic source feeding one domain's queue.</summary>
public sealed record Source(DomainId Domain, Arrivals Arrivals);

/// <summary>What one network got: work (byte-equivalents) per window, packet sojourn times, drops.</summary>
public sealed record NetworkOutcome(long[] WorkPerWindow, long[] LatenciesNs, long Drops)
{
    public long Work => WorkPerWindow.Sum();

    /// <summary>Nearest-rank percentile of the sojourn times (arrival to end of service).</summary>
    public long PercentileNs(double p)
    {
        if (LatenciesNs.Length == 0) return 0;
        long[] sorted = [.. LatenciesNs.Order()];
        int rank = (int)Math.Ceiling(p / 100 * sorted.Length);
        return sorted[Math.Max(rank, 1) - 1];
    }
}

public sealed record SimulationOutcome(IReadOnlyList<NetworkOutcome> Networks, IReadOnlyDictionary<DomainId, long> DomainWork, long BusyNs, long HorizonNs, int Turns, int Redistributions);

/// <summary>
/// Discrete-event model of one worker core driven by a <see cref="TokenScheduler"/>. The server
/// takes (bytes + per-packet cost) x <see cref="NsPerByteEquivalent"/> ns per packet, so its
/// capacity is 1e9 / NsPerByteEquivalent byte-equivalents per second and tokens charge exactly
/// the time used. Each turn serves packets of the picked domain back to back while budget is left
/// (so the last may overrun it), as the hypervisor's domains do, then charges them. Queues hold <see cref="QueueLimit"/> packets; excess
/// arrivals are tail-dropped. Entirely virtual time: deterministic.
/// </summary>
public sealed record SchedulerSimulation(TokenPolicy Policy, IReadOnlyList<NetworkShare> Networks, long NsPerByteEquivalent = 100, int QueueLimit = 1024, long WindowNs = 100_000_000)
{
    /// <summary>The core's speed at a virtual instant, as a fraction of its nominal capacity (1 when null): a machine that slows down.</summary>
    public Func<long, double>? Speed { get; init; }

    /// <summary>Virtual nanoseconds every turn costs besides its packets (the poll, the pick, the device's graph).</summary>
    public long TurnCostNs { get; init; }

    /// <summary>The node's rated capacity (byte-equivalents a second) for <see cref="TokenScheduler.SetRatedCapacity"/>; null for none.</summary>
    public double? RatedCapacity { get; init; }

    public double CapacityPerSecond => 1e9 / NsPerByteEquivalent;

    /// <summary>Byte-equivalents per second guaranteed to network <paramref name="network"/> by its base tokens.</summary>
    public double Guarantee(int network) => CapacityPerSecond * Networks[network].BaseTokens / Networks.Sum(n => n.BaseTokens);

    public SimulationOutcome Run(IReadOnlyList<Source> sources, long horizonNs)
    {
        var scheduler = new TokenScheduler(Policy, Networks);
        scheduler.SetRatedCapacity(RatedCapacity, 1_000_000_000);
        var arrivals = sources
            .SelectMany((s, i) => s.Arrivals.Times(horizonNs).Select(t => (Time: t, Source: i)))
            .OrderBy(a => a.Time).ThenBy(a => a.Source)
            .ToArray();
        var queues = new Dictionary<DomainId, Queue<(long Arrival, int Bytes)>>();
        var backlogged = new HashSet<DomainId>();
        int windows = (int)((horizonNs + WindowNs - 1) / WindowNs);
        var work = Networks.Select(_ => new long[windows]).ToArray();
        var latencies = Networks.Select(_ => new List<long>()).ToArray();
        var drops = new long[Networks.Count];
        var domainWork = new SortedDictionary<DomainId, long>(Comparer<DomainId>.Create((a, b) => (a.Network, a.Domain).CompareTo((b.Network, b.Domain))));
        long now = 0, busy = 0;
        int next = 0, turns = 0;

        while (now < horizonNs)
        {
            for (; next < arrivals.Length && arrivals[next].Time <= now; next++)
            {
                Source s = sources[arrivals[next].Source];
                scheduler.Offer(s.Domain.Network, s.Arrivals.PacketBytes, 1);
                if (!queues.TryGetValue(s.Domain, out var q)) queues[s.Domain] = q = new();
                if (q.Count >= QueueLimit) { drops[s.Domain.Network]++; continue; }
                q.Enqueue((arrivals[next].Time, s.Arrivals.PacketBytes));
                backlogged.Add(s.Domain);
            }
            if (backlogged.Count == 0)
            {
                if (next == arrivals.Length) break;
                now = arrivals[next].Time;
                continue;
            }

            Turn turn = scheduler.PickNext(backlogged, now) ?? throw new InvalidOperationException("backlog without a turn");
            var queue = queues[turn.Domain];
            long spent = 0, bytes = 0, packets = 0;
            now += TurnCostNs;
            busy += TurnCostNs;
            do
            {
                var (arrival, size) = queue.Dequeue();
                long cost = Policy.Cost(size, 1);
                long start = now;
                now += Speed is null ? cost * NsPerByteEquivalent : (long)Math.Ceiling(cost * NsPerByteEquivalent / Speed(now));
                busy += Math.Min(now, horizonNs) - start;
                spent += cost;
                bytes += size;
                packets++;
                if (now <= horizonNs)
                {
                    work[turn.Domain.Network][(now - 1) / WindowNs] += cost;
                    latencies[turn.Domain.Network].Add(now - arrival);
                    domainWork[turn.Domain] = domainWork.GetValueOrDefault(turn.Domain) + cost;
                }
            }
            while (queue.Count > 0 && spent < turn.Budget);
            scheduler.Charge(turn.Domain, bytes, packets);
            if (queue.Count == 0) backlogged.Remove(turn.Domain);
            turns++;
        }

        var outcomes = Networks.Select((_, n) => new NetworkOutcome(work[n], [.. latencies[n]], drops[n])).ToArray();
        return new SimulationOutcome(outcomes, domainWork, busy, horizonNs, turns, scheduler.Redistributions);
    }
}
