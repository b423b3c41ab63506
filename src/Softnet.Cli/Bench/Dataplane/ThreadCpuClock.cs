using System.Runtime.InteropServices;

namespace Softnet.Cli.Bench.Dataplane;

/// <summary>
/// CPU time consumed by the calling thread (Linux CLOCK_THREAD_CPUTIME_ID). Compared with wall time it shows how much
/// of a run the thread actually ran: on a shared machine a run that lost the CPU to another process is visible.
/// </summary>
internal static class ThreadCpuClock
{
    private const int ClockThreadCpuTime = 3;

    /// <summary>The thread's CPU time so far, or null where it cannot be read.</summary>
    public static TimeSpan? Now()
    {
        if (!OperatingSystem.IsLinux() || clock_gettime(ClockThreadCpuTime, out var time) != 0) return null;
        return TimeSpan.FromTicks(time.Seconds * TimeSpan.TicksPerSecond + time.Nanoseconds / 100);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc")]
    private static extern int clock_gettime(int clock, out Timespec time);
}
