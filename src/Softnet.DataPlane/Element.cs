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
    private PacketPool? _pool;

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

    /// <summary>The pool of the element's graph (set when the element is added to a graph; the graph calls <see cref="Process"/> only then).</summary>
    protected PacketPool Pool => _pool!;

    /// <summary>Handles one vector of packets; every packet must be emitted, dropped or held.</summary>
    protected internal abstract void Process(ReadOnlySpan<int> packets);

    protected void Emit(int output, int packet)
    {
        Counters.CountEmit(output);
        _graph!.Enqueue(_targets[output]!, packet);
    }

    protected void Drop(int reason, int packet)
    {
        Counters.CountDrop(reason);
        _pool!.Free(packet);
    }

    /// <summary>Counts a packet lost for <paramref name="reason"/> that never existed as a buffer (a copy that could not be made).</summary>
    protected void CountDrop(int reason) => Counters.CountDrop(reason);

    /// <summary>Records that the element keeps a packet for now; it must later emit or drop it.</summary>
    protected void Hold() => Counters.Held++;

    internal void Attach(Graph graph)
    {
        if (_graph is not null && _graph != graph) throw new InvalidOperationException($"Element '{Name}' already belongs to another graph.");
        _graph = graph;
        _pool = graph.Pool;
    }

    internal void Connect(int output, Element target) => _targets[output] = target;

    internal void CountReceived(int count) => Counters.Received += count;
}
