using Softnet.Cli.Bench.RoutingData;
using Softnet.DataPlane;
using Softnet.DataPlane.Ports;
using Softnet.Devices.Switching;
using Softnet.Wire;

namespace Softnet.Cli.Bench.Dataplane;

/// <summary>
/// An L2 switch whose MAC table already holds <paramref name="macs"/> learned addresses, spread round-robin over its
/// access ports (VLAN 1). Each port receives UDP/IPv4 frames from a random address learned on it to a random address
/// learned on another port, so every frame is learned from (a refresh), looked up and forwarded as known unicast.
/// </summary>
internal sealed class SwitchWorkload(string key, int macs, int ports, int distinctFrames, long packetsPerRun, Target? target)
    : Workload(key, $"L2 switch, {ports} access ports, {macs:N0} learned MACs in a {TableCapacity(macs):N0}-entry table, random known destinations", packetsPerRun, target)
{
    private const int Vlan = 1;

    public override Trial Prepare(BenchTables tables)
    {
        var options = new SwitchOptions { MacTableCapacity = TableCapacity(macs) };
        var pool = new PacketPool(BenchDevices.PoolCapacity);
        var sw = new L2Switch("s1", pool, options);
        for (var port = 0; port < ports; port++) sw.AddPort($"eth{port}", SwitchPortMode.Access(Vlan));
        // What L2Input does for each source address it sees, done up front.
        for (var i = 0; i < macs; i++) sw.MacTable.Learn(Vlan, Station(i), i % ports);

        var random = new SplitMix64(0x5317C4);
        var frame = new byte[BenchFrames.Ipv4Length];
        var inputs = new List<(int, FrameSource)>();
        for (var port = 0; port < ports; port++)
        {
            var source = new FrameSource(pool);
            var local = (macs - port + ports - 1) / ports;
            for (var k = 0; k < distinctFrames / ports; k++)
            {
                var from = port + ports * random.NextBelow(local);
                int to;
                do to = random.NextBelow(macs); while (to % ports == port);
                source.Add(BenchFrames.Udp4(frame, Station(to), Station(from), HostAddress(from), HostAddress(to), (ushort)(1024 + k), 9));
            }
            inputs.Add((port, source));
        }

        var trial = new DeviceTrial(sw, inputs);
        trial.AddFact("fib_bytes", sw.MacTable.MemoryBytes);
        trial.AddFact("macs", sw.MacTable.Count);
        return trial;
    }

    /// <summary>The switch's default table, or one just large enough.</summary>
    private static int TableCapacity(int macs) => Math.Max(SwitchOptions.Default.MacTableCapacity, macs);

    /// <summary>Station <paramref name="index"/>'s MAC: 02 then 40 bits of (index + 1) times an odd constant, distinct for every index.</summary>
    private static MacAddress Station(int index) => new(0x0200_0000_0000UL | ((ulong)(index + 1) * 0x9E_3779_B97FUL & 0xFF_FFFF_FFFFUL));

    private static Ipv4Address HostAddress(int index) => new(0x0A00_0000u | (uint)(index + 1));
}
