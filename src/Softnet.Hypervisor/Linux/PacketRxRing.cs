namespace Softnet.Hypervisor.Linux;

/// <summary>
/// The receive half of a TPACKET_V3 ring: the kernel packs frames into a block and hands the whole block over when it
/// is full or its retire timeout passes; the reader walks its frames and gives the block back after the last one.
/// </summary>
internal sealed unsafe class PacketRxRing
{
    private const int BlockStatusField = 8, PacketCountField = 12, FirstPacketField = 16;
    private const uint StatusKernel = 0, StatusUser = 1, StatusLosing = 4;

    private readonly byte* _start;
    private readonly int _blockSize;
    private readonly int _blockCount;
    private int _block;
    private uint _left;
    private byte* _next;

    public PacketRxRing(byte* start, int blockSize, int blockCount)
    {
        _start = start;
        _blockSize = blockSize;
        _blockCount = blockCount;
    }

    /// <summary>Set when a block came back marked TP_STATUS_LOSING: the ring was full and the kernel dropped frames.</summary>
    public bool LossReported { get; set; }

    /// <summary>The next received frame, or false while the kernel still fills the current block.</summary>
    public bool TryPeek(out TpacketFrame frame)
    {
        while (_left == 0)
        {
            var block = _start + (nint)_block * _blockSize;
            var status = Volatile.Read(ref *(uint*)(block + BlockStatusField));
            if ((status & StatusUser) == 0)
            {
                frame = default;
                return false;
            }
            if ((status & StatusLosing) != 0) LossReported = true;
            _left = *(uint*)(block + PacketCountField);
            _next = block + *(uint*)(block + FirstPacketField);
            if (_left == 0) ReleaseBlock();
        }
        frame = new TpacketFrame(_next);
        return true;
    }

    /// <summary>Moves past the frame <see cref="TryPeek"/> returned, giving its block back after the block's last frame.</summary>
    public void Advance()
    {
        var current = new TpacketFrame(_next);
        if (--_left > 0) _next += current.NextOffset;
        else ReleaseBlock();
    }

    private void ReleaseBlock()
    {
        Volatile.Write(ref *(uint*)(_start + (nint)_block * _blockSize + BlockStatusField), StatusKernel);
        _block = (_block + 1) % _blockCount;
    }
}
