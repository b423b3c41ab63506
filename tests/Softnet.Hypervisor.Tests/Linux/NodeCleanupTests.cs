using Softnet.Hypervisor.Linux;
using Softnet.Hypervisor.Runtime;

namespace Softnet.Hypervisor.Tests.Linux;

[Collection(KernelNetworkCollection.Name)]
public sealed class NodeCleanupTests
{
    [Fact]
    public void SweepRefusesAPrefixThatIsNotSoftnets() =>
        Assert.Contains("does not start with sn-", Assert.Throws<ArgumentException>(() => NodeCleanup.Sweep("docker")).Message);

    [Fact]
    public void SweepRemovesLeftoverNamespacesAndRootLinks()
    {
        // Its own prefix: other test processes may have Softnet namespaces up at the same time.
        var prefix = $"{HostNames.NamespacePrefix}t{Random.Shared.Next(0x10000):x4}";
        var ns = $"{prefix}-left";
        var lonely = $"{prefix}-alone";
        var link = LinuxHostPorts.RootInterfaceName(ns);
        try
        {
            Ip.Run("netns", "add", ns);
            Ip.Run("netns", "add", lonely);
            Ip.Run("link", "add", link, "type", "veth", "peer", "name", "eth0", "netns", ns);
            Assert.True(NodeCleanup.Sweep(prefix) >= 3);
            Assert.False(File.Exists($"/run/netns/{ns}"));
            Assert.False(File.Exists($"/run/netns/{lonely}"));
            Assert.False(Directory.Exists($"/sys/class/net/{link}"));
            Assert.Equal(0, NodeCleanup.Sweep(prefix));
        }
        finally
        {
            if (Directory.Exists($"/sys/class/net/{link}")) Ip.Run("link", "del", link);
            if (File.Exists($"/run/netns/{ns}")) Ip.Run("netns", "del", ns);
            if (File.Exists($"/run/netns/{lonely}")) Ip.Run("netns", "del", lonely);
        }
    }
}
