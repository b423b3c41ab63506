using Softnet.Devices.Ip;
using Softnet.Wire;

namespace Softnet.Devices.Mpls;

public enum LabelAction
{
    /// <summary>Replace the top label and send to the next hop.</summary>
    Swap,

    /// <summary>Remove the top label and send what is under it to the next hop (penultimate-hop popping).</summary>
    Pop,

    /// <summary>Remove the top label and process what is under it here (egress LER, explicit null).</summary>
    PopAndLookup,
}

/// <summary>One entry of the label forwarding table: what to do with packets arriving with <see cref="Incoming"/>.</summary>
public sealed record LabelBinding(MplsLabel Incoming, LabelAction Action, MplsLabel Outgoing, Adjacency? Adjacency);

/// <summary>
/// The LFIB of an LSR: incoming label → action. Direct-indexed in two levels of 1024 (the 20-bit label space), so a
/// lookup is two array reads and an empty table costs 8 KiB.
/// </summary>
public sealed class LabelTable(IpStack stack)
{
    private const int ChunkBits = 10;
    private const int ChunkSize = 1 << ChunkBits;

    private readonly LabelBinding?[]?[] _chunks = new LabelBinding?[]?[ChunkSize];
    private readonly LabelBinding _explicitNull4 = new(MplsLabel.Ipv4ExplicitNull, LabelAction.PopAndLookup, MplsLabel.ImplicitNull, null);
    private readonly LabelBinding _explicitNull6 = new(MplsLabel.Ipv6ExplicitNull, LabelAction.PopAndLookup, MplsLabel.ImplicitNull, null);

    public int Count { get; private set; }

    public IpStack Stack => stack;

    public LabelBinding? Lookup(MplsLabel label)
    {
        var value = label.Value;
        var chunk = _chunks[value >> ChunkBits];
        var binding = chunk?[value & (ChunkSize - 1)];
        if (binding is not null) return binding;
        return value == 0 ? _explicitNull4 : value == 2 ? _explicitNull6 : null;
    }

    /// <summary>Swaps <paramref name="incoming"/> for <paramref name="outgoing"/> towards a next hop; an implicit-null outgoing label pops (PHP).</summary>
    public LabelBinding Swap(MplsLabel incoming, MplsLabel outgoing, int port, IpFamily family, UInt128 nextHop)
    {
        var action = outgoing == MplsLabel.ImplicitNull ? LabelAction.Pop : LabelAction.Swap;
        return Set(new LabelBinding(incoming, action, outgoing, stack.AdjacencyFor(port, family, nextHop, null)));
    }

    /// <summary>Pops <paramref name="incoming"/> and processes the packet under it on this device (egress).</summary>
    public LabelBinding PopAndLookup(MplsLabel incoming) => Set(new LabelBinding(incoming, LabelAction.PopAndLookup, MplsLabel.ImplicitNull, null));

    public bool Remove(MplsLabel incoming)
    {
        var chunk = _chunks[incoming.Value >> ChunkBits];
        var index = incoming.Value & (ChunkSize - 1);
        if (chunk?[index] is null) return false;
        chunk[index] = null;
        Count--;
        return true;
    }

    public IEnumerable<LabelBinding> Bindings() =>
        _chunks.Where(c => c is not null).SelectMany(c => c!).Where(b => b is not null).Select(b => b!);

    private LabelBinding Set(LabelBinding binding)
    {
        if (binding.Incoming.IsReserved) throw new ArgumentException($"Label {binding.Incoming} is reserved (0-15); bindings use labels from 16.", nameof(binding));
        var value = binding.Incoming.Value;
        var chunk = _chunks[value >> ChunkBits] ??= new LabelBinding?[ChunkSize];
        ref var slot = ref chunk[value & (ChunkSize - 1)];
        if (slot is null) Count++;
        slot = binding;
        return binding;
    }
}
