using Softnet.DataPlane.Pcap;

namespace Softnet.DataPlane.Ports;

/// <summary>Passes frames through to <paramref name="inner"/> and writes every frame received and transmitted to a pcap trace.</summary>
public sealed class PcapTracingPort(IFramePort inner, PacketPool pool, PcapWriter writer, TimeProvider clock) : IFramePort
{
    public int Receive(Span<int> destination)
    {
        var n = inner.Receive(destination);
        Trace(destination[..n]);
        return n;
    }

    public int Transmit(ReadOnlySpan<int> frames)
    {
        var n = inner.Transmit(frames);
        Trace(frames[..n]);
        return n;
    }

    private void Trace(ReadOnlySpan<int> frames)
    {
        if (frames.IsEmpty) return;
        var now = clock.GetUtcNow();
        foreach (var frame in frames) writer.Write(pool.Data(frame), now);
    }
}
