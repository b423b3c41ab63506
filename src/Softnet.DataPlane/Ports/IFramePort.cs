namespace Softnet.DataPlane.Ports;

/// <summary>
/// The I/O seam under a device port: where frames come from and go to (an in-memory link, a TAP device, an
/// AF_PACKET socket, a tunnel). Frames are packet handles of the caller's <see cref="PacketPool"/>; ownership moves
/// with them.
/// </summary>
public interface IFramePort
{
    /// <summary>Takes up to <c>destination.Length</c> received frames; the caller owns them afterwards.</summary>
    int Receive(Span<int> destination);

    /// <summary>Offers frames; the port owns the first <i>n</i> it accepts (the return value), the caller keeps the rest.</summary>
    int Transmit(ReadOnlySpan<int> frames);
}
