using Softnet.DataPlane;
using Softnet.DataPlane.Ports;
using Softnet.Devices.Gateway;
using Softnet.Devices.Ip;
using Softnet.Hypervisor.Runtime;
using Softnet.Hypervisor.Topology;
using Softnet.Wire;

namespace Softnet.Hypervisor.Tests.Topology;

/// <summary>
/// examples/gateway.yaml is correct on its own: its routers and its gateway, built by <see cref="DeviceFactory"/> and
/// linked as the file says, carry red h1's TCP connection to blue's web server on port 80 (172.16.2.10 as red
/// addresses it) and nothing else. Red h1 and blue web are probes on their routers' ports.
/// </summary>
public sealed class GatewayExampleTrafficTests
{
    private static readonly MacAddress H1Mac = MacAddress.Parse("02:00:00:00:01:0a");
    private static readonly MacAddress WebMac = MacAddress.Parse("02:00:00:00:02:0a");

    private readonly TopologyFile _file = TopologyLoader.Load(RepositoryFiles.PathOf("examples/gateway.yaml"));
    private readonly PacketPool _pool = new(1024);
    private readonly DeviceLoop _loop = new();
    private readonly Router _redR1;
    private readonly Router _blueR1;
    private readonly SecureGateway _gateway;
    private readonly InMemoryLink.End _h1;
    private readonly InMemoryLink.End _web;

    public GatewayExampleTrafficTests()
    {
        _redR1 = _loop.Add(Build("red", "r1"));
        _blueR1 = _loop.Add(Build("blue", "r1"));
        _gateway = _loop.Add(DeviceFactory.CreateGateway(Assert.Single(_file.Gateways), _pool));
        foreach (var side in _file.Gateways[0].Sides)
        {
            var link = new InMemoryLink();
            (side.Network == "red" ? _redR1 : _blueR1).Port(side.Endpoint.Port).Attach(link.A);
            _gateway.Port(side.Interface).Attach(link.B);
        }
        _h1 = Probe(_redR1.Port("eth0"));
        _web = Probe(_blueR1.Port("eth1"));
        _redR1.AddStaticNeighbor("eth0", "10.0.1.10", H1Mac);
        _blueR1.AddStaticNeighbor("eth1", "10.0.2.10", WebMac);
    }

    [Fact]
    public void Red_reaches_blues_web_server_on_port_80_through_nat_and_the_reply_comes_back()
    {
        Send(_h1, Tcp(_redR1.Port("eth0").Mac, H1Mac, "10.0.1.10", "172.16.2.10", 40000, 80, TcpFlags.Syn, ttl: 64));
        Assert.Equal(Tcp(WebMac, _blueR1.Port("eth1").Mac, "172.16.1.10", "10.0.2.10", 40000, 80, TcpFlags.Syn, ttl: 61), Assert.Single(Received(_web)));

        Send(_web, Tcp(_blueR1.Port("eth1").Mac, WebMac, "10.0.2.10", "172.16.1.10", 80, 40000, TcpFlags.Syn | TcpFlags.Ack, ttl: 64));
        Assert.Equal(Tcp(H1Mac, _redR1.Port("eth0").Mac, "172.16.2.10", "10.0.1.10", 80, 40000, TcpFlags.Syn | TcpFlags.Ack, ttl: 61), Assert.Single(Received(_h1)));
        Assert.Equal(1, _gateway.RuleHits(0));
    }

    [Fact]
    public void Everything_else_is_dropped_at_the_gateway_and_counted()
    {
        Send(_h1, Tcp(_redR1.Port("eth0").Mac, H1Mac, "10.0.1.10", "172.16.2.10", 40000, 22, TcpFlags.Syn, ttl: 64));
        Send(_h1, Udp(_redR1.Port("eth0").Mac, H1Mac, "10.0.1.10", "172.16.2.10", 40000, 80));
        Send(_web, Tcp(_blueR1.Port("eth1").Mac, WebMac, "10.0.2.10", "172.16.1.10", 40000, 80, TcpFlags.Syn, ttl: 64));

        Assert.Empty(Received(_web));
        Assert.Empty(Received(_h1));
        var filter = _gateway.Graph.Elements.Single(e => e.Name == "gateway-ip4");
        Assert.Equal(3, filter.Counters.Dropped(filter.DropReasons.ToList().IndexOf("denied-no-rule")));
    }

    [Fact]
    public void The_limit_is_installed_with_buckets_of_its_burst()
    {
        Assert.Equal([new GatewayRateLimit("red", "blue", new GatewayRate(10_000, 100), new GatewayRate(100_000_000, 1_000_000))], _gateway.RateLimits);
        Assert.Equal(["red", "blue"], _gateway.Networks);
        Assert.Equal([new GatewayNat("red", Ipv4Prefix.Parse("10.0.1.0/24", null), Ipv4Prefix.Parse("172.16.1.0/24", null)),
            new GatewayNat("blue", Ipv4Prefix.Parse("10.0.2.0/24", null), Ipv4Prefix.Parse("172.16.2.0/24", null))], _gateway.Nats);
    }

    [Fact]
    public void Buckets_hold_at_least_one_packet_and_one_largest_ip_packet()
    {
        var spec = _file.Gateways[0] with { Limits = [new GatewayLimitSpec("blue", "red", 10, 8_000, TimeSpan.FromMilliseconds(1))] };
        var gateway = DeviceFactory.CreateGateway(spec, _pool);
        Assert.Equal([new GatewayRateLimit("blue", "red", new GatewayRate(10, 1), new GatewayRate(8_000, 65_535 * 8))], gateway.RateLimits);
    }

    private Router Build(string network, string device) =>
        (Router)DeviceFactory.Create(_file[network], _file[network].Devices.Single(d => d.Name == device), _pool);

    private static InMemoryLink.End Probe(DevicePort port)
    {
        var link = new InMemoryLink();
        port.Attach(link.A);
        return link.B;
    }

    private void Send(InMemoryLink.End from, byte[] frame)
    {
        Assert.True(_pool.TryAllocate(frame, out var packet));
        Assert.Equal(1, from.Transmit([packet]));
        _loop.RunUntilIdle();
    }

    private List<byte[]> Received(InMemoryLink.End at)
    {
        var frames = new int[64];
        var n = at.Receive(frames);
        var result = frames.Take(n).Select(p => _pool.Data(p).ToArray()).ToList();
        _pool.Free(frames.AsSpan(0, n));
        return result;
    }

    private static byte[] Tcp(MacAddress to, MacAddress from, string source, string destination, ushort sourcePort, ushort destinationPort, TcpFlags flags, byte ttl)
    {
        var tcp = new TcpRepr(sourcePort, destinationPort, 1000, flags.HasFlag(TcpFlags.Ack) ? 2000u : 0, flags, 64240, 0);
        var (s, d) = (Ipv4Address.Parse(source, null), Ipv4Address.Parse(destination, null));
        var ip = new Ipv4Repr(s, d, IpProtocol.Tcp, tcp.BufferLength, ttl) { Identification = 0x4321, DontFragment = true };
        var frame = new byte[EthernetFrame.HeaderLength + ip.BufferLength];
        new EthernetRepr(to, from, EtherType.Ipv4).Emit(EthernetFrame.CreateUnchecked(frame));
        var bytes = frame.AsSpan(EthernetFrame.HeaderLength);
        ip.Emit(Ipv4Packet.CreateUnchecked(bytes));
        tcp.Emit(TcpPacket.CreateUnchecked(bytes[ip.HeaderLength..]), s, d);
        return frame;
    }

    private static byte[] Udp(MacAddress to, MacAddress from, string source, string destination, ushort sourcePort, ushort destinationPort)
    {
        var udp = new UdpRepr(sourcePort, destinationPort, 4);
        var (s, d) = (Ipv4Address.Parse(source, null), Ipv4Address.Parse(destination, null));
        var ip = new Ipv4Repr(s, d, IpProtocol.Udp, udp.BufferLength, 64);
        var frame = new byte[EthernetFrame.HeaderLength + ip.BufferLength];
        new EthernetRepr(to, from, EtherType.Ipv4).Emit(EthernetFrame.CreateUnchecked(frame));
        var bytes = frame.AsSpan(EthernetFrame.HeaderLength);
        ip.Emit(Ipv4Packet.CreateUnchecked(bytes));
        udp.Emit(UdpPacket.CreateUnchecked(bytes[ip.HeaderLength..]), s, d);
        return frame;
    }
}
