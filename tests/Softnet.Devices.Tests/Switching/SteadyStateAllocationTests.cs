using Softnet.DataPlane;
using Softnet.DataPlane.Ports;
using Softnet.Devices.Switching;
using static Softnet.Devices.Tests.Switching.SwitchFrames;

namespace Softnet.Devices.Tests.Switching;

public sealed class SteadyStateAllocationTests
{
    private const int InFlight = 256;

    /// <summary>
    /// Two hosts ping-pong frames through an access port and a trunk: every frame is learned from, looked up, tagged
    /// or untagged, transmitted, and then turned around (addresses swapped) and injected again by the far end.
    /// </summary>
    [Fact]
    public void Forwarding_a_million_frames_allocates_nothing()
    {
        var clock = new ManualClock();
        var pool = new PacketPool(1024);
        var sw = new L2Switch("s1", pool);
        var hostA = new InMemoryLink();
        var hostB = new InMemoryLink();
        sw.AddPort("eth0", SwitchPortMode.Access(10)).Attach(hostA.A);
        sw.AddPort("eth1", SwitchPortMode.Trunk([10, 20])).Attach(hostB.A);
        var loop = new DeviceLoop(clock);
        loop.Add(sw);
        var frames = new int[InFlight];
        for (var i = 0; i < InFlight; i++) Assert.True(pool.TryAllocate(Untagged(B, A, payloadLength: 50), out frames[i]));
        Assert.Equal(InFlight, hostA.B.Transmit(frames));

        Bounce(clock, loop, pool, hostA.B, hostB.B, frames, rounds: 200);
        var forwarded = sw.Ports[0].Counters.TxPackets + sw.Ports[1].Counters.TxPackets;
        var before = GC.GetAllocatedBytesForCurrentThread();
        Bounce(clock, loop, pool, hostA.B, hostB.B, frames, rounds: 4000);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        forwarded = sw.Ports[0].Counters.TxPackets + sw.Ports[1].Counters.TxPackets - forwarded;

        Assert.Equal(0, allocated);
        Assert.Equal(4000L * InFlight, forwarded);
        Assert.Equal(InFlight, pool.InUse);
        Assert.Equal(0, sw.Graph.Elements.Sum(e => e.Counters.TotalDropped));
        Assert.Equal(2, sw.MacTable.Count);
    }

    private static void Bounce(ManualClock clock, DeviceLoop loop, PacketPool pool, InMemoryLink.End a, InMemoryLink.End b, int[] frames, int rounds)
    {
        for (var round = 0; round < rounds; round++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(1));
            loop.RunOnce();
            TurnAround(pool, a, frames);
            TurnAround(pool, b, frames);
        }
    }

    private static void TurnAround(PacketPool pool, InMemoryLink.End end, int[] frames)
    {
        var n = end.Receive(frames);
        for (var i = 0; i < n; i++) SwapAddresses(pool.Data(frames[i]));
        end.Transmit(frames.AsSpan(0, n));
    }

    private static void SwapAddresses(Span<byte> frame)
    {
        Span<byte> destination = stackalloc byte[6];
        frame[..6].CopyTo(destination);
        frame[6..12].CopyTo(frame);
        destination.CopyTo(frame[6..]);
    }
}
