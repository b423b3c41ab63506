namespace Softnet.DataPlane;

/// <summary>
/// A node of a device's graph. It declares its outputs and drop reasons by name; the graph wires every output to the
/// next element and hands the element a whole vector of packets at a time. For each packet the element must
/// <see cref="Emit"/> it, <see cref="Drop"/> it with a reason, or <see cref="Hold"/> it in a queue of its own.
/// </summary>
/// <remarks>
/// <see cref="Process"/> may be re-entered when a packet it emits comes back to it through a cycle (an ICMP reply
/// routed by the same lookup), so per-vector state lives in locals, never in fields.
/// </remarks>
public abstract class Element
{
    private Element?[] _targets;
    private Graph? _graph;

    protected Element(string name, string[] outputs, string[] dropReasons)
    {
        Name = name;
        Outputs = outputs;
        DropReasons = dropReasons;
        _targets = new Element?[outputs.Length];
        Counters = new ElementCounters(outputs.Length, dropReasons.Length);
    }

    public string Name { get; }
    public IReadOnlyList<string> Outputs { get; }
    public IReadOnlyList<string> DropReasons { get; }
    public ElementCounters Counters { get; }

    /// <summary>The element each output leads to (null while unconnected).</summary>
    public Element? Target(int output) => _targets[output];

    internal PacketBatch Pending { get; set; } = new();
    internal int Order { get; set; }

    protected Graph Graph => _graph ?? throw new InvalidOperationException($"Element '{Name}' is not part of a graph.");
    protected PacketPool Pool => Graph.Pool;

    /// <summary>Handles one vector of packets; every packet must be emitted, dropped or held.</summary>
    protected internal abstract void Process(ReadOnlySpan<int> packets);

    protected void Emit(int output, int packet)
    {
        Counters.CountEmit(output);
        Graph.Enqueue(_targets[output]!, packet);
    }

    protected void Drop(int reason, int packet)
    {
        Counters.CountDrop(reason);
        Pool.Free(packet);
    }

    /// <summary>Records that the element keeps a packet for now; it must later emit or drop it.</summary>
    protected void Hold() => Counters.Held++;

    internal void Attach(Graph graph)
    {
        if (_graph is not null && _graph != graph) throw new InvalidOperationException($"Element '{Name}' already belongs to another graph.");
        _graph = graph;
    }

    internal void Connect(int output, Element target) => _targets[output] = target;

    internal void CountReceived(int count) => Counters.Received += count;
}
