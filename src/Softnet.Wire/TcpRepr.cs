using System.Buffers.Binary;

namespace Softnet.Wire;

/// <summary>
/// The header of a TCP segment with the handshake options: MSS, window scale, SACK permitted and timestamps. Other
/// options (SACK blocks, MD5, ...) are skipped by <see cref="TryParse(in TcpPacket, out TcpRepr)"/> and not represented.
/// <see cref="Emit(TcpPacket)"/> lays options out as Linux does, every option 4-byte aligned with NOP padding.
/// </summary>
public readonly record struct TcpRepr(
    ushort SourcePort,
    ushort DestinationPort,
    uint SequenceNumber,
    uint AcknowledgmentNumber,
    TcpFlags Flags,
    ushort WindowSize,
    int PayloadLength)
{
    public ushort UrgentPointer { get; init; }
    public ushort? MaxSegmentSize { get; init; }
    public byte? WindowScale { get; init; }
    public bool SackPermitted { get; init; }
    public TcpTimestamps? Timestamps { get; init; }

    public int OptionsLength =>
        (MaxSegmentSize is null ? 0 : 4) + (Timestamps is not null ? 12 : SackPermitted ? 4 : 0) + (WindowScale is null ? 0 : 4);

    public int HeaderLength => TcpPacket.MinHeaderLength + OptionsLength;
    public int BufferLength => HeaderLength + PayloadLength;

    /// <summary>
    /// Reads the header without checking the checksum; use an overload with addresses to check it. Refuses malformed
    /// options and known options of the wrong length.
    /// </summary>
    public static bool TryParse(in TcpPacket packet, out TcpRepr repr)
    {
        repr = new TcpRepr(packet.SourcePort, packet.DestinationPort, packet.SequenceNumber, packet.AcknowledgmentNumber,
            packet.Flags, packet.WindowSize, packet.Buffer.Length - packet.HeaderLength)
        {
            UrgentPointer = packet.UrgentPointer,
        };
        ReadOnlySpan<byte> options = packet.Options;
        while (!options.IsEmpty && options[0] != TcpOptionKind.End)
        {
            if (options[0] == TcpOptionKind.Nop)
            {
                options = options[1..];
                continue;
            }
            if (options.Length < 2 || options[1] < 2 || options[1] > options.Length) return Fail(out repr);
            var value = options[2..options[1]];
            switch (options[0])
            {
                case TcpOptionKind.MaxSegmentSize when value.Length == 2:
                    repr = repr with { MaxSegmentSize = BinaryPrimitives.ReadUInt16BigEndian(value) };
                    break;
                case TcpOptionKind.WindowScale when value.Length == 1:
                    repr = repr with { WindowScale = value[0] };
                    break;
                case TcpOptionKind.SackPermitted when value.Length == 0:
                    repr = repr with { SackPermitted = true };
                    break;
                case TcpOptionKind.Timestamps when value.Length == 8:
                    repr = repr with { Timestamps = new TcpTimestamps(BinaryPrimitives.ReadUInt32BigEndian(value), BinaryPrimitives.ReadUInt32BigEndian(value[4..])) };
                    break;
                case TcpOptionKind.MaxSegmentSize or TcpOptionKind.WindowScale or TcpOptionKind.SackPermitted or TcpOptionKind.Timestamps:
                    return Fail(out repr);
            }
            options = options[options[1]..];
        }
        return true;
    }

    public static bool TryParse(in TcpPacket packet, Ipv4Address source, Ipv4Address destination, out TcpRepr repr) =>
        packet.VerifyChecksum(source, destination) ? TryParse(packet, out repr) : Fail(out repr);

    public static bool TryParse(in TcpPacket packet, Ipv6Address source, Ipv6Address destination, out TcpRepr repr) =>
        packet.VerifyChecksum(source, destination) ? TryParse(packet, out repr) : Fail(out repr);

    /// <summary>Writes the header and options with a zero checksum; the view must span exactly the segment.</summary>
    public void Emit(TcpPacket packet)
    {
        packet.Buffer[..TcpPacket.MinHeaderLength].Clear();
        packet.SourcePort = SourcePort;
        packet.DestinationPort = DestinationPort;
        packet.SequenceNumber = SequenceNumber;
        packet.AcknowledgmentNumber = AcknowledgmentNumber;
        packet.HeaderLength = HeaderLength;
        packet.Flags = Flags;
        packet.WindowSize = WindowSize;
        packet.UrgentPointer = UrgentPointer;
        WriteOptions(packet.Options);
    }

    /// <summary>Writes the segment header and the checksum over the whole view, so the payload must be in place.</summary>
    public void Emit(TcpPacket packet, Ipv4Address source, Ipv4Address destination)
    {
        Emit(packet);
        packet.FillChecksum(source, destination);
    }

    /// <inheritdoc cref="Emit(TcpPacket, Ipv4Address, Ipv4Address)"/>
    public void Emit(TcpPacket packet, Ipv6Address source, Ipv6Address destination)
    {
        Emit(packet);
        packet.FillChecksum(source, destination);
    }

    private void WriteOptions(Span<byte> options)
    {
        if (MaxSegmentSize is { } mss)
        {
            options[0] = TcpOptionKind.MaxSegmentSize;
            options[1] = 4;
            BinaryPrimitives.WriteUInt16BigEndian(options[2..], mss);
            options = options[4..];
        }
        if (Timestamps is { } timestamps)
        {
            // SACK permitted takes the two bytes that would otherwise be NOP padding before the timestamps.
            options[0] = SackPermitted ? TcpOptionKind.SackPermitted : TcpOptionKind.Nop;
            options[1] = SackPermitted ? (byte)2 : TcpOptionKind.Nop;
            options[2] = TcpOptionKind.Timestamps;
            options[3] = 10;
            BinaryPrimitives.WriteUInt32BigEndian(options[4..], timestamps.Value);
            BinaryPrimitives.WriteUInt32BigEndian(options[8..], timestamps.EchoReply);
            options = options[12..];
        }
        else if (SackPermitted)
        {
            options[0] = TcpOptionKind.Nop;
            options[1] = TcpOptionKind.Nop;
            options[2] = TcpOptionKind.SackPermitted;
            options[3] = 2;
            options = options[4..];
        }
        if (WindowScale is { } scale)
        {
            options[0] = TcpOptionKind.Nop;
            options[1] = TcpOptionKind.WindowScale;
            options[2] = 3;
            options[3] = scale;
        }
    }

    private static bool Fail(out TcpRepr repr)
    {
        repr = default;
        return false;
    }
}
