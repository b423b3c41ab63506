namespace Softnet.DataPlane;

/// <summary>
/// Adapter for elements written one packet at a time (Click's simple_action): <see cref="Push"/> returns the output
/// to send the packet to, or a drop reason made by <see cref="DropWith"/>, or <see cref="Kept"/>.
/// </summary>
public abstract class PacketElement : Element
{
    /// <summary>The element took the packet into its own keeping (see <see cref="Element.Hold"/>).</summary>
    protected const int Kept = int.MinValue;

    protected PacketElement(string name, string[] outputs, string[] dropReasons) : base(name, outputs, dropReasons)
    {
    }

    /// <summary>Encodes drop reason <paramref name="reason"/> as a return value of <see cref="Push"/>.</summary>
    protected static int DropWith(int reason) => -1 - reason;

    protected abstract int Push(int packet);

    protected internal sealed override void Process(ReadOnlySpan<int> packets)
    {
        foreach (var packet in packets)
        {
            var verdict = Push(packet);
            if (verdict >= 0) Emit(verdict, packet);
            else if (verdict == Kept) Hold();
            else Drop(-1 - verdict, packet);
        }
    }
}
