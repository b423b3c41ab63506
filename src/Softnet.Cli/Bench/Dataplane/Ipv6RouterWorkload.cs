using Softnet.Cli.Bench.RoutingData;
using Softnet.DataPlane;
using Softnet.DataPlane.Fib;
using Softnet.DataPlane.Ports;
using Softnet.Devices.Ip;
using Softnet.Wire;

namespace Softnet.Cli.Bench.Dataplane;

/// <summary>
/// The IPv6 counterpart of <see cref="Ipv4RouterWorkload"/>: a 16-port router with a static neighbour on each port,
/// the augmented IPv6 table (the real prefixes grown to 250,000 with nested more-specifics and aggregates) installed
/// with <c>IpStack.LoadRoutes</c>, and 62-byte UDP/IPv6 frames to random destinations across the routed space.
/// </summary>
internal sealed class Ipv6RouterWorkload(string key, int distinctFrames, long packetsPerRun, Target? target)
    : Workload(key, "router, 16 ports, real IPv6 prefixes augmented to 250,000, random routed destinations", packetsPerRun, target)
{
    public override bool NeedsRoutingData => true;

    public override Trial Prepare(BenchTables tables)
    {
        var table = tables.Ipv6Full;
        var router = new Router("r1", new PacketPool(BenchDevices.PoolCapacity));
        var (_, neighbours) = BenchDevices.AddPorts(router);
        router.Stack.LoadRoutes(table.Select(r => (r.Prefix, r.NextHop - 1)).ToList(), neighbours);

        var destinations = ForwardedDestinations(router.Stack, table, distinctFrames);
        var frame = new byte[BenchFrames.Ipv6Length];
        var sources = Enumerable.Range(0, BenchDevices.Ports).Select(_ => new FrameSource(router.Pool)).ToArray();
        for (var i = 0; i < destinations.Length; i++)
        {
            var port = i % sources.Length;
            sources[port].Add(BenchFrames.Udp6(frame, router.Ports[port].Mac, BenchDevices.SenderMac(port),
                BenchFrames.Ipv6Source(i), new Ipv6Address(destinations[i]), (ushort)(1024 + i), 9));
        }

        var trial = new DeviceTrial(router, sources.Select((source, port) => (port, source)));
        var fib = router.Stack.Fib6;
        trial.AddFact("fib_bytes", fib.MemoryBytes);
        trial.AddFact("fib_rule_store_bytes", fib.RuleStoreBytes);
        trial.AddFact("routes", fib.Count);
        trial.AddFact("real_prefixes", tables.Ipv6RealCount);
        trial.AddFact("neighbours", neighbours.Count);
        return trial;
    }

    /// <summary>Destinations drawn from the table's routes that the router forwards to a neighbour (see <see cref="Ipv4RouterWorkload"/>).</summary>
    private static UInt128[] ForwardedDestinations(IpStack stack, Ipv6Route[] table, int count)
    {
        var kept = new UInt128[count];
        var drawn = new UInt128[count];
        var filled = 0;
        for (ulong round = 1; filled < count; round++)
        {
            if (round > 16) throw new BenchmarkFailure($"Fewer than {count:N0} of {16 * count:N0} random destinations are forwarded by the routes.");
            DestinationGenerator.Fill(table, round, drawn);
            foreach (var destination in drawn)
            {
                var address = new Ipv6Address(destination);
                if (address.IsMulticast || address.IsLinkLocal || stack.Lookup(address) is not { Kind: ForwardingKind.Forward }) continue;
                kept[filled++] = destination;
                if (filled == count) break;
            }
        }
        return kept;
    }
}
