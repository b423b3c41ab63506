using BenchmarkDotNet.Attributes;
using Softnet.DataPlane.Fib;

namespace Softnet.Benchmarks;

/// <summary>IPv4 longest-prefix match (DIR-24-8), one lookup at a time and through the batch API, per lookup.</summary>
[MemoryDiagnoser]
public class Ipv4FibBenchmarks
{
    private const int Vector = VectorRig.VectorSize;

    private Ipv4Fib _fib = null!;
    private uint[] _destinations = null!;
    private readonly ushort[] _results = new ushort[Vector];
    private int _cursor;

    [Params(50, 1_000_000)]
    public int Routes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var routes = SyntheticTables.Ipv4(Routes, seed: 1);
        _fib = new Ipv4Fib(routes);
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

    private ReadOnlySpan<uint> NextVector()
    {
        var vector = _destinations.AsSpan(_cursor, Vector);
        _cursor = (_cursor + Vector) % _destinations.Length;
        return vector;
    }
}
