using Softnet.DataPlane;

namespace Softnet.DataPlane.Tests;

/// <summary>Sends packets whose first byte is even to output 0, odd to output 1, and drops empty ones.</summary>
internal sealed class ParitySplitter() : PacketElement("parity", ["even", "odd"], ["empty"])
{
    protected override int Push(int packet)
    {
        var data = Pool.Data(packet);
        if (data.IsEmpty) return DropWith(0);
        return data[0] % 2;
    }
}

/// <summary>Collects packets handed to it (and frees them) so that tests can look at what arrived.</summary>
internal sealed class Sink(string name) : Element(name, [], [])
{
    public List<byte[]> Frames { get; } = [];
    public List<int> VectorSizes { get; } = [];

    protected override void Process(ReadOnlySpan<int> packets)
    {
        VectorSizes.Add(packets.Length);
        foreach (var packet in packets)
        {
            Frames.Add(Pool.Data(packet).ToArray());
            Pool.Free(packet);
        }
    }
}

/// <summary>Increments the first byte and sends the packet back to the splitter until it reaches a limit: a cycle.</summary>
internal sealed class Incrementer(byte limit) : PacketElement("increment", ["again", "done"], [])
{
    protected override int Push(int packet)
    {
        var data = Pool.Data(packet);
        data[0]++;
        return data[0] >= limit ? 1 : 0;
    }
}
