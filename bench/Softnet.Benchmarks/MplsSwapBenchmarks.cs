using BenchmarkDotNet.Attributes;
using Softnet.DataPlane;
using Softnet.DataPlane.Ports;
using Softnet.Devices.Mpls;
using Softnet.Wire;

namespace Softnet.Benchmarks;

/// <summary>One vector of 256 labelled frames through a 16-port LSR holding <see cref="Labels"/> swap bindings, random bound labels. Per frame.</summary>
[MemoryDiagnoser]
public class MplsSwapBenchmarks
{
    private const int Ports = 16;

    private VectorRig _rig = null!;

    [Params(1_000, 100_000)]
    public int Labels { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var lsr = new Lsr("p1", new PacketPool(1024));
        var (neighbours, _) = IpDevices.AddPorts(lsr, Ports);
        for (var i = 0; i < Labels; i++)
        {
            var (port, gateway) = neighbours[i % Ports];
            lsr.AddLabelSwap(new MplsLabel(1000 + (uint)i), new MplsLabel(500_000 + (uint)i), $"eth{port}", gateway);
        }
        var random = new Random(1);
        var source = new FrameSource(lsr.Pool);
        var sender = Ipv4Address.Parse("198.18.0.1");
        var destination = Ipv4Address.Parse("203.0.113.9");
        for (var k = 0; k < 1 << 16; k++)
            source.Add(Frames.Mpls(lsr.Ports[0].Mac, IpDevices.Sender, new MplsLabel(1000 + (uint)random.Next(Labels)), sender, destination));
        _rig = new VectorRig(lsr, 0, source);
    }

    [Benchmark(OperationsPerInvoke = VectorRig.VectorSize)]
    public void ForwardVector() => _rig.ForwardVector();
}
