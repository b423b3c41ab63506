using System.Buffers.Binary;

namespace Softnet.Cli.Node;

/// <summary>
/// A write-only stream between a pcap writer and where the capture goes. It follows the pcap structure (a 24-byte
/// global header, then records of a 16-byte header and the captured bytes), passes the header and whole records on,
/// and after <c>limit</c> records passes nothing more and completes <see cref="Completion"/>. Writes from several
/// threads are serialized. A failure of the inner stream surfaces as an <see cref="IOException"/>, which is how a pcap
/// writer learns that its reader went away.
/// </summary>
public sealed class PcapRecordLimiter(Stream inner, long? limit) : Stream
{
    private const int GlobalHeaderLength = 24, RecordHeaderLength = 16, MaxCaptured = 262_144;

    private readonly Lock _lock = new();
    private readonly byte[] _globalHeader = new byte[GlobalHeaderLength];
    private readonly byte[] _recordHeader = new byte[RecordHeaderLength];
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _globalFilled;
    private int _recordFilled;
    private long _dataLeft;
    private bool _bigEndian;
    private bool _closed;

    /// <summary>Whole records passed on so far.</summary>
    public long Records { get; private set; }

    /// <summary>Completes once <c>limit</c> records have been passed on, or when the limiter is disposed.</summary>
    public Task Completion => _completion.Task;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <exception cref="InvalidDataException">The bytes are not a pcap stream.</exception>
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        lock (_lock)
        {
            if (_closed) return;
            var pass = Follow(buffer);
            if (pass > 0) Pass(buffer[..pass]);
            if (Records == limit)
            {
                FlushInner();
                Stop();
            }
        }
    }

    public override void Flush()
    {
        lock (_lock)
        {
            if (!_closed) FlushInner();
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>After this nothing more reaches the inner stream, which stays open.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_lock) Stop();
        }
        base.Dispose(disposing);
    }

    private void Stop()
    {
        _closed = true;
        _completion.TrySetResult();
    }

    /// <summary>Advances through <paramref name="bytes"/>; returns how many of them belong to the header or to records within the limit.</summary>
    private int Follow(ReadOnlySpan<byte> bytes)
    {
        var at = 0;
        while (at < bytes.Length && Records != limit)
        {
            if (_globalFilled < GlobalHeaderLength)
            {
                at += Fill(_globalHeader, ref _globalFilled, bytes[at..]);
                if (_globalFilled == GlobalHeaderLength) _bigEndian = ByteOrder(_globalHeader);
            }
            else if (_recordFilled < RecordHeaderLength)
            {
                at += Fill(_recordHeader, ref _recordFilled, bytes[at..]);
                if (_recordFilled < RecordHeaderLength) continue;
                var captured = _bigEndian ? BinaryPrimitives.ReadInt32BigEndian(_recordHeader.AsSpan(8)) : BinaryPrimitives.ReadInt32LittleEndian(_recordHeader.AsSpan(8));
                if (captured is < 0 or > MaxCaptured) throw new InvalidDataException($"pcap: record {Records + 1} claims {captured} captured bytes.");
                _dataLeft = captured;
                if (_dataLeft == 0) EndRecord();
            }
            else
            {
                var take = (int)Math.Min(_dataLeft, bytes.Length - at);
                at += take;
                _dataLeft -= take;
                if (_dataLeft == 0) EndRecord();
            }
        }
        return at;
    }

    private void EndRecord()
    {
        Records++;
        _recordFilled = 0;
    }

    private static int Fill(byte[] target, ref int filled, ReadOnlySpan<byte> from)
    {
        var take = Math.Min(target.Length - filled, from.Length);
        from[..take].CopyTo(target.AsSpan(filled));
        filled += take;
        return take;
    }

    private static bool ByteOrder(byte[] header)
    {
        var magic = BinaryPrimitives.ReadUInt32LittleEndian(header);
        if (magic is 0xA1B2_3C4D or 0xA1B2_C3D4) return false;
        if (BinaryPrimitives.ReverseEndianness(magic) is 0xA1B2_3C4D or 0xA1B2_C3D4) return true;
        throw new InvalidDataException($"pcap: unknown magic number 0x{magic:x8}.");
    }

    private void Pass(ReadOnlySpan<byte> bytes)
    {
        try
        {
            inner.Write(bytes);
        }
        catch (Exception e) when (e is not IOException)
        {
            throw ReaderGone(e);
        }
    }

    private void FlushInner()
    {
        try
        {
            inner.Flush();
        }
        catch (Exception e) when (e is not IOException)
        {
            throw ReaderGone(e);
        }
    }

    private static IOException ReaderGone(Exception e) => new("The capture's reader went away.", e);
}
