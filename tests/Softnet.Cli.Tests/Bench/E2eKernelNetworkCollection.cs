namespace Softnet.Cli.Tests.Bench;

/// <summary>
/// Tests that create namespaces run one at a time and apart from every other test of this assembly: the two cores
/// are better spent on one iperf3 at a time, and a timing-sensitive neighbour would only slow them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class E2eKernelNetworkCollection
{
    public const string Name = "E2e kernel network";
}
