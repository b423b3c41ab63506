using BenchmarkDotNet.Attributes;
using Softnet.DataPlane.Fib;

namespace Softnet.Benchmarks;

/// <summary>IPv6 longest-prefix match (Poptrie), one lookup at a time and through the batch API, per lookup.</summary>
[MemoryDiagnoser]
public class Ipv6FibBenchmarks
{
    private const int Vector = VectorRig.VectorSize;

    private Ipv6Fib _fib = null!;
    private UInt128[] _destinations = null!;
    private readonly ushort[] _results = new ushort[Vector];
    private int _cursor;

    [Params(50, 250_000)]
    public int Routes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var routes = SyntheticTables.Ipv6(Routes, seed: 1);
        _fib = new Ipv6Fib(routes);
        _destinations = SyntheticTables.Destinations(routes, 1 << 20, seed: 2);
    }

    [Benchmark(OperationsPerInvoke = Vector)]
    public int Single()
    {
        var destinations = NextVector();
        var sum = 0;
        foreach (var destination in destinations) sum += _fib.Lookup(destination);
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Vector)]
    public ushort Batch()
    {
        _fib.Lookup(NextVector(), _results);
        return _results[0];
    }

    private ReadOnlySpan<UInt128> NextVector()
    {
        var vector = _destinations.AsSpan(_cursor, Vector);
        _cursor = (_cursor + Vector) % _destinations.Length;
        return vector;
    }
}
