using Softnet.DataPlane;
using Softnet.DataPlane.Fib;

namespace Softnet.Cli.Bench.Dataplane;

/// <summary>
/// Longest-prefix-match lookups alone, through the batch API a vector at a time (256 addresses, as ip4-lookup sees
/// them), cycling over a fixed set of destinations. Every destination is checked to have a route when set up.
/// </summary>
internal sealed class LookupTrial : Trial
{
    private readonly Ipv4Fib _fib;
    private readonly uint[] _addresses;
    private readonly ushort[] _results = new ushort[PacketBatch.MaxSize];
    private int _cursor;

    public LookupTrial(Ipv4Fib fib, uint[] addresses)
    {
        if (addresses.Length % PacketBatch.MaxSize != 0) throw new ArgumentException($"The destinations must fill whole vectors of {PacketBatch.MaxSize}.", nameof(addresses));
        _fib = fib;
        _addresses = addresses;
        var results = new ushort[addresses.Length];
        fib.Lookup(addresses, results);
        var missing = Array.IndexOf(results, NextHopId.NoRoute);
        if (missing >= 0) throw new BenchmarkFailure($"Destination {new Softnet.Wire.Ipv4Address(addresses[missing])} has no route.");
        AddFact("distinct_destinations", addresses.Length);
    }

    /// <summary>Performs <paramref name="lookups"/> lookups, in whole vectors.</summary>
    public override void Run(long lookups)
    {
        if (lookups % PacketBatch.MaxSize != 0) throw new ArgumentException($"Lookups are made {PacketBatch.MaxSize} at a time.", nameof(lookups));
        var fib = _fib;
        var addresses = _addresses;
        var results = _results;
        var cursor = _cursor;
        for (var vectors = lookups / PacketBatch.MaxSize; vectors > 0; vectors--)
        {
            fib.Lookup(addresses.AsSpan(cursor, PacketBatch.MaxSize), results);
            cursor += PacketBatch.MaxSize;
            if (cursor == addresses.Length) cursor = 0;
        }
        _cursor = cursor;
    }
}
