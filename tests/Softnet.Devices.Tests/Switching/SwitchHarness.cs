using Softnet.DataPlane;
using Softnet.DataPlane.Ports;
using Softnet.Devices.Switching;

namespace Softnet.Devices.Tests.Switching;

/// <summary>A switch whose every port is wired to an in-memory link that the test drives from the far end, on a manual clock.</summary>
internal sealed class SwitchHarness
{
    private readonly Dictionary<string, InMemoryLink> _links = [];
    private readonly DeviceLoop _loop;

    public SwitchHarness(SwitchOptions? options = null, int poolCapacity = 4096)
    {
        Clock = new ManualClock();
        Pool = new PacketPool(poolCapacity);
        Switch = new L2Switch("s1", Pool, options);
        _loop = new DeviceLoop(Clock);
        _loop.Add(Switch);
    }

    public ManualClock Clock { get; }
    public PacketPool Pool { get; }
    public L2Switch Switch { get; }

    public DevicePort AddPort(string name, SwitchPortMode mode)
    {
        var port = Switch.AddPort(name, mode);
        var link = new InMemoryLink();
        port.Attach(link.A);
        _links.Add(name, link);
        return port;
    }

    /// <summary>Puts the frames on the wire towards port <paramref name="port"/> and runs the switch until idle.</summary>
    public void Send(string port, params byte[][] frames)
    {
        foreach (var frame in frames)
        {
            Assert.True(Pool.TryAllocate(frame, out var handle));
            Assert.Equal(1, _links[port].B.Transmit([handle]));
        }
        _loop.RunUntilIdle();
    }

    /// <summary>Takes (and frees) every frame the switch sent out of <paramref name="port"/>.</summary>
    public List<byte[]> Take(string port)
    {
        var frames = new List<byte[]>();
        var handles = new int[64];
        int n;
        while ((n = _links[port].B.Receive(handles)) > 0)
        {
            foreach (var handle in handles.AsSpan(0, n))
            {
                frames.Add(Pool.Data(handle).ToArray());
                Pool.Free(handle);
            }
        }
        return frames;
    }

    /// <summary>Takes the frames sent out of every port, by port name.</summary>
    public Dictionary<string, List<byte[]>> TakeAll() => _links.Keys.ToDictionary(name => name, Take);

    /// <summary>Packets dropped for <paramref name="reason"/>, summed over the switch's elements.</summary>
    public long Dropped(string reason)
    {
        long sum = 0;
        foreach (var element in Switch.Graph.Elements)
        {
            for (var i = 0; i < element.DropReasons.Count; i++)
            {
                if (element.DropReasons[i] == reason) sum += element.Counters.Dropped(i);
            }
        }
        return sum;
    }

    public long TotalDropped => Switch.Graph.Elements.Sum(e => e.Counters.TotalDropped);
}
