namespace Softnet.Hypervisor.Linux;

/// <summary>
/// The transmit half of a TPACKET_V3 ring (kernel 4.11 or later): fixed-size slots, each a <c>tpacket3_hdr</c>
/// followed by the frame. The writer fills the next slot the kernel has finished with, marks it SEND_REQUEST, and
/// kicks the socket with an empty <c>send</c>; the kernel marks the slot available again once the frame is gone.
/// </summary>
internal sealed unsafe class PacketTxRing
{
    /// <summary>Where the frame starts in a slot: tp_hdrlen (68) less the sockaddr_ll only receive uses, as the kernel computes it without PACKET_TX_HAS_OFF.</summary>
    public const int DataOffset = 48;

    private const int LengthField = 16, StatusField = 20;
    private const uint StatusAvailable = 0, StatusSendRequest = 1, StatusWrongFormat = 4;

    private readonly byte* _start;
    private readonly int _slotSize;
    private readonly int _slotCount;
    private int _next;

    public PacketTxRing(byte* start, int slotSize, int slotCount)
    {
        _start = start;
        _slotSize = slotSize;
        _slotCount = slotCount;
    }

    /// <summary>The longest frame a slot holds.</summary>
    public int Capacity => _slotSize - DataOffset;

    /// <summary>Copies <paramref name="frame"/> into the next slot and queues it; false when the kernel still holds that slot.</summary>
    public bool TryPut(ReadOnlySpan<byte> frame)
    {
        var slot = _start + (nint)_next * _slotSize;
        var status = Volatile.Read(ref *(uint*)(slot + StatusField));
        if (status is not (StatusAvailable or StatusWrongFormat)) return false;
        frame.CopyTo(new Span<byte>(slot + DataOffset, Capacity));
        *(uint*)(slot + LengthField) = (uint)frame.Length;
        Volatile.Write(ref *(uint*)(slot + StatusField), StatusSendRequest);
        _next = _next + 1 == _slotCount ? 0 : _next + 1;
        return true;
    }
}
