using System.Text.Json;
using Softnet.DataPlane;
using Softnet.Hypervisor.Linux;
using Softnet.Hypervisor.Topology;

namespace Softnet.Hypervisor.Tests.Linux;

[Collection(KernelNetworkCollection.Name)]
public sealed class LinuxHostPortsTests
{
    private static readonly HostSpec Host = TestNetwork.Host("h1", ["10.99.5.10/24", "fd00:99:5::10/64"], ["10.99.5.1", "fd00:99:5::1"]);

    [Theory]
    [InlineData(PhysicalPortKind.Tap)]
    [InlineData(PhysicalPortKind.AfPacket)]
    public void GivesEth0TheHostsAddressesAndDefaultRoutes(PhysicalPortKind kind)
    {
        using var network = new TestNetwork();
        var port = network.Attach(Host, kind, new PacketPool(4, 65_536 + 512));
        Assert.Equal(kind, port.Kind);
        using var link = JsonDocument.Parse(network.Exec("h1", "ip", "-j", "addr", "show", "dev", "eth0"));
        var eth0 = link.RootElement[0];
        Assert.Equal(1500, eth0.GetProperty("mtu").GetInt32());
        Assert.Contains("UP", eth0.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        var addresses = eth0.GetProperty("addr_info").EnumerateArray()
            .Select(a => $"{a.GetProperty("local").GetString()}/{a.GetProperty("prefixlen").GetInt32()}").ToList();
        Assert.Contains("10.99.5.10/24", addresses);
        Assert.Contains("fd00:99:5::10/64", addresses);
        Assert.StartsWith("default via 10.99.5.1 dev eth0", network.Exec("h1", "ip", "-4", "route", "show", "default"));
        Assert.StartsWith("default via fd00:99:5::1 dev eth0", network.Exec("h1", "ip", "-6", "route", "show", "default"));
        Assert.Contains("<LOOPBACK,UP,LOWER_UP>", network.Exec("h1", "ip", "link", "show", "lo"));
    }

    [Fact]
    public void NamesTheTapAfterItsNamespaceAndTheVethRootEndWithThePrefix()
    {
        using var network = new TestNetwork();
        var pool = new PacketPool(4, 65_536 + 512);
        var tap = network.Attach(Host, PhysicalPortKind.Tap, pool);
        var veth = network.Attach(TestNetwork.Host("h2", [], []), PhysicalPortKind.AfPacket, pool);
        Assert.Equal($"{network.Namespace("h1")}/eth0", tap.Name);
        Assert.Equal(LinuxHostPorts.RootInterfaceName(network.Namespace("h2")), veth.Name);
        Assert.Matches("^snv[0-9a-f]{12}$", veth.Name);
        Assert.Contains("veth", Ip.Run("-d", "link", "show", veth.Name));
        Assert.Contains("tx-checksumming: off", network.Exec("h2", "ethtool", "-k", "eth0"));
        Assert.Equal("1", File.ReadAllText($"/proc/sys/net/ipv6/conf/{veth.Name}/disable_ipv6").Trim());
    }

    [Fact]
    public void DetachRemovesTheNamespaceAndTheRootEnd()
    {
        var provider = new LinuxHostPorts();
        using var network = new TestNetwork();
        var host = TestNetwork.Host("h1", ["10.99.6.1/24"], []);
        var ns = network.Namespace("h1");
        try
        {
            using (provider.Attach(network.Network, host, PhysicalPortKind.AfPacket, new PacketPool(4)))
            {
                Assert.True(File.Exists($"/run/netns/{ns}"));
                Assert.True(Directory.Exists($"/sys/class/net/{LinuxHostPorts.RootInterfaceName(ns)}"));
            }
        }
        finally
        {
            provider.Detach(network.Network, host);
        }
        Assert.False(File.Exists($"/run/netns/{ns}"));
        Assert.False(Directory.Exists($"/sys/class/net/{LinuxHostPorts.RootInterfaceName(ns)}"));
    }

    [Fact]
    public void RefusesANamespaceThatExistsAlready()
    {
        using var network = new TestNetwork();
        var ns = network.Namespace("h1");
        Ip.Run("netns", "add", ns);
        try
        {
            var e = Assert.Throws<InvalidOperationException>(() => network.Attach(Host, PhysicalPortKind.Tap, new PacketPool(4, 65_536 + 512)));
            Assert.Contains($"Network namespace {ns} for host {network.Network.Name}/h1 exists already", e.Message);
            Assert.True(File.Exists($"/run/netns/{ns}"));
        }
        finally
        {
            Ip.Run("netns", "del", ns);
        }
    }

    [Fact]
    public void LeavesMemoryHostsToTheHypervisor()
    {
        using var network = new TestNetwork();
        var e = Assert.Throws<NotSupportedException>(() => network.Attach(Host, PhysicalPortKind.Memory, new PacketPool(4)));
        Assert.Contains("memory", e.Message);
        Assert.False(File.Exists($"/run/netns/{network.Namespace("h1")}"));
    }

    [Fact]
    public void IpNamesTheFailedCommandAndItsError()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Ip.Run("link", "show", "snv-no-such"));
        Assert.Contains("`ip link show snv-no-such` failed (exit code 1): Device \"snv-no-such\" does not exist.", e.Message);
    }
}
