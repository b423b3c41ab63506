using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Softnet.DataPlane;
using Softnet.Hypervisor.Runtime;
using Softnet.Hypervisor.Topology;

namespace Softnet.Hypervisor.Linux;

/// <summary>
/// An AF_PACKET socket bound to one interface (all EtherTypes) with TPACKET_V3 receive and transmit rings mapped into
/// the process. Receiving copies each frame out of the ring into a pool buffer (the one copy the ring design costs)
/// and gives each block back to the kernel once walked; transmitting copies frames into ring slots and frees them.
/// Frames this socket sends are not read back (PACKET_IGNORE_OUTGOING). No offloads: frames are at most the link's MTU
/// plus the Ethernet header, and the peer must not hand over partial checksums (its tx checksumming off).
/// </summary>
public sealed unsafe class AfPacketPort : IPhysicalPort
{
    private const int SolPacket = 263;
    private const int PacketRxRingOption = 5, PacketStatistics = 6, PacketVersion = 10, PacketTxRingOption = 13, PacketLoss = 14, PacketIgnoreOutgoing = 23;
    private const int TpacketV3 = 2;
    private const ushort EthPAll = 0x0003, Ieee8021Q = 0x8100;
    private const int EthernetHeaderLength = 14, VlanTagLength = 4;

    // 2 MiB of receive blocks, each handed over when full or after 1 ms; 128 transmit slots of 2 KiB.
    private const int RxBlockSize = 256 << 10, RxBlockCount = 8, RxRetireTimeoutMs = 1;
    private const int TxBlockSize = 64 << 10, TxBlockCount = 4;
    private const int SlotSize = 2048;

    private readonly PacketPool _pool;
    private readonly int _mtu;
    private readonly PacketRxRing _rx;
    private readonly PacketTxRing _tx;
    private readonly nuint _ringBytes;
    private byte* _ring;
    private int _fd = -1;
    private bool _kickPending;

    /// <summary>Opens the socket on <paramref name="interfaceName"/> in the caller's network namespace.</summary>
    public AfPacketPort(PacketPool pool, string interfaceName)
    {
        var request = InterfaceRequest.For(interfaceName);
        _pool = pool;
        Name = interfaceName;
        _fd = Libc.Socket(Libc.AF_PACKET, Libc.SOCK_RAW | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0);
        if (_fd < 0) throw Libc.Error("Opening an AF_PACKET socket");
        try
        {
            if (Libc.Ioctl(_fd, Libc.SIOCGIFINDEX, &request) < 0) throw Libc.Error($"Looking up interface {interfaceName}");
            var index = request.Value;
            if (Libc.Ioctl(_fd, Libc.SIOCGIFMTU, &request) < 0) throw Libc.Error($"Reading the MTU of {interfaceName}");
            _mtu = request.Value;
            Libc.SetIntOption(_fd, SolPacket, PacketVersion, TpacketV3, "Setting PACKET_VERSION to TPACKET_V3");
            Libc.SetIntOption(_fd, SolPacket, PacketLoss, 1, "Setting PACKET_LOSS");
            Libc.SetIntOption(_fd, SolPacket, PacketIgnoreOutgoing, 1, "Setting PACKET_IGNORE_OUTGOING");
            var rx = new PacketRingRequest(RxBlockSize, RxBlockCount, SlotSize, RxRetireTimeoutMs);
            var tx = new PacketRingRequest(TxBlockSize, TxBlockCount, SlotSize, retireTimeoutMs: 0);
            if (Libc.SetSockOpt(_fd, SolPacket, PacketRxRingOption, &rx, (uint)sizeof(PacketRingRequest)) < 0) throw Libc.Error("Setting up PACKET_RX_RING");
            if (Libc.SetSockOpt(_fd, SolPacket, PacketTxRingOption, &tx, (uint)sizeof(PacketRingRequest)) < 0) throw Libc.Error("Setting up the TPACKET_V3 PACKET_TX_RING");
            _ringBytes = rx.Bytes + tx.Bytes;
            var ring = Libc.Mmap(null, _ringBytes, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED, _fd, 0);
            if (ring == (void*)-1) throw Libc.Error("Mapping the packet rings");
            _ring = (byte*)ring;
            _rx = new PacketRxRing(_ring, RxBlockSize, RxBlockCount);
            _tx = new PacketTxRing(_ring + rx.Bytes, SlotSize, (int)tx.FrameCount);
            var address = new LinkLayerAddress(EthPAll, index);
            if (Libc.Bind(_fd, &address, LinkLayerAddress.Size) < 0) throw Libc.Error($"Binding to {interfaceName}");
        }
        catch
        {
            Release();
            throw;
        }
    }

    ~AfPacketPort() => Release();

    public string Name { get; }
    public PhysicalPortKind Kind => PhysicalPortKind.AfPacket;
    public int ReadinessFd => _fd;

    public int Waiting => 0;
    public bool CarriesOffloads => false;
    public PhysicalPortCounters Counters { get; } = new();

    /// <summary>Copies frames out of the blocks the kernel has handed over until none is left or <paramref name="destination"/> is full.</summary>
    public int Receive(Span<int> destination)
    {
        ObjectDisposedException.ThrowIf(_fd < 0, this);
        if (_kickPending) Kick();
        var received = 0;
        while (received < destination.Length && _rx.TryPeek(out var frame))
        {
            if (TryCopy(frame, out var handle)) destination[received++] = handle;
            _rx.Advance();
        }
        if (_rx.LossReported) CountRingDrops();
        return received;
    }

    /// <summary>
    /// Copies frames into free transmit slots until none is left, frees each one taken (a frame longer than the MTU
    /// allows is dropped), and kicks the kernel once.
    /// </summary>
    public int Transmit(ReadOnlySpan<int> frames)
    {
        ObjectDisposedException.ThrowIf(_fd < 0, this);
        var taken = 0;
        var queued = false;
        for (; taken < frames.Length; taken++)
        {
            var frame = _pool.Data(frames[taken]);
            if (!Fits(frame))
            {
                Counters.TxDropped++;
            }
            else if (_tx.TryPut(frame))
            {
                queued = true;
                Counters.TxFrames++;
                Counters.TxBytes += frame.Length;
            }
            else
            {
                break;
            }
            _pool.Free(frames[taken]);
        }
        if (queued || _kickPending) Kick();
        return taken;
    }

    public void Dispose()
    {
        Release();
        GC.SuppressFinalize(this);
    }

    private bool TryCopy(TpacketFrame frame, out int handle)
    {
        handle = -1;
        var data = frame.Data;
        var tag = frame.HasVlanTag ? VlanTagLength : 0;
        var length = data.Length + tag;
        if (data.Length < frame.Length || data.Length < EthernetHeaderLength || length > _pool.MaxFrameLength || !_pool.TryAllocate(out handle))
        {
            Counters.RxDropped++;
            return false;
        }
        var buffer = _pool.SetLength(handle, length);
        if (tag == 0)
        {
            data.CopyTo(buffer);
        }
        else
        {
            // Put back the tag the kernel took out: between the source address and the EtherType.
            data[..12].CopyTo(buffer);
            BinaryPrimitives.WriteUInt16BigEndian(buffer[12..], frame.VlanTpid);
            BinaryPrimitives.WriteUInt16BigEndian(buffer[14..], frame.VlanTci);
            data[12..].CopyTo(buffer[16..]);
        }
        Counters.RxFrames++;
        Counters.RxBytes += length;
        return true;
    }

    /// <summary>What the kernel accepts on this link: an Ethernet frame no longer than the MTU allows (4 more with an 802.1Q tag) that fits a slot.</summary>
    private bool Fits(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < EthernetHeaderLength || frame.Length > _tx.Capacity) return false;
        var tagged = BinaryPrimitives.ReadUInt16BigEndian(frame[12..]) == Ieee8021Q;
        return frame.Length <= _mtu + EthernetHeaderLength + (tagged ? VlanTagLength : 0);
    }

    /// <summary>Asks the kernel to send the queued slots without waiting; when it cannot now, the next call retries.</summary>
    private void Kick()
    {
        _kickPending = Libc.Send(_fd, null, 0, Libc.MSG_DONTWAIT) < 0;
        if (_kickPending && Marshal.GetLastPInvokeError() is not (Libc.EAGAIN or Libc.ENOBUFS)) Counters.Errors++;
    }

    /// <summary>Adds the frames the kernel dropped because the ring was full (reading the statistics resets them).</summary>
    private void CountRingDrops()
    {
        _rx.LossReported = false;
        var stats = stackalloc uint[3];
        var size = 3u * sizeof(uint);
        if (Libc.GetSockOpt(_fd, SolPacket, PacketStatistics, stats, &size) < 0) Counters.Errors++;
        else Counters.RxDropped += stats[1];
    }

    private void Release()
    {
        if (_ring != null)
        {
            Libc.Munmap(_ring, _ringBytes);
            _ring = null;
        }
        if (_fd < 0) return;
        Libc.Close(_fd);
        _fd = -1;
    }
}
