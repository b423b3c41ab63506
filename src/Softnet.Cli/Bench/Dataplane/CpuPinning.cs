using System.Runtime.InteropServices;

namespace Softnet.Cli.Bench.Dataplane;

/// <summary>
/// Pins the calling thread to one CPU while it measures, so that the scheduler does not move it between cores (and
/// caches) mid-run, and restores the thread's CPU set when disposed. On Linux this is sched_setaffinity on the calling
/// thread only: the runtime's other threads (the tiered JIT's background compiler, finalizer) keep every CPU.
/// Elsewhere the thread is left unpinned.
/// </summary>
internal sealed class CpuPinning : IDisposable
{
    // glibc's cpu_set_t: 1024 bits.
    private const int MaskWords = 16;

    private readonly ulong[]? _previous;

    private CpuPinning(int? cpu, ulong[]? previous, string description)
    {
        Cpu = cpu;
        _previous = previous;
        Description = description;
    }

    /// <summary>The CPU the thread runs on, or null when it could not be pinned.</summary>
    public int? Cpu { get; }

    /// <summary>What was done, for the report.</summary>
    public string Description { get; }

    /// <summary>Pins the calling thread to the highest-numbered CPU it may run on (CPU 0 tends to take more interrupts).</summary>
    public static CpuPinning PinCurrentThread()
    {
        if (!OperatingSystem.IsLinux()) return new CpuPinning(null, null, "thread not pinned (pinning is implemented on Linux only)");
        var previous = new ulong[MaskWords];
        if (sched_getaffinity(0, MaskWords * sizeof(ulong), previous) != 0)
            return new CpuPinning(null, null, $"thread not pinned (sched_getaffinity failed, errno {Marshal.GetLastPInvokeError()})");
        var cpu = -1;
        for (var i = MaskWords * 64 - 1; i >= 0 && cpu < 0; i--)
        {
            if ((previous[i / 64] >> (i % 64) & 1) != 0) cpu = i;
        }
        var mask = new ulong[MaskWords];
        mask[cpu / 64] = 1UL << (cpu % 64);
        if (sched_setaffinity(0, MaskWords * sizeof(ulong), mask) != 0)
            return new CpuPinning(null, null, $"thread not pinned (sched_setaffinity failed, errno {Marshal.GetLastPInvokeError()})");
        return new CpuPinning(cpu, previous, $"measuring thread pinned to CPU {cpu} of {Environment.ProcessorCount} (sched_setaffinity)");
    }

    public void Dispose()
    {
        if (_previous is not null) _ = sched_setaffinity(0, MaskWords * sizeof(ulong), _previous);
    }

    // pid 0 is the calling thread. DllImport rather than LibraryImport: the CLI is not compiled with unsafe code, and
    // a blittable array needs no marshalling stub anyway.
    [DllImport("libc", SetLastError = true)]
    private static extern int sched_setaffinity(int pid, nint size, ulong[] mask);

    [DllImport("libc", SetLastError = true)]
    private static extern int sched_getaffinity(int pid, nint size, [Out] ulong[] mask);
}
