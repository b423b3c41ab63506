using BenchmarkDotNet.Attributes;
using Softnet.DataPlane;
using Softnet.DataPlane.Ports;
using Softnet.Devices.Ip;
using Softnet.Wire;

namespace Softnet.Benchmarks;

/// <summary>
/// One vector of 256 UDP frames through a 16-port router with <see cref="Routes"/> routes (a quarter as many for
/// IPv6) over static neighbours, to random routed destinations: Ethernet input, header checks, lookup, TTL or hop
/// limit decrement and MAC rewrite. Per frame.
/// </summary>
[MemoryDiagnoser]
public class RouterForwardingBenchmarks
{
    private const int Ports = 16;
    private const int DistinctFrames = 1 << 16;

    private VectorRig _ipv4 = null!;
    private VectorRig _ipv6 = null!;

    [Params(48, 1_000_000)]
    public int Routes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _ipv4 = Ipv4Rig();
        _ipv6 = Ipv6Rig();
    }

    [Benchmark(OperationsPerInvoke = VectorRig.VectorSize)]
    public void Ipv4Vector() => _ipv4.ForwardVector();

    [Benchmark(OperationsPerInvoke = VectorRig.VectorSize)]
    public void Ipv6Vector() => _ipv6.ForwardVector();

    private VectorRig Ipv4Rig()
    {
        var router = new Router("r4", new PacketPool(1024));
        var (neighbours, _) = IpDevices.AddPorts(router, Ports);
        var routes = SyntheticTables.Ipv4(Routes, seed: 1);
        router.Stack.LoadRoutes([.. routes.Select(r => (r.Prefix, r.NextHop - 1))], neighbours);
        var source = new FrameSource(router.Pool);
        var sender = Ipv4Address.Parse("198.18.0.1");
        foreach (var destination in SyntheticTables.Destinations(routes, DistinctFrames, seed: 2))
        {
            var address = new Ipv4Address(destination);
            if (router.Stack.Lookup(address) is not { Kind: ForwardingKind.Forward }) continue;
            source.Add(Frames.Udp4(router.Ports[0].Mac, IpDevices.Sender, sender, address));
        }
        return new VectorRig(router, 0, source);
    }

    private VectorRig Ipv6Rig()
    {
        var router = new Router("r6", new PacketPool(1024));
        var (_, neighbours) = IpDevices.AddPorts(router, Ports);
        var routes = SyntheticTables.Ipv6(Math.Max(1, Routes / 4), seed: 1);
        router.Stack.LoadRoutes([.. routes.Select(r => (r.Prefix, r.NextHop - 1))], neighbours);
        var source = new FrameSource(router.Pool);
        var sender = Ipv6Address.Parse("2001:2::1");
        foreach (var destination in SyntheticTables.Destinations(routes, DistinctFrames, seed: 2))
        {
            var address = new Ipv6Address(destination);
            if (router.Stack.Lookup(address) is not { Kind: ForwardingKind.Forward }) continue;
            source.Add(Frames.Udp6(router.Ports[0].Mac, IpDevices.Sender, sender, address));
        }
        return new VectorRig(router, 0, source);
    }
}
