using System.Runtime.InteropServices;
using Softnet.DataPlane;
using Softnet.Hypervisor.Runtime;
using Softnet.Hypervisor.Topology;
using Softnet.Wire;

namespace Softnet.Hypervisor.Linux;

/// <summary>
/// A TAP device (<c>/dev/net/tun</c>, non-blocking) whose frames carry a 12-byte virtio-net header, with checksum
/// and TCP segmentation offload turned on: the kernel hands over TCP super-frames of up to 64 KiB with partial
/// checksums, and takes them back the same way. Each frame is read straight into a pool buffer (<c>readv</c> with the
/// header in a scratch area) and written straight from one; nothing is allocated per frame. Dispose the port before
/// its device goes (with a host's namespace): the descriptor of a vanished TAP stays in error, which keeps epoll awake.
/// </summary>
public sealed unsafe class TapPort : IPhysicalPort
{
    /// <summary>The smallest <see cref="PacketPool.MaxFrameLength"/> a TAP port needs: a 64 KiB super-frame and an Ethernet header with a VLAN tag.</summary>
    public const int RequiredFrameLength = 65_536 + 18;

    private const uint TunSetIff = 0x400454ca, TunSetOffload = 0x400454d0, TunSetVnetHdrSz = 0x400454d8, TunSetVnetLe = 0x400454dc;
    private const short IffTap = 0x0002, IffNoPi = 0x1000, IffVnetHdr = 0x4000;
    private const uint TunFCsum = 0x01, TunFTso4 = 0x02, TunFTso6 = 0x04;
    private const int MinFrameLength = 14;

    private readonly PacketPool _pool;
    private readonly byte* _scratch;
    private readonly Iovec* _rxVectors;
    private readonly Iovec* _txVectors;
    private int _fd = -1;

    /// <summary>Creates (or attaches to) the TAP <paramref name="interfaceName"/> in the caller's network namespace.</summary>
    public TapPort(PacketPool pool, string interfaceName)
    {
        if (pool.MaxFrameLength < RequiredFrameLength)
            throw new ArgumentException($"A TAP port needs pool buffers of at least {RequiredFrameLength} frame bytes for segmentation super-frames; this pool's buffers hold {pool.MaxFrameLength}.", nameof(pool));
        var request = InterfaceRequest.For(interfaceName);
        _pool = pool;
        Name = interfaceName;
        _fd = Libc.Open("/dev/net/tun", Libc.O_RDWR | Libc.O_NONBLOCK | Libc.O_CLOEXEC);
        if (_fd < 0) throw Libc.Error("Opening /dev/net/tun");
        try
        {
            request.Flags = IffTap | IffNoPi | IffVnetHdr;
            if (Libc.Ioctl(_fd, TunSetIff, &request) < 0) throw Libc.Error($"TUNSETIFF {interfaceName}");
            var headerSize = VirtioNetHeader.Size;
            if (Libc.Ioctl(_fd, TunSetVnetHdrSz, &headerSize) < 0) throw Libc.Error($"TUNSETVNETHDRSZ {interfaceName}");
            var littleEndian = 1;
            if (Libc.Ioctl(_fd, TunSetVnetLe, &littleEndian) < 0) throw Libc.Error($"TUNSETVNETLE {interfaceName}");
            if (Libc.IoctlValue(_fd, TunSetOffload, TunFCsum | TunFTso4 | TunFTso6) < 0) throw Libc.Error($"TUNSETOFFLOAD {interfaceName}");
        }
        catch
        {
            Release();
            throw;
        }
        // One block: the receive header, the transmit header, then two iovecs for each direction.
        _scratch = (byte*)NativeMemory.AllocZeroed(2 * VirtioNetHeader.Size + 4 * (nuint)sizeof(Iovec));
        _rxVectors = (Iovec*)(_scratch + 2 * VirtioNetHeader.Size);
        _txVectors = _rxVectors + 2;
        _rxVectors[0] = new Iovec(_scratch, VirtioNetHeader.Size);
        _txVectors[0] = new Iovec(_scratch + VirtioNetHeader.Size, VirtioNetHeader.Size);
    }

    ~TapPort() => Release();

    /// <summary>The interface name; <see cref="LinuxHostPorts"/> renames it <c>namespace/eth0</c> once the TAP lives in a host's namespace.</summary>
    public string Name { get; internal set; }

    public PhysicalPortKind Kind => PhysicalPortKind.Tap;
    public int ReadinessFd => _fd;

    public int Waiting => 0;
    public bool CarriesOffloads => true;
    public PhysicalPortCounters Counters { get; } = new();

    /// <summary>
    /// Reads frames until the kernel has none left or <paramref name="destination"/> is full (at most
    /// <c>destination.Length</c> reads, so a flood of frames that must be dropped cannot hold the caller).
    /// </summary>
    public int Receive(Span<int> destination)
    {
        ObjectDisposedException.ThrowIf(_fd < 0, this);
        var received = 0;
        for (var attempt = 0; attempt < destination.Length; attempt++)
        {
            if (!_pool.TryAllocate(out var handle))
            {
                if (!Discard()) break;
                continue;
            }
            var length = ReadInto(handle);
            if (length < 0)
            {
                _pool.Free(handle);
                break;
            }
            var header = VirtioNetHeader.CreateUnchecked(new Span<byte>(_scratch, VirtioNetHeader.Size));
            if (length < MinFrameLength || length > _pool.MaxFrameLength || !VirtioOffload.TryRead(header, length, ref _pool.Meta(handle)))
            {
                _pool.Free(handle);
                Counters.RxDropped++;
                continue;
            }
            _pool.SetLength(handle, length);
            destination[received++] = handle;
            Counters.RxFrames++;
            Counters.RxBytes += length;
        }
        return received;
    }

    /// <summary>Writes frames until the kernel pushes back; frees every frame it took, sent or dropped.</summary>
    public int Transmit(ReadOnlySpan<int> frames)
    {
        ObjectDisposedException.ThrowIf(_fd < 0, this);
        var header = VirtioNetHeader.CreateUnchecked(new Span<byte>(_scratch + VirtioNetHeader.Size, VirtioNetHeader.Size));
        for (var i = 0; i < frames.Length; i++)
        {
            var handle = frames[i];
            var frame = _pool.Data(handle);
            VirtioOffload.Write(in _pool.Meta(handle), frame, header);
            nint written;
            fixed (byte* data = frame)
            {
                _txVectors[1] = new Iovec(data, frame.Length);
                written = Libc.Writev(_fd, _txVectors, 2);
            }
            if (written >= 0)
            {
                Counters.TxFrames++;
                Counters.TxBytes += frame.Length;
            }
            else if (Marshal.GetLastPInvokeError() == Libc.EAGAIN)
            {
                return i;
            }
            else
            {
                Counters.Errors++;
                Counters.TxDropped++;
            }
            _pool.Free(handle);
        }
        return frames.Length;
    }

    public void Dispose()
    {
        Release();
        GC.SuppressFinalize(this);
    }

    /// <summary>Reads one frame into <paramref name="handle"/>'s buffer; returns its length, or -1 when none waits or the read failed.</summary>
    private int ReadInto(int handle)
    {
        var buffer = _pool.Reset(handle, _pool.MaxFrameLength);
        nint read;
        fixed (byte* data = buffer)
        {
            _rxVectors[1] = new Iovec(data, buffer.Length);
            read = Libc.Readv(_fd, _rxVectors, 2);
        }
        if (read >= 0) return (int)read - VirtioNetHeader.Size;
        if (Marshal.GetLastPInvokeError() != Libc.EAGAIN) Counters.Errors++;
        return -1;
    }

    /// <summary>With the pool empty, reads one frame into nowhere so that the kernel's queue moves on; false when none waited.</summary>
    private bool Discard()
    {
        var read = Libc.Read(_fd, _scratch, VirtioNetHeader.Size);
        if (read >= 0)
        {
            Counters.RxDropped++;
            return true;
        }
        if (Marshal.GetLastPInvokeError() != Libc.EAGAIN) Counters.Errors++;
        return false;
    }

    private void Release()
    {
        if (_fd < 0) return;
        Libc.Close(_fd);
        _fd = -1;
        NativeMemory.Free(_scratch);
    }
}
