namespace Softnet.DataPlane.Ports;

/// <summary>
/// A sink: accepts every frame transmitted to it, counts it and frees its buffer. Nothing is ever received from it.
/// Benchmarks attach it to device ports so that what a device forwards is counted, not stored.
/// </summary>
public sealed class DiscardPort(PacketPool pool) : IFramePort
{
    public long Packets { get; private set; }
    public long Bytes { get; private set; }

    public int Receive(Span<int> destination) => 0;

    public int Transmit(ReadOnlySpan<int> frames)
    {
        long bytes = 0;
        foreach (var frame in frames) bytes += pool.Length(frame);
        pool.Free(frames);
        Packets += frames.Length;
        Bytes += bytes;
        return frames.Length;
    }
}
