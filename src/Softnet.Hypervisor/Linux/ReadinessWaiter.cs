using System.Runtime.InteropServices;

namespace Softnet.Hypervisor.Linux;

/// <summary>
/// Where idle workers sleep: an epoll set of file descriptors (level-triggered, readable) plus an eventfd that
/// <see cref="Wake"/> signals from any thread. Add, Remove and Wait belong to the owning thread(s); dispose only
/// after no thread waits any more.
/// </summary>
public sealed unsafe class ReadinessWaiter : IDisposable
{
    private const int EpollCtlAdd = 1, EpollCtlDel = 2;
    private const uint EpollIn = 0x001;
    private const int EpollCloexec = Libc.O_CLOEXEC, EfdNonblock = Libc.O_NONBLOCK, EfdCloexec = Libc.O_CLOEXEC;
    private const int MaxEvents = 32;

    // struct epoll_event is packed on x86-64 (12 bytes, data at 4) and naturally aligned elsewhere (16 bytes, data at 8).
    private static readonly int EventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;
    private static readonly int DataField = EventSize - sizeof(ulong);

    private byte* _events;
    private int _epoll = -1;
    private int _wake = -1;

    public ReadinessWaiter()
    {
        _events = (byte*)NativeMemory.AllocZeroed((nuint)(MaxEvents * EventSize));
        _epoll = Libc.EpollCreate1(EpollCloexec);
        if (_epoll < 0) throw Libc.Error("epoll_create1");
        _wake = Libc.EventFd(0, EfdNonblock | EfdCloexec);
        if (_wake < 0) throw Libc.Error("eventfd");
        Add(_wake);
    }

    ~ReadinessWaiter() => Release();

    /// <summary>Wakes <see cref="Wait"/> whenever <paramref name="fd"/> is readable (or in error).</summary>
    public void Add(int fd) => Control(EpollCtlAdd, fd, "Adding fd {0} to epoll");

    public void Remove(int fd) => Control(EpollCtlDel, fd, "Removing fd {0} from epoll");

    /// <summary>
    /// Sleeps until a descriptor is readable, <see cref="Wake"/> is called (before or during the wait), or
    /// <paramref name="timeoutMs"/> passes (-1: no limit). True unless the time ran out; a signal also returns true.
    /// </summary>
    public bool Wait(int timeoutMs)
    {
        ObjectDisposedException.ThrowIf(_epoll < 0, this);
        var count = Libc.EpollWait(_epoll, _events, MaxEvents, timeoutMs);
        if (count < 0)
        {
            if (Marshal.GetLastPInvokeError() == Libc.EINTR) return true;
            throw Libc.Error("epoll_wait");
        }
        for (var i = 0; i < count; i++)
        {
            if (*(ulong*)(_events + i * EventSize + DataField) != (ulong)_wake) continue;
            ulong value;
            Libc.Read(_wake, &value, sizeof(ulong));
        }
        return count > 0;
    }

    /// <summary>Makes the current or next <see cref="Wait"/> return; safe from any thread; wakes coalesce.</summary>
    public void Wake()
    {
        var wake = _wake;
        ObjectDisposedException.ThrowIf(wake < 0, this);
        ulong one = 1;
        Libc.Write(wake, &one, sizeof(ulong));
    }

    public void Dispose()
    {
        Release();
        GC.SuppressFinalize(this);
    }

    private void Control(int operation, int fd, string what)
    {
        ObjectDisposedException.ThrowIf(_epoll < 0, this);
        var ev = stackalloc byte[16];
        *(uint*)ev = EpollIn;
        *(ulong*)(ev + DataField) = (ulong)fd;
        if (Libc.EpollCtl(_epoll, operation, fd, ev) < 0) throw Libc.Error(string.Format(what, fd));
    }

    private void Release()
    {
        if (_wake >= 0) Libc.Close(_wake);
        if (_epoll >= 0) Libc.Close(_epoll);
        _wake = _epoll = -1;
        NativeMemory.Free(_events);
        _events = null;
    }
}
