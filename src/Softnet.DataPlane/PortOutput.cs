namespace Softnet.DataPlane;

/// <summary>The graph's exit: queues each packet on the device port named by its <see cref="PacketMeta.OutputPort"/>.</summary>
public sealed class PortOutput : Element
{
    public PortOutput(Device device, string name = "port-output") : base(name, [], [])
    {
        Device = device;
    }

    public Device Device { get; }

    protected internal override void Process(ReadOnlySpan<int> packets)
    {
        var pool = Pool;
        var ports = Device.PortArray;
        foreach (var packet in packets) ports[pool.Meta(packet).OutputPort].Send(pool, packet);
    }
}
