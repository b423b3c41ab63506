using Softnet.DataPlane;
using Softnet.Hypervisor.Linux;
using Softnet.Hypervisor.Topology;

namespace Softnet.Hypervisor.Tests.Linux;

[Collection(KernelNetworkCollection.Name)]
public sealed class AfPacketPortTests
{
    [Fact]
    public void CarriesPingAndTcpBetweenTwoNamespacesInEthernetFrames()
    {
        var pool = new PacketPool(1024);
        using var network = new TestNetwork();
        var a = (AfPacketPort)network.Attach(TestNetwork.Host("a", ["10.99.3.1/24", "fd00:99:3::1/64"], []), PhysicalPortKind.AfPacket, pool);
        var b = (AfPacketPort)network.Attach(TestNetwork.Host("b", ["10.99.3.2/24", "fd00:99:3::2/64"], []), PhysicalPortKind.AfPacket, pool);
        long transferred;
        var bridge = new FrameBridge(pool, a, b);
        using (bridge)
        {
            Assert.Contains(" 3 received", network.Exec("a", "ping", "-c", "3", "-i", "0.2", "-W", "2", "10.99.3.2"));
            Assert.Contains(" 3 received", network.Exec("a", "ping", "-6", "-c", "3", "-i", "0.2", "-W", "2", "fd00:99:3::2"));
            transferred = Iperf.Transfer(network, "a", "b", "10.99.3.2", "-t", "1");
        }
        Assert.True(transferred > 0);
        Assert.True(bridge.LongestFrame is > 1400 and <= 1514, $"longest frame {bridge.LongestFrame}");
        Assert.Equal(0, bridge.SuperFrames);
        Assert.Equal(0, bridge.Refused);
        Assert.Equal(bridge.Frames, a.Counters.RxFrames + b.Counters.RxFrames);
        Assert.Equal(bridge.Frames, a.Counters.TxFrames + b.Counters.TxFrames);
        Assert.Equal(0, a.Counters.TxDropped + b.Counters.TxDropped);
        Assert.Equal(0, pool.InUse);
    }

    /// <summary>
    /// The receive path of the root end takes any VLAN tag out of the frame (skb_vlan_untag) before AF_PACKET sees it;
    /// the port must put it back byte for byte. The tagged frame is sent from inside the namespace by a second port.
    /// </summary>
    [Theory]
    [InlineData("8100")]
    [InlineData("88a8")]
    public void PutsBackTheVlanTagTheKernelTookOut(string tpid)
    {
        var pool = new PacketPool(64);
        using var network = new TestNetwork();
        var root = (AfPacketPort)network.Attach(TestNetwork.Host("a", [], []), PhysicalPortKind.AfPacket, pool);
        using var inside = InNamespace.Create(network.Namespace("a"), () => new AfPacketPort(pool, "eth0"));
        using var waiter = new ReadinessWaiter();
        waiter.Add(root.ReadinessFd);
        // Broadcast, from 02:00:00:00:99:01, tag with PCP 1 and VID 10, the local experimental EtherType 88b5, 46 bytes.
        var sent = Convert.FromHexString("ffffffffffff 020000009901".Replace(" ", "") + tpid + "200a88b5" + new string('5', 92));
        Assert.True(pool.TryAllocate(sent, out var handle));
        Assert.Equal(1, inside.Transmit(new ReadOnlySpan<int>(in handle)));

        var frames = new int[64];
        byte[]? received = null;
        for (var wait = 0; wait < 10 && received is null; wait++)
        {
            Assert.True(waiter.Wait(5_000));
            var count = root.Receive(frames);
            foreach (var frame in frames.AsSpan(0, count))
            {
                if (pool.Data(frame)[6..12].SequenceEqual(sent.AsSpan(6, 6))) received = pool.Data(frame).ToArray();
                pool.Free(frame);
            }
        }
        Assert.NotNull(received);
        Assert.Equal(Convert.ToHexStringLower(sent), Convert.ToHexStringLower(received));
    }

    [Fact]
    public void SignalsReadinessWhenTheKernelHandsOverABlock()
    {
        var pool = new PacketPool(64);
        using var network = new TestNetwork();
        var port = network.Attach(TestNetwork.Host("a", ["10.99.4.1/24"], []), PhysicalPortKind.AfPacket, pool);
        using var waiter = new ReadinessWaiter();
        waiter.Add(port.ReadinessFd);
        // Nobody answers: the namespace broadcasts ARP requests for 10.99.4.2 and ping gives up after a second.
        Assert.Throws<InvalidOperationException>(() => network.Exec("a", "ping", "-c", "1", "-W", "1", "10.99.4.2"));
        Assert.True(waiter.Wait(5_000));
        var frames = new int[64];
        var count = port.Receive(frames);
        Assert.Contains(frames[..count], h => pool.Data(h)[12..14].SequenceEqual(new byte[] { 0x08, 0x06 }));
        pool.Free(frames.AsSpan(0, count));
    }

    [Fact]
    public void DropsFramesLongerThanTheMtu()
    {
        var pool = new PacketPool(8);
        using var network = new TestNetwork();
        var port = (AfPacketPort)network.Attach(TestNetwork.Host("a", ["10.99.4.1/24"], []), PhysicalPortKind.AfPacket, pool);
        var frame = new byte[1515];
        frame[12] = 0x08;
        Assert.True(pool.TryAllocate(frame, out var handle));
        Assert.Equal(1, port.Transmit(new ReadOnlySpan<int>(in handle)));
        Assert.Equal((1, 0L), (port.Counters.TxDropped, port.Counters.TxFrames));
        Assert.Equal(0, pool.InUse);
    }
}
