using Microsoft.Win32.SafeHandles;

namespace Softnet.Cli.Bench.Isolation;

/// <summary>
/// How long some threads have been ready to run but kept off their CPU by another thread (Linux schedstat's second
/// field, in nanoseconds). Read between measurement windows, it tells which windows another process disturbed.
/// Reading allocates nothing: the files stay open and are re-read in place. Where schedstat is missing it reads 0.
/// </summary>
internal sealed class CpuWaitClock : IDisposable
{
    private readonly SafeFileHandle[] _files;
    private readonly byte[] _buffer = new byte[128];

    private CpuWaitClock(SafeFileHandle[] files) => _files = files;

    /// <summary>The calling thread and the given threads of this process.</summary>
    public static CpuWaitClock For(IEnumerable<int> threads)
    {
        if (!OperatingSystem.IsLinux()) return new CpuWaitClock([]);
        var paths = threads.Select(t => $"/proc/self/task/{t}/schedstat").Prepend("/proc/thread-self/schedstat");
        return new CpuWaitClock([.. paths.Where(File.Exists).Select(p => File.OpenHandle(p))]);
    }

    /// <summary>Nanoseconds the threads have waited for a CPU so far, summed.</summary>
    public long Waited()
    {
        long total = 0;
        foreach (var file in _files)
        {
            var n = RandomAccess.Read(file, _buffer, 0);
            total += SecondField(_buffer.AsSpan(0, n));
        }
        return total;
    }

    public void Dispose()
    {
        foreach (var file in _files) file.Dispose();
    }

    private static long SecondField(ReadOnlySpan<byte> line)
    {
        var space = line.IndexOf((byte)' ');
        long value = 0;
        for (var i = space + 1; space >= 0 && i < line.Length && line[i] is >= (byte)'0' and <= (byte)'9'; i++) value = value * 10 + (line[i] - '0');
        return value;
    }
}
