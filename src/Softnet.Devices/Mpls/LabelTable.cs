using Softnet.Devices.Ip;
using Softnet.Wire;

namespace Softnet.Devices.Mpls;

public enum LabelAction : byte
{
    /// <summary>Replace the top label and send to the next hop.</summary>
    Swap = 1,

    /// <summary>Remove the top label and send what is under it to the next hop (penultimate-hop popping).</summary>
    Pop,

    /// <summary>Remove the top label and process what is under it here (egress LER, explicit null).</summary>
    PopAndLookup,
}

/// <summary>One entry of the label forwarding table: what to do with packets arriving with <see cref="Incoming"/>.</summary>
public sealed record LabelBinding(MplsLabel Incoming, LabelAction Action, MplsLabel Outgoing, Adjacency? Adjacency);

/// <summary>An LFIB slot as the forwarding path reads it: 12 bytes, no reference to follow.</summary>
internal struct LabelEntry
{
    public LabelAction Action;
    public uint Outgoing;
    public int Adjacency;
}

/// <summary>
/// The LFIB of an LSR: incoming label → action. Direct-indexed in two levels of 1024 (the 20-bit label space) with
/// value-type entries, so a lookup is two array reads and an empty table costs 8 KiB. Labels 0 and 2 (explicit
/// null) pop and process the packet here unless bound otherwise.
/// </summary>
public sealed class LabelTable(IpStack stack)
{
    private const int ChunkBits = 10;
    private const int ChunkSize = 1 << ChunkBits;

    private readonly LabelEntry[]?[] _chunks = new LabelEntry[]?[ChunkSize];

    public int Count { get; private set; }

    public IpStack Stack => stack;

    public LabelBinding? Lookup(MplsLabel label) => TryLookup(label.Value, out var entry) ? ToBinding(label.Value, entry) : null;

    internal bool TryLookup(uint label, out LabelEntry entry)
    {
        var chunk = _chunks[label >> ChunkBits];
        if (chunk is not null)
        {
            entry = chunk[label & (ChunkSize - 1)];
            if (entry.Action != 0) return true;
        }
        entry = new LabelEntry { Action = label is 0 or 2 ? LabelAction.PopAndLookup : 0 };
        return entry.Action != 0;
    }

    /// <summary>Swaps <paramref name="incoming"/> for <paramref name="outgoing"/> towards a next hop; an implicit-null outgoing label pops (PHP).</summary>
    public LabelBinding Swap(MplsLabel incoming, MplsLabel outgoing, int port, IpFamily family, UInt128 nextHop)
    {
        var action = outgoing == MplsLabel.ImplicitNull ? LabelAction.Pop : LabelAction.Swap;
        var adjacency = stack.AdjacencyFor(port, family, nextHop, null);
        return Set(incoming, new LabelEntry { Action = action, Outgoing = outgoing.Value, Adjacency = adjacency.Id });
    }

    /// <summary>Pops <paramref name="incoming"/> and processes the packet under it on this device (egress).</summary>
    public LabelBinding PopAndLookup(MplsLabel incoming) => Set(incoming, new LabelEntry { Action = LabelAction.PopAndLookup, Adjacency = -1 });

    public bool Remove(MplsLabel incoming)
    {
        var chunk = _chunks[incoming.Value >> ChunkBits];
        var index = incoming.Value & (ChunkSize - 1);
        if (chunk is null || chunk[index].Action == 0) return false;
        chunk[index] = default;
        Count--;
        return true;
    }

    public IEnumerable<LabelBinding> Bindings()
    {
        for (var c = 0; c < _chunks.Length; c++)
        {
            if (_chunks[c] is not { } chunk) continue;
            for (var i = 0; i < chunk.Length; i++)
            {
                if (chunk[i].Action != 0) yield return ToBinding((uint)(c << ChunkBits | i), chunk[i]);
            }
        }
    }

    private LabelBinding ToBinding(uint label, LabelEntry entry) =>
        new(new MplsLabel(label), entry.Action, new MplsLabel(entry.Outgoing), entry.Adjacency >= 0 ? stack.AdjacencyAt(entry.Adjacency) : null);

    private LabelBinding Set(MplsLabel incoming, LabelEntry entry)
    {
        if (incoming.IsReserved) throw new ArgumentException($"Label {incoming} is reserved (0-15); bindings use labels from 16.", nameof(incoming));
        var value = incoming.Value;
        var chunk = _chunks[value >> ChunkBits] ??= new LabelEntry[ChunkSize];
        ref var slot = ref chunk[value & (ChunkSize - 1)];
        if (slot.Action == 0) Count++;
        slot = entry;
        return ToBinding(value, entry);
    }
}
