using System.Runtime.InteropServices;

namespace Softnet.Hypervisor.Tests.Linux;

/// <summary>Creates things (sockets) inside a test's network namespace, from a thread that enters it and then ends.</summary>
internal static class InNamespace
{
    private const int CloneNewNet = 0x40000000;

    public static T Create<T>(string ns, Func<T> create)
    {
        T? result = default;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var target = File.OpenHandle($"/run/netns/{ns}");
                if (setns((int)target.DangerousGetHandle(), CloneNewNet) != 0)
                    throw new IOException($"setns into {ns} failed (errno {Marshal.GetLastPInvokeError()}).");
                result = create();
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null) throw new InvalidOperationException($"Creating inside {ns} failed.", failure);
        return result!;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int setns(int fd, int nstype);
}
