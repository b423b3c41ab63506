namespace Softnet.Wire;

/// <summary>Walks an MPLS label stack: entries up to and including the one with the bottom-of-stack bit.</summary>
public static class MplsStack
{
    /// <summary>The deepest stack accepted; deeper stacks are treated as malformed so a walk is always bounded.</summary>
    public const int MaxDepth = 16;

    /// <summary>
    /// Counts the entries at the start of <paramref name="buffer"/> through the bottom of stack; the packet underneath
    /// starts at <c>depth * MplsHeader.Size</c>. Returns false if the buffer ends first or the stack exceeds <see cref="MaxDepth"/>.
    /// </summary>
    public static bool TryGetDepth(ReadOnlySpan<byte> buffer, out int depth)
    {
        for (depth = 1; depth <= MaxDepth && depth * MplsHeader.Size <= buffer.Length; depth++)
        {
            // The S bit is the least significant bit of the third byte of an entry.
            if ((buffer[depth * MplsHeader.Size - 2] & 0x01) != 0) return true;
        }
        depth = 0;
        return false;
    }
}
