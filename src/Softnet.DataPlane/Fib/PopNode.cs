namespace Softnet.DataPlane.Fib;

/// <summary>
/// A Poptrie node (Asai and Ohara, SIGCOMM 2015) over a 6-bit stride: bit i of <see cref="Vector"/> says that
/// slot i continues in a child node, the children being stored consecutively from <see cref="ChildBase"/>; the
/// other slots are leaves, and <see cref="LeafVector"/> marks where each run of equal leaves starts, one stored
/// leaf per run from <see cref="LeafBase"/>. Popcounts of the bits below a slot give its child or leaf index.
/// </summary>
internal readonly record struct PopNode(ulong Vector, ulong LeafVector, int ChildBase, int LeafBase);
