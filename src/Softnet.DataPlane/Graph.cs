namespace Softnet.DataPlane;

/// <summary>
/// The element graph of one device. Packets enter through <see cref="Enqueue"/>; <see cref="Run"/> hands each element
/// its pending vector, in the order the elements were added, until no packet is pending. A vector that fills up
/// is dispatched at once, so no element ever waits on more than <see cref="PacketBatch.MaxSize"/> packets.
/// </summary>
public sealed class Graph
{
    private readonly List<Element> _elements = [];
    private readonly Stack<PacketBatch> _spare = new();
    private bool _sealed;

    public Graph(PacketPool pool) => Pool = pool;

    public PacketPool Pool { get; }
    public IReadOnlyList<Element> Elements => _elements;

    public T Add<T>(T element) where T : Element
    {
        if (_sealed) throw new InvalidOperationException($"Cannot add '{element.Name}': the graph is sealed.");
        if (_elements.Exists(e => e.Name == element.Name)) throw new ArgumentException($"The graph already has an element named '{element.Name}'.", nameof(element));
        element.Attach(this);
        element.Order = _elements.Count;
        _elements.Add(element);
        _spare.Push(new PacketBatch());
        return element;
    }

    public void Connect(Element from, int output, Element to)
    {
        if (!_elements.Contains(from) || !_elements.Contains(to)) throw new ArgumentException($"Both '{from.Name}' and '{to.Name}' must be added to the graph before they are connected.");
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(output, from.Outputs.Count);
        from.Connect(output, to);
    }

    public void Connect(Element from, string output, Element to)
    {
        var index = IndexOf(from.Outputs, output);
        if (index < 0) throw new ArgumentException($"Element '{from.Name}' has no output '{output}' (it has: {string.Join(", ", from.Outputs)}).", nameof(output));
        Connect(from, index, to);
    }

    /// <summary>Checks that every output leads somewhere; after this the graph can run and no longer changes shape.</summary>
    public void Seal()
    {
        foreach (var element in _elements)
        {
            for (var i = 0; i < element.Outputs.Count; i++)
            {
                if (element.Target(i) is null) throw new InvalidOperationException($"Output '{element.Outputs[i]}' of element '{element.Name}' is not connected.");
            }
        }
        _sealed = true;
    }

    public void Enqueue(Element target, int packet)
    {
        var pending = target.Pending;
        pending.Add(packet);
        if (pending.IsFull) Dispatch(target);
    }

    /// <summary>Runs elements until no packet is pending anywhere in the graph.</summary>
    public void Run()
    {
        if (!_sealed) throw new InvalidOperationException("The graph must be sealed before it runs.");
        bool any;
        do
        {
            any = false;
            foreach (var element in _elements)
            {
                if (element.Pending.IsEmpty) continue;
                Dispatch(element);
                any = true;
            }
        }
        while (any);
    }

    private void Dispatch(Element element)
    {
        var batch = element.Pending;
        element.Pending = _spare.Count > 0 ? _spare.Pop() : new PacketBatch();
        element.CountReceived(batch.Count);
        element.Process(batch.Handles);
        batch.Clear();
        _spare.Push(batch);
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i] == name) return i;
        }
        return -1;
    }
}
