using Softnet.Cli.Bench.RoutingData;
using Softnet.DataPlane;
using Softnet.DataPlane.Ports;
using Softnet.Devices.Ip;
using Softnet.Devices.Mpls;
using Softnet.Wire;

namespace Softnet.Cli.Bench.Dataplane;

/// <summary>
/// A 16-port LSR with <paramref name="labels"/> swap bindings, binding <i>i</i> leaving by port <i>i</i> mod 16 to
/// its static neighbour. Every port receives labelled UDP/IPv4 frames carrying a random bound label; each has its
/// label looked up, swapped and its TTL decremented, and its Ethernet addresses rewritten.
/// </summary>
internal sealed class LsrWorkload(string key, int labels, int distinctFrames, long packetsPerRun, Target? target)
    : Workload(key, $"LSR, 16 ports, {labels:N0} swap bindings, random bound labels", packetsPerRun, target)
{
    private const uint FirstIncoming = 1000;
    private const uint FirstOutgoing = 500_000;

    public override Trial Prepare(BenchTables tables)
    {
        var lsr = new Lsr("p1", new PacketPool(BenchDevices.PoolCapacity));
        var (neighbours, _) = BenchDevices.AddPorts(lsr);
        // The LFIB's size is what the heap retains for it (chunks and binding records), measured around the bindings.
        var before = GC.GetTotalMemory(forceFullCollection: true);
        for (var i = 0; i < labels; i++)
        {
            var (port, gateway) = neighbours[i % neighbours.Count];
            lsr.AddLabelSwap(new MplsLabel(FirstIncoming + (uint)i), new MplsLabel(FirstOutgoing + (uint)i), lsr.Ports[port].Name, gateway);
        }
        var labelTableBytes = GC.GetTotalMemory(forceFullCollection: true) - before;

        var random = new SplitMix64(0x1AB5);
        var frame = new byte[BenchFrames.MplsLength];
        var sources = Enumerable.Range(0, BenchDevices.Ports).Select(_ => new FrameSource(lsr.Pool)).ToArray();
        for (var i = 0; i < distinctFrames; i++)
        {
            var port = i % sources.Length;
            var label = new MplsLabel(FirstIncoming + (uint)random.NextBelow(labels));
            sources[port].Add(BenchFrames.Mpls(frame, lsr.Ports[port].Mac, BenchDevices.SenderMac(port), label,
                BenchFrames.Ipv4Source(i), new Ipv4Address(0xCB00_7100u | (uint)i & 0xFF), (ushort)(1024 + i), 9));
        }

        var trial = new DeviceTrial(lsr, sources.Select((source, port) => (port, source)));
        trial.AddFact("fib_bytes", labelTableBytes);
        trial.AddFact("labels", lsr.LabelTable.Count);
        trial.AddFact("neighbours", neighbours.Count);
        return trial;
    }
}
