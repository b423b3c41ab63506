namespace Softnet.Hypervisor.Linux;

/// <summary>The scheduling priority (nice value) of the calling thread, as Linux keeps one per thread.</summary>
public static class ThreadNice
{
    private const int PriorityProcess = 0;

    /// <summary>
    /// Sets the calling thread's nice value (-20 to 19); false when the kernel refuses (a negative value needs root
    /// or CAP_SYS_NICE), and the thread keeps its priority.
    /// </summary>
    public static bool TrySet(int nice) => Libc.SetPriority(PriorityProcess, (uint)Libc.GetTid(), nice) == 0;
}
