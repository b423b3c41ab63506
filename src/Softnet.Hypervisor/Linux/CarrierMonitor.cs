using System.Runtime.InteropServices;

namespace Softnet.Hypervisor.Linux;

/// <summary>
/// Tells when watched interfaces start or stop carrying frames (up with a carrier: IFF_UP and IFF_LOWER_UP), from
/// rtnetlink's link notifications: one NETLINK_ROUTE socket bound to the link group per network namespace, opened
/// inside it (on a short-lived thread that enters the namespace with setns), all read by one thread that sleeps in
/// epoll until one is readable. Each watch starts from "carrying" and asks the kernel for the interface's state at
/// once, so an interface already down is reported too. Callbacks run on the monitor's thread, outside its lock,
/// one at a time; they must neither throw nor block for long (hand the change on). Needs root for other namespaces.
/// </summary>
public sealed unsafe class CarrierMonitor : IDisposable
{
    private const int BufferSize = 64 * 1024;

    private readonly ReadinessWaiter _waiter = new();
    private readonly Lock _lock = new();
    private readonly Dictionary<string, NamespaceSocket> _sockets = new(StringComparer.Ordinal);
    private readonly Thread _thread;
    private readonly byte[] _buffer = new byte[BufferSize];
    private volatile bool _stopping;
    private uint _sequence;

    public CarrierMonitor()
    {
        _thread = new Thread(Run) { Name = "softnet-carrier", IsBackground = true };
        _thread.Start();
    }

    /// <summary>
    /// Calls <paramref name="changed"/> with false when interface <paramref name="interfaceName"/> of namespace
    /// <paramref name="networkNamespace"/> (a name in /run/netns; null for the monitor's own) stops carrying frames
    /// (or goes away), and with true when it carries them again, until the result is disposed.
    /// </summary>
    /// <exception cref="IOException">The namespace cannot be entered or its socket opened.</exception>
    public IDisposable Watch(string? networkNamespace, string interfaceName, Action<bool> changed)
    {
        ObjectDisposedException.ThrowIf(_stopping, this);
        var key = networkNamespace ?? "";
        var watch = new Registration(this, key, interfaceName, changed);
        lock (_lock)
        {
            if (!_sockets.TryGetValue(key, out var socket))
            {
                socket = new NamespaceSocket(OpenIn(networkNamespace));
                try
                {
                    _waiter.Add(socket.Fd);
                }
                catch
                {
                    Libc.Close(socket.Fd);
                    throw;
                }
                _sockets[key] = socket;
            }
            socket.Watches.Add(watch);
            Request(socket.Fd, interfaceName);
        }
        return watch;
    }

    public void Dispose()
    {
        if (_stopping) return;
        _stopping = true;
        _waiter.Wake();
        _thread.Join();
        lock (_lock)
        {
            foreach (var socket in _sockets.Values) Libc.Close(socket.Fd);
            _sockets.Clear();
        }
        _waiter.Dispose();
    }

    private void Unwatch(Registration watch)
    {
        lock (_lock)
        {
            if (!_sockets.TryGetValue(watch.Namespace, out var socket) || !socket.Watches.Remove(watch) || socket.Watches.Count > 0) return;
            _sockets.Remove(watch.Namespace);
            if (!_stopping) _waiter.Remove(socket.Fd);
            Libc.Close(socket.Fd);
        }
    }

    private void Run()
    {
        var statuses = new List<LinkStatus>();
        var changes = new List<(Registration Watch, bool Up)>();
        while (!_stopping)
        {
            _waiter.Wait(-1);
            lock (_lock)
            {
                foreach (var socket in _sockets.Values) Drain(socket, statuses, changes);
            }
            foreach (var (watch, up) in changes)
            {
                if (!watch.Disposed) watch.Changed(up);
            }
            changes.Clear();
        }
    }

    /// <summary>Reads every datagram waiting on <paramref name="socket"/> and notes the watches whose state changed.</summary>
    private void Drain(NamespaceSocket socket, List<LinkStatus> statuses, List<(Registration, bool)> changes)
    {
        while (true)
        {
            nint read;
            fixed (byte* buffer = _buffer) read = Libc.Read(socket.Fd, buffer, BufferSize);
            if (read < 0)
            {
                // Notifications were lost (the socket's queue overflowed): ask again for the state of each watched interface.
                if (Marshal.GetLastPInvokeError() == Libc.ENOBUFS)
                {
                    foreach (var watch in socket.Watches) TryRequest(socket.Fd, watch.Interface);
                    continue;
                }
                return;
            }
            if (read == 0) return;
            statuses.Clear();
            LinkMessages.Parse(_buffer.AsSpan(0, (int)read), statuses);
            foreach (var status in statuses)
            {
                foreach (var watch in socket.Watches)
                {
                    if (watch.Interface != status.Name || watch.Up == status.CarriesFrames) continue;
                    watch.Up = status.CarriesFrames;
                    changes.Add((watch, status.CarriesFrames));
                }
            }
        }
    }

    /// <summary>Asks for the state of <paramref name="interfaceName"/>; the answer comes as a link message like any notification.</summary>
    private void Request(int fd, string interfaceName)
    {
        if (!TryRequest(fd, interfaceName)) throw Libc.Error($"Asking rtnetlink for the state of {interfaceName}");
    }

    private bool TryRequest(int fd, string interfaceName)
    {
        Span<byte> request = stackalloc byte[64];
        var length = LinkMessages.WriteRequest(request, interfaceName, ++_sequence);
        fixed (byte* data = request) return Libc.Send(fd, data, (nuint)length, Libc.MSG_DONTWAIT) >= 0;
    }

    /// <summary>A NETLINK_ROUTE socket bound to the link group in namespace <paramref name="networkNamespace"/> (null: this thread's).</summary>
    private static int OpenIn(string? networkNamespace)
    {
        if (networkNamespace is null) return OpenSocket();
        var fd = -1;
        Exception? failure = null;
        // setns changes the calling thread only: a thread of its own enters the namespace, opens the socket (which stays
        // in that namespace) and goes back before it ends.
        var thread = new Thread(() =>
        {
            var own = Libc.Open("/proc/thread-self/ns/net", Libc.O_RDONLY | Libc.O_CLOEXEC);
            var target = Libc.Open(Path.Combine(NodeCleanup.NamespaceDirectory, networkNamespace), Libc.O_RDONLY | Libc.O_CLOEXEC);
            try
            {
                if (own < 0) throw Libc.Error("Opening this thread's network namespace");
                if (target < 0) throw Libc.Error($"Opening network namespace {networkNamespace}");
                if (Libc.SetNs(target, Libc.CLONE_NEWNET) < 0) throw Libc.Error($"Entering network namespace {networkNamespace}");
                try
                {
                    fd = OpenSocket();
                }
                finally
                {
                    if (Libc.SetNs(own, Libc.CLONE_NEWNET) < 0) failure ??= Libc.Error("Returning to the original network namespace");
                }
            }
            catch (Exception e)
            {
                failure = e;
            }
            finally
            {
                if (own >= 0) Libc.Close(own);
                if (target >= 0) Libc.Close(target);
            }
        }) { Name = "softnet-setns", IsBackground = true };
        thread.Start();
        thread.Join();
        if (failure is null) return fd;
        if (fd >= 0) Libc.Close(fd);
        throw failure;
    }

    private static int OpenSocket()
    {
        var fd = Libc.Socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, Libc.NETLINK_ROUTE);
        if (fd < 0) throw Libc.Error("Opening a NETLINK_ROUTE socket");
        // struct sockaddr_nl: family, padding, port id (0: the kernel assigns one), groups.
        var address = stackalloc byte[12];
        new Span<byte>(address, 12).Clear();
        *(ushort*)address = Libc.AF_NETLINK;
        *(uint*)(address + 8) = LinkMessages.GroupLink;
        if (Libc.Bind(fd, address, 12) < 0)
        {
            var error = Libc.Error("Binding a NETLINK_ROUTE socket to link notifications");
            Libc.Close(fd);
            throw error;
        }
        return fd;
    }

    private sealed class NamespaceSocket(int fd)
    {
        public int Fd { get; } = fd;
        public List<Registration> Watches { get; } = [];
    }

    private sealed class Registration(CarrierMonitor monitor, string ns, string interfaceName, Action<bool> changed) : IDisposable
    {
        public string Namespace { get; } = ns;
        public string Interface { get; } = interfaceName;
        public Action<bool> Changed { get; } = changed;

        /// <summary>The state last reported; under the monitor's lock.</summary>
        public bool Up { get; set; } = true;

        public bool Disposed { get; private set; }

        public void Dispose()
        {
            if (Disposed) return;
            Disposed = true;
            monitor.Unwatch(this);
        }
    }
}
