using System.Globalization;
using System.Runtime.InteropServices;

namespace Softnet.Cli.Bench.Isolation;

/// <summary>
/// A hypervisor's worker threads as Linux sees them (by the thread ids it gives): pinned to the CPUs the
/// generator does not use, so that the node's capacity is one core of its own, and their CPU time read from
/// schedstat, so that a run in which another process took the workers' core shows. Elsewhere nothing is done.
/// </summary>
internal sealed class WorkerThreads
{
    private const int MaskWords = 16;

    private readonly int[] _threads;

    private WorkerThreads(int[] threads, string description)
    {
        _threads = threads;
        Description = description;
    }

    public int Count => _threads.Length;

    /// <summary>The workers' thread ids (empty where they were not found).</summary>
    public IReadOnlyList<int> Ids => _threads;

    /// <summary>Where the workers run, for the report.</summary>
    public string Description { get; }

    /// <summary>
    /// Pins <paramref name="workers"/> (<see cref="Softnet.Hypervisor.Runtime.Hypervisor.WorkerThreadIds"/>) to every
    /// CPU they may use but <paramref name="generatorCpu"/>. Workers inherit the CPU set of the thread that started
    /// them: start the hypervisor before pinning the generator.
    /// </summary>
    public static WorkerThreads Pin(IReadOnlyList<int> workers, int? generatorCpu)
    {
        if (!OperatingSystem.IsLinux()) return new WorkerThreads([], "workers not pinned (Linux only)");
        int[] threads = [.. workers];
        var mask = new ulong[MaskWords];
        if (generatorCpu is not { } taken || threads.Length == 0 || sched_getaffinity(threads[0], MaskWords * sizeof(ulong), mask) != 0)
            return new WorkerThreads(threads, $"{threads.Length} worker(s) not pinned");
        mask[taken / 64] &= ~(1UL << (taken % 64));
        var cpus = Enumerable.Range(0, MaskWords * 64).Where(c => (mask[c / 64] >> (c % 64) & 1) != 0).ToList();
        if (cpus.Count == 0) return new WorkerThreads(threads, $"{threads.Length} worker(s) share the generator's only CPU");
        foreach (var thread in threads)
        {
            if (sched_setaffinity(thread, MaskWords * sizeof(ulong), mask) != 0)
                return new WorkerThreads(threads, $"workers not pinned (sched_setaffinity failed, errno {Marshal.GetLastPInvokeError()})");
        }
        return new WorkerThreads(threads, $"{threads.Length} worker(s) pinned to CPU {string.Join(",", cpus)}");
    }

    /// <summary>
    /// Time the workers have spent so far on a CPU, and waiting for one while runnable (another thread had it), or
    /// null where it cannot be read.
    /// </summary>
    public (TimeSpan OnCpu, TimeSpan Waiting)? Times()
    {
        if (_threads.Length == 0) return null;
        long onCpu = 0, waiting = 0;
        foreach (var thread in _threads)
        {
            // schedstat: time on the CPU (ns), time runnable but waiting for it (ns), timeslices.
            var fields = Read($"/proc/self/task/{thread}/schedstat")?.Split(' ');
            if (fields is not { Length: >= 2 }
                || !long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ran)
                || !long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var waited))
                return null;
            onCpu += ran;
            waiting += waited;
        }
        return (TimeSpan.FromTicks(onCpu / 100), TimeSpan.FromTicks(waiting / 100));
    }

    private static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }

    // pid is a thread id (0: the calling thread). As in CpuPinning: DllImport, a blittable array needs no stub.
    [DllImport("libc", SetLastError = true)]
    private static extern int sched_setaffinity(int pid, nint size, ulong[] mask);

    [DllImport("libc", SetLastError = true)]
    private static extern int sched_getaffinity(int pid, nint size, [Out] ulong[] mask);
}
