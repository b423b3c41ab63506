using Softnet.Cli.Bench.RoutingData;
using Softnet.DataPlane;
using Softnet.DataPlane.Fib;
using Softnet.DataPlane.Ports;
using Softnet.Devices.Ip;
using Softnet.Wire;

namespace Softnet.Cli.Bench.Dataplane;

/// <summary>
/// A 16-port router with a static neighbour on each port and a route table installed with <c>IpStack.LoadRoutes</c>,
/// route next hop <i>n</i> (1..16) being the neighbour on port <i>n</i>-1. Every port receives UDP/IPv4 frames to
/// random destinations across the routed space (<see cref="DestinationGenerator"/>), each forwarded through the
/// full path: Ethernet input, header checks with checksum, lookup, TTL decrement and MAC rewrite.
/// </summary>
internal sealed class Ipv4RouterWorkload(string key, string summary, Func<BenchTables, Ipv4Route[]> routes, bool needsRoutingData, int distinctFrames, long packetsPerRun, Target? target)
    : Workload(key, summary, packetsPerRun, target)
{
    public override bool NeedsRoutingData => needsRoutingData;

    public override Trial Prepare(BenchTables tables)
    {
        var table = routes(tables);
        var router = new Router("r1", new PacketPool(BenchDevices.PoolCapacity));
        var (neighbours, _) = BenchDevices.AddPorts(router);
        router.Stack.LoadRoutes(table.Select(r => (r.Prefix, r.NextHop - 1)).ToList(), neighbours);

        var destinations = ForwardedDestinations(router.Stack, table, distinctFrames);
        var frame = new byte[BenchFrames.Ipv4Length];
        var sources = Enumerable.Range(0, BenchDevices.Ports).Select(_ => new FrameSource(router.Pool)).ToArray();
        for (var i = 0; i < destinations.Length; i++)
        {
            var port = i % sources.Length;
            sources[port].Add(BenchFrames.Udp4(frame, router.Ports[port].Mac, BenchDevices.SenderMac(port),
                BenchFrames.Ipv4Source(i), new Ipv4Address(destinations[i]), (ushort)(1024 + i), 9));
        }

        var trial = new DeviceTrial(router, sources.Select((source, port) => (port, source)));
        var fib = router.Stack.Fib4;
        trial.AddFact("fib_bytes", fib.MemoryBytes);
        trial.AddFact("fib_rule_store_bytes", fib.RuleStoreBytes);
        trial.AddFact("routes", fib.Count);
        trial.AddFact("tbl8_groups", fib.Tbl8GroupsInUse);
        trial.AddFact("neighbours", neighbours.Count);
        return trial;
    }

    /// <summary>
    /// Destinations drawn from the table's routes, keeping only those the router forwards to a neighbour: an aggregate
    /// in the table may cover the router's own 10.0.p.0/24 subnets, whose addresses would be delivered or resolved.
    /// </summary>
    private static uint[] ForwardedDestinations(IpStack stack, Ipv4Route[] table, int count)
    {
        var kept = new uint[count];
        var drawn = new uint[count];
        var filled = 0;
        for (ulong round = 1; filled < count; round++)
        {
            if (round > 16) throw new BenchmarkFailure($"Fewer than {count:N0} of {16 * count:N0} random destinations are forwarded by the routes.");
            DestinationGenerator.Fill(table, round, drawn);
            foreach (var destination in drawn)
            {
                var address = new Ipv4Address(destination);
                if (address.IsBroadcast || address.IsMulticast || stack.Lookup(address) is not { Kind: ForwardingKind.Forward }) continue;
                kept[filled++] = destination;
                if (filled == count) break;
            }
        }
        return kept;
    }

    /// <summary>A few dozen routes of /8 to /24 over the unicast space (not 10/8, the router's own), next hops 1..16.</summary>
    public static Ipv4Route[] SmallTable(int count = 48)
    {
        int[] lengths = [8, 12, 16, 16, 20, 22, 24, 24];
        var random = new SplitMix64(0x5A11);
        var prefixes = new HashSet<Ipv4Prefix>();
        while (prefixes.Count < count)
        {
            var first = 1 + random.NextBelow(223);
            if (first is 10 or 127) continue;
            var address = new Ipv4Address((uint)first << 24 | (uint)random.Next() & 0xFF_FFFF);
            prefixes.Add(new Ipv4Prefix(address, lengths[prefixes.Count % lengths.Length]));
        }
        return [.. prefixes.Select((prefix, i) => new Ipv4Route(prefix, (ushort)(1 + i % BenchDevices.Ports)))];
    }
}
