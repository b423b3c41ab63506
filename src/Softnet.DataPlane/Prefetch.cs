using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Softnet.DataPlane;

/// <summary>
/// Asks the CPU to start loading a cache line that a later pass over a vector will read. Unlike a load, a prefetch
/// does not wait, so a loop can issue one for every packet of a vector and let the cache misses overlap. A hint
/// only: on CPUs without the instruction it does nothing.
/// </summary>
public static class Prefetch
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Read<T>(ref T location)
    {
        if (Sse.IsSupported) Sse.Prefetch0(Unsafe.AsPointer(ref location));
    }
}
