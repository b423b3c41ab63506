using System.Text.Json;
using Softnet.DataPlane;
using Softnet.Hypervisor.Linux;
using Softnet.Hypervisor.Topology;
using Softnet.Wire;

namespace Softnet.Hypervisor.Tests.Linux;

[Collection(KernelNetworkCollection.Name)]
public sealed class TapPortTests
{
    private const int BufferSize = 65_536 + 512;

    [Fact]
    public void CarriesPingAndTcpSuperFramesBetweenTwoNamespaces()
    {
        var pool = new PacketPool(512, BufferSize);
        using var network = new TestNetwork();
        var a = (TapPort)network.Attach(TestNetwork.Host("a", ["10.99.1.1/24", "fd00:99::1/64"], []), PhysicalPortKind.Tap, pool);
        var b = (TapPort)network.Attach(TestNetwork.Host("b", ["10.99.1.2/24", "fd00:99::2/64"], []), PhysicalPortKind.Tap, pool);
        long transferred;
        var bridge = new FrameBridge(pool, a, b);
        using (bridge)
        {
            Assert.Contains(" 3 received", network.Exec("a", "ping", "-c", "3", "-i", "0.2", "-W", "2", "10.99.1.2"));
            Assert.Contains(" 3 received", network.Exec("a", "ping", "-6", "-c", "3", "-i", "0.2", "-W", "2", "fd00:99::2"));
            transferred = Iperf.Transfer(network, "a", "b", "10.99.1.2", "-t", "2");
        }
        Assert.True(transferred > 0);
        Assert.True(bridge.SuperFrames > 0, $"no super-frame among {bridge.Frames} frames (longest {bridge.LongestFrame})");
        Assert.True(bridge.LongestFrame > 1514);
        Assert.Equal(0, bridge.Refused);
        Assert.Equal(bridge.Frames, a.Counters.RxFrames + b.Counters.RxFrames);
        Assert.Equal(bridge.Frames, a.Counters.TxFrames + b.Counters.TxFrames);
        Assert.Equal(0, a.Counters.RxDropped + b.Counters.RxDropped + a.Counters.TxDropped + b.Counters.TxDropped);
        Assert.Equal(0, pool.InUse);
    }

    [Fact]
    public void ExchangesFramesWithoutAllocating()
    {
        var pool = new PacketPool(64, BufferSize);
        using var network = new TestNetwork();
        using var host = EchoHost.Attach(network, pool);
        for (var i = 0; i < 50; i++) host.Exchange();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++) host.Exchange();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(1050, host.Replies);
        Assert.Equal(0, pool.InUse);
    }

    [Fact]
    public void DropsWhatArrivesWhileThePoolIsEmpty()
    {
        var pool = new PacketPool(8, BufferSize);
        using var network = new TestNetwork();
        using var host = EchoHost.Attach(network, pool);
        var held = new List<int>();
        while (pool.Available > 1 && pool.TryAllocate(out var handle)) held.Add(handle);
        host.SendRequest();
        Assert.True(pool.TryAllocate(out var last));
        held.Add(last);
        host.WaitReadable();
        Assert.Equal(0, host.Port.Receive(new int[8]));
        Assert.True(host.Port.Counters.RxDropped >= 1);
        Assert.Equal(0, host.Port.Counters.Errors);
        pool.Free(held.ToArray());
        host.Exchange();
        Assert.Equal(1, host.Replies);
    }

    [Fact]
    public void RefusesPoolTooSmallForSuperFrames()
    {
        var e = Assert.Throws<ArgumentException>(() => new TapPort(new PacketPool(4), "snvtoosmall"));
        Assert.Contains("65554", e.Message);
    }

    /// <summary>
    /// A host whose kernel answers ICMP echo requests that the test writes into its TAP: each exchange is one frame
    /// transmitted and one received, with no other thread involved.
    /// </summary>
    private sealed class EchoHost : IDisposable
    {
        private static readonly MacAddress PeerMac = MacAddress.Parse("02:00:00:00:99:02");
        private static readonly Ipv4Address PeerAddress = Ipv4Address.Parse("10.99.2.2");
        private static readonly Ipv4Address HostAddress = Ipv4Address.Parse("10.99.2.1");

        private readonly PacketPool _pool;
        private readonly ReadinessWaiter _waiter = new();
        private readonly byte[] _request;
        private readonly int[] _received = new int[16];

        private EchoHost(PacketPool pool, TapPort port, MacAddress hostMac)
        {
            _pool = pool;
            Port = port;
            _waiter.Add(port.ReadinessFd);
            _request = EchoRequest(hostMac);
        }

        public TapPort Port { get; }
        public int Replies { get; private set; }

        public static EchoHost Attach(TestNetwork network, PacketPool pool)
        {
            var port = (TapPort)network.Attach(TestNetwork.Host("a", ["10.99.2.1/24"], []), PhysicalPortKind.Tap, pool);
            network.Exec("a", "ip", "neigh", "replace", PeerAddress.ToString(), "lladdr", PeerMac.ToString(), "dev", "eth0", "nud", "permanent");
            using var link = JsonDocument.Parse(network.Exec("a", "ip", "-j", "link", "show", "eth0"));
            return new EchoHost(pool, port, MacAddress.Parse(link.RootElement[0].GetProperty("address").GetString()!));
        }

        // No Assert on this path: xunit's equality assertions allocate, and the test counts allocated bytes.
        public void SendRequest()
        {
            if (!_pool.TryAllocate(_request, out var handle)) throw new InvalidOperationException("The pool is empty.");
            if (Port.Transmit(new ReadOnlySpan<int>(in handle)) != 1) throw new InvalidOperationException("The TAP refused the echo request.");
        }

        public void WaitReadable()
        {
            if (!_waiter.Wait(5_000)) throw new TimeoutException("The host did not answer within 5 s.");
        }

        /// <summary>Sends one echo request and waits for the reply, freeing anything else the host sends meanwhile.</summary>
        public void Exchange()
        {
            SendRequest();
            var replies = Replies;
            while (Replies == replies)
            {
                WaitReadable();
                var count = Port.Receive(_received);
                foreach (var handle in _received.AsSpan(0, count))
                {
                    if (IsEchoReply(_pool.Data(handle))) Replies++;
                    _pool.Free(handle);
                }
            }
        }

        public void Dispose() => _waiter.Dispose();

        private static bool IsEchoReply(Span<byte> frame) =>
            EthernetFrame.TryCreate(frame, out var ethernet) && ethernet.EtherType == EtherType.Ipv4
            && Ipv4Packet.TryCreate(ethernet.Payload, out var ip) && ip.Protocol == IpProtocol.Icmp && ip.Source == HostAddress
            && Icmpv4Packet.TryCreate(ip.Payload, out var icmp) && icmp.Type == Icmpv4Type.EchoReply;

        private static byte[] EchoRequest(MacAddress hostMac)
        {
            var icmp = Icmpv4Repr.EchoRequest(identifier: 0x5e5e, sequenceNumber: 1, dataLength: 32);
            var ip = new Ipv4Repr(PeerAddress, HostAddress, IpProtocol.Icmp, icmp.BufferLength);
            var frame = new byte[EthernetFrame.HeaderLength + ip.BufferLength];
            new EthernetRepr(hostMac, PeerMac, EtherType.Ipv4).Emit(EthernetFrame.CreateUnchecked(frame));
            ip.Emit(Ipv4Packet.CreateUnchecked(frame.AsSpan(EthernetFrame.HeaderLength)));
            icmp.Emit(Icmpv4Packet.CreateUnchecked(frame.AsSpan(EthernetFrame.HeaderLength + ip.HeaderLength)));
            return frame;
        }
    }
}
