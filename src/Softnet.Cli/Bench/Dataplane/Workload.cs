namespace Softnet.Cli.Bench.Dataplane;

/// <summary>
/// One benchmark of <c>bench dataplane</c>: what it builds (<see cref="Prepare"/>), how many packets a measured run
/// pushes, and the figure it is held to. Setting up is not measured.
/// </summary>
internal abstract class Workload(string key, string summary, long packetsPerRun, Target? target)
{
    /// <summary>The workload's name in the JSON results and in <c>--only</c>.</summary>
    public string Key => key;

    /// <summary>What is measured, in one line.</summary>
    public string Summary => summary;

    /// <summary>Packets (for lookups: lookups) per measured run, sized for about a second at the target rate.</summary>
    public long PacketsPerRun => packetsPerRun;

    public Target? Target => target;

    /// <summary>True when the workload is built from the real routing table (<see cref="BenchTables"/>).</summary>
    public virtual bool NeedsRoutingData => false;

    public abstract Trial Prepare(BenchTables tables);
}

/// <summary>The rate a workload should reach on one core, and the most memory its forwarding table may take.</summary>
internal sealed record Target(double Mpps, long? MaxFibBytes = null)
{
    public bool IsMetBy(double mpps, long? fibBytes) => mpps >= Mpps && (MaxFibBytes is not { } max || fibBytes is { } bytes && bytes <= max);

    public override string ToString() =>
        MaxFibBytes is { } max ? $">= {Mpps:0.#} M/s, FIB <= {max / (1024 * 1024)} MiB" : $">= {Mpps:0.#} M/s";
}
