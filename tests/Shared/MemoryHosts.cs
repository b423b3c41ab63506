using System.Diagnostics;
using Softnet.DataPlane;
using Softnet.Devices.Ip;
using Softnet.Hypervisor.Runtime;
using SoftnetHypervisor = Softnet.Hypervisor.Runtime.Hypervisor;
using Softnet.Wire;

namespace Softnet.Tests.Shared;

/// <summary>
/// Hosts that stand on in-memory physical ports of a running hypervisor: real host devices (ARP, ICMP, UDP) in the
/// hypervisor's packet pool, driven on the test thread while the hypervisor's workers run the networks.
/// </summary>
internal sealed class MemoryHosts(SoftnetHypervisor hypervisor)
{
    private readonly DeviceLoop _loop = new();

    public Host Add(string name, string address, string gateway)
    {
        var host = new Host(name.Replace('/', '-'), hypervisor.Buffers);
        host.AddAddress("eth0", address);
        host.SetGateway(Ipv4Address.Parse(gateway));
        host.Port("eth0").Attach(hypervisor.MemoryHost(name));
        return _loop.Add(host);
    }

    /// <summary>Runs the hosts until <paramref name="done"/> holds or <paramref name="limit"/> (5 s) passes; returns whether it held.</summary>
    public bool RunUntil(Func<bool> done, TimeSpan? limit = null)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)((limit ?? TimeSpan.FromSeconds(5)).TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            _loop.RunOnce();
            if (done()) return true;
            Thread.Yield();
        }
        return false;
    }

    /// <summary>Pings <paramref name="to"/> from <paramref name="from"/> <paramref name="count"/> times, one at a time; returns the replies.</summary>
    public List<EchoReply> Ping(Host from, string to, int count)
    {
        var replies = new List<EchoReply>();
        for (ushort seq = 1; seq <= count; seq++)
        {
            Assert.True(from.Ping(Ipv4Address.Parse(to), identifier: 7, sequence: seq));
            EchoReply? reply = null;
            RunUntil(() => from.Endpoints.TryReceiveEchoReply(out reply));
            if (reply is not null) replies.Add(reply);
        }
        return replies;
    }
}
