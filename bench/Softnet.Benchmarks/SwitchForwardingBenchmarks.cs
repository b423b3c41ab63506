using BenchmarkDotNet.Attributes;
using Softnet.DataPlane;
using Softnet.DataPlane.Ports;
using Softnet.Devices.Switching;
using Softnet.Wire;

namespace Softnet.Benchmarks;

/// <summary>
/// One vector of 256 frames through an 8-port L2 switch whose MAC table holds <see cref="Macs"/> learned addresses;
/// each frame is from an address learned on the input port to a random known address elsewhere. Per frame.
/// </summary>
[MemoryDiagnoser]
public class SwitchForwardingBenchmarks
{
    private const int Ports = 8;

    private VectorRig _rig = null!;

    [Params(1_000, 1_000_000)]
    public int Macs { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var pool = new PacketPool(1024);
        var sw = new L2Switch("s1", pool, new SwitchOptions { MacTableCapacity = Math.Max(SwitchOptions.Default.MacTableCapacity, Macs) });
        for (var p = 0; p < Ports; p++) sw.AddPort($"eth{p}", SwitchPortMode.Access(1));
        for (var i = 0; i < Macs; i++) sw.MacTable.Learn(1, Station(i), i % Ports);

        var random = new Random(1);
        var source = new FrameSource(pool);
        for (var k = 0; k < 1 << 16; k++)
        {
            var from = Ports * random.Next(Macs / Ports);
            int to;
            do to = random.Next(Macs); while (to % Ports == 0);
            source.Add(Frames.Udp4(Station(to), Station(from), new Ipv4Address(0x0A00_0001u + (uint)from), new Ipv4Address(0x0A00_0001u + (uint)to)));
        }
        _rig = new VectorRig(sw, 0, source);
    }

    [Benchmark(OperationsPerInvoke = VectorRig.VectorSize)]
    public void ForwardVector() => _rig.ForwardVector();

    private static MacAddress Station(int index) => new(0x0200_0000_0000UL | ((ulong)(index + 1) * 0x9E_3779_B97FUL & 0xFF_FFFF_FFFFUL));
}
