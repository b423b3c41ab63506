namespace Softnet.Hypervisor.Linux;

/// <summary>
/// A <c>struct tpacket_req3</c>: the geometry of a TPACKET_V3 ring. Blocks are whole pages; frames of
/// <see cref="FrameSize"/> tile each block exactly. A transmit ring has no retire timeout.
/// </summary>
internal struct PacketRingRequest
{
    public uint BlockSize;
    public uint BlockCount;
    public uint FrameSize;
    public uint FrameCount;
    public uint RetireTimeoutMs;
    public uint PrivateSize;
    public uint Features;

    public PacketRingRequest(int blockSize, int blockCount, int frameSize, int retireTimeoutMs)
    {
        BlockSize = (uint)blockSize;
        BlockCount = (uint)blockCount;
        FrameSize = (uint)frameSize;
        FrameCount = (uint)(blockSize / frameSize * blockCount);
        RetireTimeoutMs = (uint)retireTimeoutMs;
    }

    public readonly nuint Bytes => (nuint)BlockSize * BlockCount;
}
