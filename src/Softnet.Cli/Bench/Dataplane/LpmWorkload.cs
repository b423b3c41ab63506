using Softnet.Cli.Bench.RoutingData;
using Softnet.DataPlane.Fib;

namespace Softnet.Cli.Bench.Dataplane;

/// <summary>IPv4 longest-prefix match alone: the full table in an <see cref="Ipv4Fib"/>, looked up a vector at a time.</summary>
internal sealed class LpmWorkload(string key, int distinctDestinations, long lookupsPerRun, Target? target)
    : Workload(key, "Ipv4Fib batch lookups on the augmented full table (~1.1M prefixes), random routed destinations", lookupsPerRun, target)
{
    public override bool NeedsRoutingData => true;

    public override Trial Prepare(BenchTables tables)
    {
        var table = tables.Ipv4Full;
        var fib = new Ipv4Fib(table);
        var destinations = new uint[distinctDestinations];
        DestinationGenerator.Fill(table, RoutingTables.DefaultSeed, destinations);
        var trial = new LookupTrial(fib, destinations);
        trial.AddFact("fib_bytes", fib.MemoryBytes);
        trial.AddFact("routes", fib.Count);
        return trial;
    }
}
