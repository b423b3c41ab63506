namespace Softnet.Cli.Bench.Dataplane;

/// <summary>A workload set up and ready to measure: <see cref="Run"/> pushes a given number of packets through it.</summary>
internal abstract class Trial
{
    private readonly List<KeyValuePair<string, long>> _facts = [];

    /// <summary>What was built, for the report (such as <c>fib_bytes</c> or <c>routes</c>), in the order added.</summary>
    public IReadOnlyList<KeyValuePair<string, long>> Facts => _facts;

    /// <summary>Processes exactly <paramref name="packets"/> packets; throws <see cref="BenchmarkFailure"/> if any was not delivered.</summary>
    public abstract void Run(long packets);

    public void AddFact(string name, long value) => _facts.Add(new(name, value));
}

/// <summary>The workload did not do what it measures (packets were dropped, held or misrouted): its figures are worthless.</summary>
internal sealed class BenchmarkFailure(string message) : Exception(message);
