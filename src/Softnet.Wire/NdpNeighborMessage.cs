using System.Buffers.Binary;

namespace Softnet.Wire;

/// <summary>
/// A view of a Neighbor Solicitation or Neighbor Advertisement (RFC 4861 sections 4.3, 4.4) spanning the whole ICMPv6
/// message: the ICMPv6 header with the R/S/O flags, the 16-byte target address at offset 8, then options.
/// </summary>
public readonly ref struct NdpNeighborMessage
{
    public const int MinLength = 24;

    private const int FlagsOffset = 4;
    private const int TargetOffset = 8;

    private const byte RouterBit = 0x80;
    private const byte SolicitedBit = 0x40;
    private const byte OverrideBit = 0x20;

    private readonly Span<byte> _buffer;

    private NdpNeighborMessage(Span<byte> buffer) => _buffer = buffer;

    /// <summary>Creates a view if the buffer holds the 24-byte fixed part; the type is checked by <see cref="NdpRepr.TryParse(in NdpNeighborMessage, out NdpRepr)"/>.</summary>
    public static bool TryCreate(Span<byte> buffer, out NdpNeighborMessage message)
    {
        message = buffer.Length >= MinLength ? new NdpNeighborMessage(buffer) : default;
        return buffer.Length >= MinLength;
    }

    /// <summary>Creates a view for writing a new message; only the buffer length is checked.</summary>
    public static NdpNeighborMessage CreateUnchecked(Span<byte> buffer)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(buffer.Length, MinLength, nameof(buffer));
        return new NdpNeighborMessage(buffer);
    }

    public Span<byte> Buffer => _buffer;

    /// <summary>The same bytes as an ICMPv6 message, for the type, code and checksum.</summary>
    public Icmpv6Packet Icmp => Icmpv6Packet.CreateUnchecked(_buffer);

    /// <summary>Router flag (advertisements only).</summary>
    public bool Router
    {
        get => (_buffer[FlagsOffset] & RouterBit) != 0;
        set => SetFlag(RouterBit, value);
    }

    /// <summary>Solicited flag (advertisements only).</summary>
    public bool Solicited
    {
        get => (_buffer[FlagsOffset] & SolicitedBit) != 0;
        set => SetFlag(SolicitedBit, value);
    }

    /// <summary>Override flag (advertisements only).</summary>
    public bool Override
    {
        get => (_buffer[FlagsOffset] & OverrideBit) != 0;
        set => SetFlag(OverrideBit, value);
    }

    public Ipv6Address TargetAddress
    {
        get => Ipv6Address.Read(_buffer[TargetOffset..]);
        set => value.WriteTo(_buffer[TargetOffset..]);
    }

    /// <summary>The options area: type, length in units of 8 bytes, value.</summary>
    public Span<byte> Options => _buffer[MinLength..];

    /// <summary>
    /// Finds the first Source (1) or Target (2) Link-Layer Address option of <paramref name="type"/> and reads its
    /// Ethernet address. Returns false if it is absent or the options before it are malformed.
    /// </summary>
    public bool TryGetLinkLayerOption(byte type, out MacAddress mac)
    {
        mac = default;
        ReadOnlySpan<byte> options = Options;
        while (options.Length >= 2)
        {
            var length = options[1] * 8;
            if (length == 0 || length > options.Length) return false;
            if (options[0] == type)
            {
                mac = MacAddress.Read(options[2..]);
                return true;
            }
            options = options[length..];
        }
        return false;
    }

    /// <summary>True when every option has a non-zero length and the last one ends exactly at the end of the message.</summary>
    public bool HasWellFormedOptions()
    {
        ReadOnlySpan<byte> options = Options;
        while (!options.IsEmpty)
        {
            if (options.Length < 2) return false;
            var length = options[1] * 8;
            if (length == 0 || length > options.Length) return false;
            options = options[length..];
        }
        return true;
    }

    private void SetFlag(byte bit, bool value) =>
        _buffer[FlagsOffset] = (byte)(value ? _buffer[FlagsOffset] | bit : _buffer[FlagsOffset] & ~bit);
}
