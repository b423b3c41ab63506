using System.Diagnostics;
using Softnet.DataPlane.Pcap;
using Softnet.Hypervisor.Runtime;
using SoftnetHypervisor = Softnet.Hypervisor.Runtime.Hypervisor;
using Softnet.Hypervisor.Topology;
using Softnet.Wire;
using Softnet.Tests.Shared;

namespace Softnet.Hypervisor.Tests.Runtime;

/// <summary>The hypervisor with in-memory physical ports: real devices on worker threads, hosts on the test thread.</summary>
public sealed class HypervisorTests
{
    private static string Lab(string name, string subnet = "10.0") => $"""
          - name: {name}
            architecture: ipv4
            tokens: 10
            devices:
              - name: r1
                kind: router
                interfaces:
                  - name: eth0
                    addresses: ["{subnet}.1.1/24"]
                  - name: eth1
                    addresses: ["{subnet}.2.1/24"]
            hosts:
              - name: h1
                address: {subnet}.1.10/24
                gateway: {subnet}.1.1
                phy: memory
              - name: h2
                address: {subnet}.2.10/24
                gateway: {subnet}.2.1
                phy: memory
            links:
              - endpoints: ["h1:eth0", "r1:eth0"]
              - endpoints: ["h2:eth0", "r1:eth1"]
        """;

    private static SoftnetHypervisor Start(string networks, int workers = 1) =>
        SoftnetHypervisor.Start(TopologyLoader.Parse("networks:\n" + networks, "test.yaml"), new NoHostPorts(), new HypervisorOptions { Workers = workers, PacketBuffers = 4096, BufferSize = 2048 });

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void PingCrossesTheRouterOnWorkerThreads(int workers)
    {
        using var hypervisor = Start(Lab("lab"), workers);
        var hosts = new MemoryHosts(hypervisor);
        var h1 = hosts.Add("h1", "10.0.1.10/24", "10.0.1.1");
        hosts.Add("h2", "10.0.2.10/24", "10.0.2.1");

        var replies = hosts.Ping(h1, "10.0.2.10", 5);

        Assert.Equal(5, replies.Count);
        Assert.All(replies, r => Assert.Equal(63, r.Ttl));
        var r1 = Assert.Single(Assert.Single(hypervisor.Inspect().Networks).Domains);
        Assert.Equal("router", r1.Kind);
        Assert.True(r1.Turns > 0);
        var eth1 = r1.Ports.Single(p => p.Name == "eth1");
        Assert.True(eth1.TxPackets >= 5, $"r1-eth1 sent {eth1.TxPackets}");
        Assert.Contains("h2:eth0", eth1.LinkedTo);
    }

    [Fact]
    public void UdpStreamArrivesWholeAndEveryBufferComesBack()
    {
        using var hypervisor = Start(Lab("lab"), workers: 2);
        var hosts = new MemoryHosts(hypervisor);
        var h1 = hosts.Add("h1", "10.0.1.10/24", "10.0.1.1");
        var h2 = hosts.Add("h2", "10.0.2.10/24", "10.0.2.1");
        h2.Endpoints.BindUdp(5001);
        Assert.Single(hosts.Ping(h1, "10.0.2.10", 1));
        var payload = new byte[256];
        var received = 0;
        for (var i = 0; i < 5000; i++)
        {
            payload[0] = (byte)i;
            Assert.True(h1.SendUdp(Ipv4Address.Parse("10.0.2.10"), 40000, 5001, payload));
            if (i % 32 == 31) hosts.RunUntil(() => Drain() >= i + 1);
        }
        Assert.True(hosts.RunUntil(() => Drain() == 5000), $"{received} of 5000 datagrams arrived");
        Assert.True(hosts.RunUntil(() => hypervisor.Buffers.InUse == 0), $"{hypervisor.Buffers.InUse} buffers still in use");

        int Drain()
        {
            while (h2.Endpoints.TryReceiveUdp(5001, out var datagram))
            {
                Assert.Equal((byte)received, datagram.Payload[0]);
                received++;
            }
            return received;
        }
    }

    [Fact]
    public void TheWorkersAllocateNothingPerPacket()
    {
        const int Datagrams = 20_000;
        using var hypervisor = Start(Lab("lab"));
        var hosts = new MemoryHosts(hypervisor);
        var h1 = hosts.Add("h1", "10.0.1.10/24", "10.0.1.1");
        var h2 = hosts.Add("h2", "10.0.2.10/24", "10.0.2.1");
        h2.Endpoints.BindUdp(5001);
        Assert.Single(hosts.Ping(h1, "10.0.2.10", 1));
        var payload = new byte[64];
        var received = 0;
        Send(2_000);
        var before = Sampled();
        Send(Datagrams);
        var after = Sampled();

        Assert.True(after.Forwarded - before.Forwarded >= Datagrams, $"r1 forwarded {after.Forwarded - before.Forwarded} frames");
        // An allocation per packet would be at least 24 bytes each: under one byte per packet is none on the packet path.
        Assert.True(after.Bytes - before.Bytes < Datagrams, $"the worker allocated {after.Bytes - before.Bytes} bytes while r1 forwarded {Datagrams} datagrams");

        void Send(int count)
        {
            var target = received + count;
            for (var i = 0; i < count; i++)
            {
                Assert.True(h1.SendUdp(Ipv4Address.Parse("10.0.2.10"), 40000, 5001, payload));
                if (i % 32 == 31) hosts.RunUntil(() => Drain() >= target - count + i + 1);
            }
            Assert.True(hosts.RunUntil(() => Drain() == target), $"{received} of {target} datagrams arrived");
        }

        int Drain()
        {
            while (h2.Endpoints.TryReceiveUdp(5001, out _)) received++;
            return received;
        }

        (long Bytes, long Forwarded) Sampled()
        {
            // The workers publish what they allocated every 10 ms; wait for a sample taken after the traffic.
            Thread.Sleep(50);
            var snapshot = hypervisor.Inspect();
            var r1 = snapshot.Networks.Single().Domains.Single();
            return (snapshot.WorkerAllocatedBytes, r1.Ports.Single(p => p.Name == "eth1").TxPackets);
        }
    }

    [Fact]
    public void ADomainsShareOfWorkerTimeGrowsUnderLoadAndShrinksWhenIdle()
    {
        using var hypervisor = Start(Lab("lab"));
        var hosts = new MemoryHosts(hypervisor);
        var h1 = hosts.Add("h1", "10.0.1.10/24", "10.0.1.1");
        var h2 = hosts.Add("h2", "10.0.2.10/24", "10.0.2.1");
        h2.Endpoints.BindUdp(5001);
        Assert.Single(hosts.Ping(h1, "10.0.2.10", 1));

        var payload = new byte[1000];
        var busyUntil = Stopwatch.GetTimestamp() + 2 * Stopwatch.Frequency;
        while (Stopwatch.GetTimestamp() < busyUntil)
        {
            for (var i = 0; i < 32; i++) h1.SendUdp(Ipv4Address.Parse("10.0.2.10"), 40000, 5001, payload);
            hosts.RunUntil(() => true);
            while (h2.Endpoints.TryReceiveUdp(5001, out _)) { }
        }
        var loaded = hypervisor.Inspect().Networks.Single();
        Thread.Sleep(2200);
        var idle = hypervisor.Inspect().Networks.Single();

        Assert.True(loaded.Domains.Single().WorkerShare > 0.05, $"worker share under load {loaded.Domains.Single().WorkerShare:P1}");
        Assert.True(idle.Domains.Single().WorkerShare < 0.02, $"worker share when idle {idle.Domains.Single().WorkerShare:P1}");
        Assert.Equal(1.0, loaded.GrantedShare);
    }

    [Fact]
    public void WorkersRunAboveTheTenantsPrograms()
    {
        using var hypervisor = Start(Lab("lab"), workers: 2);
        var workers = Directory.GetDirectories("/proc/self/task")
            .Where(task => File.ReadAllText(Path.Combine(task, "comm")).StartsWith("softnet-worker", StringComparison.Ordinal))
            .Select(task => File.ReadAllText(Path.Combine(task, "stat")))
            .ToList();

        // Other tests' hypervisors may run in this process at the same time: theirs are counted too, and are at -10 as well.
        Assert.True(workers.Count >= 2, $"{workers.Count} worker thread(s)");
        // Field 19 of /proc/.../stat is the nice value; the command name in parentheses comes before it.
        Assert.All(workers, stat => Assert.Equal("-10", stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[16]));
    }

    [Fact]
    public void NetworksWithTheSameAddressesStayApart()
    {
        using var hypervisor = Start(Lab("red") + "\n" + Lab("blue"));
        var hosts = new MemoryHosts(hypervisor);
        var red = hosts.Add("red/h1", "10.0.1.10/24", "10.0.1.1");
        hosts.Add("red/h2", "10.0.2.10/24", "10.0.2.1");
        hosts.Add("blue/h1", "10.0.1.10/24", "10.0.1.1");
        hosts.Add("blue/h2", "10.0.2.10/24", "10.0.2.1");

        Assert.Equal(3, hosts.Ping(red, "10.0.2.10", 3).Count);

        var snapshot = hypervisor.Inspect();
        var redRouter = snapshot.Networks.Single(n => n.Name == "red").Domains.Single();
        var blueRouter = snapshot.Networks.Single(n => n.Name == "blue").Domains.Single();
        Assert.True(redRouter.Ports.Sum(p => p.RxPackets) >= 6);
        Assert.All(blueRouter.Ports, p => Assert.Equal((0L, 0L), (p.RxPackets, p.TxPackets)));
        Assert.All(snapshot.PhysicalPorts.Where(p => p.Network == "blue"), p => Assert.Equal((0L, 0L), (p.RxFrames, p.TxFrames)));
    }

    [Fact]
    public void CaptureWritesThePortsFramesAsPcap()
    {
        using var hypervisor = Start(Lab("lab"));
        var hosts = new MemoryHosts(hypervisor);
        var h1 = hosts.Add("h1", "10.0.1.10/24", "10.0.1.1");
        hosts.Add("h2", "10.0.2.10/24", "10.0.2.1");
        Assert.Single(hosts.Ping(h1, "10.0.2.10", 1));

        var pcap = new MemoryStream();
        using (hypervisor.Capture("r1:eth1", pcap)) Assert.Equal(2, hosts.Ping(h1, "10.0.2.10", 2).Count);

        pcap.Position = 0;
        var frames = PcapReader.Read(pcap).ToList();
        Assert.Equal(4, frames.Count);
        Assert.All(frames, f => Assert.True(Ipv4Packet.TryCreate(f.Data.AsSpan(EthernetFrame.HeaderLength), out _)));
    }

    [Theory]
    [InlineData("r9:eth0", "No device 'r9'")]
    [InlineData("r1:eth7", "has no port 'eth7'")]
    [InlineData("r1", "write device:interface")]
    public void CaptureOfAnUnknownPortSaysWhy(string port, string message)
    {
        using var hypervisor = Start(Lab("lab"));
        var e = Assert.Throws<ArgumentException>(() => hypervisor.Capture(port, Stream.Null));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void AnAmbiguousNameListsTheCandidates()
    {
        using var hypervisor = Start(Lab("red") + "\n" + Lab("blue"));
        var e = Assert.Throws<ArgumentException>(() => hypervisor.Capture("r1:eth0", Stream.Null));
        Assert.Contains("red/r1, blue/r1", e.Message);
    }

    /// <summary>Refuses real hosts: these tests use in-memory ones only.</summary>
}
