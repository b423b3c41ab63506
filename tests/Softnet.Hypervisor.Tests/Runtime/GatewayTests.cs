using Softnet.Hypervisor.Runtime;
using Softnet.Hypervisor.Tests.Topology;
using Softnet.Hypervisor.Topology;
using Softnet.Wire;
using SoftnetHypervisor = Softnet.Hypervisor.Runtime.Hypervisor;
using Softnet.Tests.Shared;

namespace Softnet.Hypervisor.Tests.Runtime;

/// <summary>
/// The secure gateway in the running hypervisor: examples/gateway.yaml with in-memory hosts and a policy for UDP, so
/// that the test's hosts can speak it: only what the policy admits crosses, translated, and no faster than its limit.
/// </summary>
public sealed class GatewayTests
{
    private const int LimitPerSecond = 1000;

    private static TopologyFile Topology()
    {
        var text = File.ReadAllText(RepositoryFiles.PathOf("examples/gateway.yaml"));
        var lines = text.Split('\n').ToList();
        // Every host on an in-memory port; the rule admits UDP 5001 to web instead of TCP 80; a low limit.
        for (var i = lines.Count - 1; i >= 0; i--)
        {
            if (lines[i].TrimStart().StartsWith("gateway: 10.0.", StringComparison.Ordinal))
                lines.Insert(i + 1, lines[i][..lines[i].IndexOf('g')] + "phy: memory");
        }
        text = string.Join('\n', lines)
            .Replace("protocol: tcp\n        ports: 80", "protocol: udp\n        ports: 5001", StringComparison.Ordinal)
            .Replace("pps: 10k", $"pps: {LimitPerSecond}", StringComparison.Ordinal);
        Assert.Contains("ports: 5001", text);
        Assert.Contains($"pps: {LimitPerSecond}", text);
        return TopologyLoader.Parse(text, "gateway-memory.yaml");
    }

    [Fact]
    public void OnlyWhatThePolicyAdmitsCrossesTranslatedAndNoFasterThanItsLimit()
    {
        using var hypervisor = SoftnetHypervisor.Start(Topology(), new NoHostPorts(), new HypervisorOptions { Workers = 1, PacketBuffers = 8192, BufferSize = 2048 });
        var hosts = new MemoryHosts(hypervisor);
        var client = hosts.Add("red/h1", "10.0.1.10/24", "10.0.1.1");
        var blueH1 = hosts.Add("blue/h1", "10.0.1.10/24", "10.0.1.1");
        var web = hosts.Add("blue/web", "10.0.2.10/24", "10.0.2.1");
        web.Endpoints.BindUdp(5001);
        web.Endpoints.BindUdp(5002);
        client.Endpoints.BindUdp(6000);
        var payload = new byte[64];
        var web172 = Ipv4Address.Parse("172.16.2.10");

        // Admitted: red's client reaches blue's web server at its mapped address, and web sees the client mapped too.
        Assert.True(client.SendUdp(web172, 6000, 5001, payload));
        UdpDatagramOf(hosts, web, 5001, out var admitted);
        Assert.Equal("172.16.1.10", admitted.Source.Address.ToString());
        Assert.Equal(6000, admitted.Source.Port);
        // The reply of that flow crosses back, translated the other way.
        Assert.True(web.SendUdp(Ipv4Address.Parse("172.16.1.10"), 5001, 6000, payload));
        UdpDatagramOf(hosts, client, 6000, out var reply);
        Assert.Equal("172.16.2.10", reply.Source.Address.ToString());

        // Not admitted: another port, and anything blue starts.
        Assert.True(client.SendUdp(web172, 6000, 5002, payload));
        Assert.True(web.SendUdp(Ipv4Address.Parse("172.16.1.10"), 7000, 6000, payload));
        Assert.False(hosts.RunUntil(() => web.Endpoints.TryReceiveUdp(5002, out _), TimeSpan.FromMilliseconds(300)));
        var gateway = hypervisor.Inspect().Networks.Single(n => n.Name == "gw").Domains.Single();
        Assert.Equal("gateway", gateway.Kind);
        Assert.Equal(2, gateway.Elements.Sum(e => e.Counters.GetValueOrDefault("drop:denied-no-rule")));

        // Blue's h1 resolves its gateway first: what waits for an ARP reply is bounded (Adjacency.MaxPending), and that
        // is not what this measures.
        Assert.True(blueH1.SendUdp(Ipv4Address.Parse("10.0.2.10"), 6100, 5002, payload));
        Assert.True(hosts.RunUntil(() => web.Endpoints.TryReceiveUdp(5002, out _)));

        // A flood through the gateway takes from blue no more than its limit, and blue's own traffic still arrives.
        var flood = 0;
        var blueSent = 0;
        var throughGateway = 0;
        var blueReceived = 0;
        var start = DateTime.UtcNow;
        while (DateTime.UtcNow - start < TimeSpan.FromSeconds(1))
        {
            for (var i = 0; i < 64; i++) flood += client.SendUdp(web172, 6000, 5001, payload) ? 1 : 0;
            if (blueH1.SendUdp(Ipv4Address.Parse("10.0.2.10"), 6100, 5002, payload)) blueSent++;
            hosts.RunUntil(() => Take() >= 0);
        }
        var elapsed = DateTime.UtcNow - start;
        hosts.RunUntil(() => Take() == blueSent);
        Assert.True(blueSent == blueReceived, $"blue sent {blueSent}, received {blueReceived}; drops: " + string.Join(", ", hypervisor.Inspect().Networks
            .SelectMany(n => n.Domains.SelectMany(d => d.Elements.SelectMany(e => e.Counters.Where(c => c.Key.StartsWith("drop", StringComparison.Ordinal) && c.Value > 0)
                .Select(c => $"{n.Name}/{d.Name}/{e.Name} {c.Key} {c.Value}"))))));
        // The bucket holds 10 ms at the limit: at most the rate over the time plus that.
        Assert.InRange(throughGateway, 1, (int)(LimitPerSecond * (elapsed.TotalSeconds + 0.2)) + 10);
        Assert.True(flood > 3 * throughGateway, $"the flood sent {flood}, {throughGateway} crossed");
        gateway = hypervisor.Inspect().Networks.Single(n => n.Name == "gw").Domains.Single();
        Assert.True(gateway.Elements.Sum(e => e.Counters.GetValueOrDefault("drop:rate-limited:red->blue")) > 0);

        int Take()
        {
            while (web.Endpoints.TryReceiveUdp(5001, out _)) throughGateway++;
            while (web.Endpoints.TryReceiveUdp(5002, out _)) blueReceived++;
            return blueReceived;
        }
    }

    private static void UdpDatagramOf(MemoryHosts hosts, Softnet.Devices.Ip.Host host, ushort port, out Softnet.Devices.Ip.UdpDatagram datagram)
    {
        Softnet.Devices.Ip.UdpDatagram? received = null;
        Assert.True(hosts.RunUntil(() => host.Endpoints.TryReceiveUdp(port, out received)), $"nothing reached {host.Name} port {port}");
        datagram = received!;
    }
}
