using System.Runtime.InteropServices;

namespace Softnet.Hypervisor.Linux;

/// <summary>The glibc calls the Linux ports make, and the constants they need.</summary>
internal static unsafe partial class Libc
{
    public const int EINTR = 4, EAGAIN = 11, ENOBUFS = 105;

    public const int O_RDONLY = 0x0, O_RDWR = 0x2, O_NONBLOCK = 0x800, O_CLOEXEC = 0x80000;

    public const int AF_PACKET = 17, SOCK_RAW = 3, SOCK_NONBLOCK = O_NONBLOCK, SOCK_CLOEXEC = O_CLOEXEC;
    public const int AF_NETLINK = 16, NETLINK_ROUTE = 0;
    public const int CLONE_NEWNET = 0x40000000;
    public const int MSG_DONTWAIT = 0x40;

    public const int PROT_READ = 1, PROT_WRITE = 2, MAP_SHARED = 1;

    public const int SIOCGIFMTU = 0x8921, SIOCGIFINDEX = 0x8933;

    private const string Library = "libc";

    [LibraryImport(Library, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport(Library, EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, void* buffer, nuint count);

    [LibraryImport(Library, EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, void* buffer, nuint count);

    [LibraryImport(Library, EntryPoint = "readv", SetLastError = true)]
    public static partial nint Readv(int fd, Iovec* vectors, int count);

    [LibraryImport(Library, EntryPoint = "writev", SetLastError = true)]
    public static partial nint Writev(int fd, Iovec* vectors, int count);

    [LibraryImport(Library, EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(int fd, nuint request, void* argument);

    /// <summary>An ioctl whose argument is a value, not a pointer (TUNSETOFFLOAD).</summary>
    [LibraryImport(Library, EntryPoint = "ioctl", SetLastError = true)]
    public static partial int IoctlValue(int fd, nuint request, nuint argument);

    [LibraryImport(Library, EntryPoint = "socket", SetLastError = true)]
    public static partial int Socket(int domain, int type, int protocol);

    [LibraryImport(Library, EntryPoint = "bind", SetLastError = true)]
    public static partial int Bind(int fd, void* address, uint length);

    [LibraryImport(Library, EntryPoint = "send", SetLastError = true)]
    public static partial nint Send(int fd, void* buffer, nuint length, int flags);

    [LibraryImport(Library, EntryPoint = "setsockopt", SetLastError = true)]
    public static partial int SetSockOpt(int fd, int level, int name, void* value, uint length);

    [LibraryImport(Library, EntryPoint = "getsockopt", SetLastError = true)]
    public static partial int GetSockOpt(int fd, int level, int name, void* value, uint* length);

    [LibraryImport(Library, EntryPoint = "mmap", SetLastError = true)]
    public static partial void* Mmap(void* address, nuint length, int protection, int flags, int fd, nint offset);

    [LibraryImport(Library, EntryPoint = "munmap", SetLastError = true)]
    public static partial int Munmap(void* address, nuint length);

    [LibraryImport(Library, EntryPoint = "epoll_create1", SetLastError = true)]
    public static partial int EpollCreate1(int flags);

    [LibraryImport(Library, EntryPoint = "epoll_ctl", SetLastError = true)]
    public static partial int EpollCtl(int epoll, int operation, int fd, void* ev);

    [LibraryImport(Library, EntryPoint = "epoll_wait", SetLastError = true)]
    public static partial int EpollWait(int epoll, void* events, int maxEvents, int timeoutMs);

    [LibraryImport(Library, EntryPoint = "setns", SetLastError = true)]
    public static partial int SetNs(int fd, int type);

    [LibraryImport(Library, EntryPoint = "gettid")]
    public static partial int GetTid();

    [LibraryImport(Library, EntryPoint = "setpriority", SetLastError = true)]
    public static partial int SetPriority(int which, uint who, int priority);

    [LibraryImport(Library, EntryPoint = "eventfd", SetLastError = true)]
    public static partial int EventFd(uint initial, int flags);

    /// <summary>The exception for a failed call: what was attempted, and errno's text.</summary>
    public static IOException Error(string what)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException($"{what} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");
    }

    /// <summary>Calls <c>setsockopt</c> with an int value; throws naming <paramref name="what"/> on failure.</summary>
    public static void SetIntOption(int fd, int level, int name, int value, string what)
    {
        if (SetSockOpt(fd, level, name, &value, sizeof(int)) < 0) throw Error(what);
    }
}
