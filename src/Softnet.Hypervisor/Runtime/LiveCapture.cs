using System.Buffers;
using System.Threading.Channels;
using Softnet.DataPlane.Pcap;

namespace Softnet.Hypervisor.Runtime;

/// <summary>
/// A capture that never slows the data plane: the worker copies each frame into a bounded queue and returns; a
/// pump writes the queue to a pcap stream at the reader's pace. When the reader falls behind by more than
/// <see cref="MaxQueuedBytes"/>, frames are left out of the capture and counted in <see cref="Dropped"/>.
/// </summary>
internal sealed class LiveCapture : IFrameCapture, IDisposable
{
    public const long MaxQueuedBytes = 16 << 20;

    private readonly Channel<(byte[] Buffer, int Length, DateTimeOffset Time)> _queue =
        Channel.CreateUnbounded<(byte[], int, DateTimeOffset)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _pump;
    private long _queuedBytes;
    private long _dropped;

    public LiveCapture(Stream output)
    {
        var writer = new PcapWriter(output, leaveOpen: true);
        writer.Flush();
        _pump = Task.Factory.StartNew(() => Pump(writer), TaskCreationOptions.LongRunning);
    }

    public long Dropped => Interlocked.Read(ref _dropped);

    public void Write(ReadOnlySpan<byte> frame, DateTimeOffset timestamp)
    {
        if (Interlocked.Add(ref _queuedBytes, frame.Length) > MaxQueuedBytes)
        {
            Interlocked.Add(ref _queuedBytes, -frame.Length);
            Interlocked.Increment(ref _dropped);
            return;
        }
        var buffer = ArrayPool<byte>.Shared.Rent(frame.Length);
        frame.CopyTo(buffer);
        if (!_queue.Writer.TryWrite((buffer, frame.Length, timestamp))) ArrayPool<byte>.Shared.Return(buffer);
    }

    /// <summary>Writes what is queued, then stops; the output stream stays open.</summary>
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _pump.Wait(TimeSpan.FromSeconds(5));
    }

    private void Pump(PcapWriter writer)
    {
        var reader = _queue.Reader;
        try
        {
            while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                while (reader.TryRead(out var item))
                {
                    writer.Write(item.Buffer.AsSpan(0, item.Length), item.Time);
                    Interlocked.Add(ref _queuedBytes, -item.Length);
                    ArrayPool<byte>.Shared.Return(item.Buffer);
                }
                writer.Flush();
            }
        }
        catch (IOException)
        {
            _queue.Writer.TryComplete();
        }
        catch (ObjectDisposedException)
        {
            _queue.Writer.TryComplete();
        }
        while (reader.TryRead(out var left)) ArrayPool<byte>.Shared.Return(left.Buffer);
    }
}
