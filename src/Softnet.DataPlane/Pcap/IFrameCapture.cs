namespace Softnet.DataPlane.Pcap;

/// <summary>Where a port's captured frames go: a pcap file (<see cref="PcapWriter"/>) or a live stream to a client.</summary>
public interface IFrameCapture
{
    /// <summary>Records a frame seen at <paramref name="timestamp"/>; the bytes are only borrowed for the call.</summary>
    void Write(ReadOnlySpan<byte> frame, DateTimeOffset timestamp);
}
