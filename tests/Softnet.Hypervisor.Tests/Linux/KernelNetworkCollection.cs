namespace Softnet.Hypervisor.Tests.Linux;

/// <summary>
/// Tests that create namespaces and links run one at a time and apart from every other test of this assembly:
/// <c>NodeCleanup.Sweep</c> removes every Softnet namespace on the node, and the two cores are better spent on one
/// iperf3 at a time.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class KernelNetworkCollection
{
    public const string Name = "Kernel network";
}
