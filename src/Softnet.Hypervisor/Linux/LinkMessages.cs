using System.Runtime.InteropServices;
using System.Text;

namespace Softnet.Hypervisor.Linux;

/// <summary>What an rtnetlink link message says of an interface: its index, name, and whether it carries frames.</summary>
/// <param name="CarriesFrames">Administratively up with a carrier (IFF_UP and IFF_LOWER_UP); false for a deleted interface.</param>
public readonly record struct LinkStatus(int Index, string Name, bool CarriesFrames);

/// <summary>
/// The link messages of rtnetlink (rtnetlink(7)) in host byte order: a <c>nlmsghdr</c> (length, type, flags, sequence,
/// port id; 16 bytes), an <c>ifinfomsg</c> (family, type, index, flags, change; 16 bytes), then attributes
/// (<c>rtattr</c>: length, type, value, each padded to 4 bytes), of which only <c>IFLA_IFNAME</c> is read.
/// </summary>
public static class LinkMessages
{
    public const ushort Error = 2, Done = 3, NewLink = 16, DelLink = 17, GetLink = 18;
    public const uint IffUp = 0x1, IffLowerUp = 0x10000;

    /// <summary>The multicast group of link changes, to bind a NETLINK_ROUTE socket to.</summary>
    public const uint GroupLink = 1;

    private const int HeaderLength = 16, InfoLength = 16, AttributeHeaderLength = 4;
    private const ushort IflaIfname = 3, NlmFRequest = 1;

    /// <summary>Adds to <paramref name="statuses"/> every link message of <paramref name="datagram"/>; anything else, or a truncated message, ends the walk.</summary>
    public static void Parse(ReadOnlySpan<byte> datagram, List<LinkStatus> statuses)
    {
        while (datagram.Length >= HeaderLength)
        {
            var length = (int)Read<uint>(datagram, 0);
            var type = Read<ushort>(datagram, 4);
            if (length < HeaderLength || length > datagram.Length) return;
            var message = datagram[HeaderLength..length];
            if ((type == NewLink || type == DelLink) && message.Length >= InfoLength && NameOf(message[InfoLength..]) is { } name)
            {
                var flags = Read<uint>(message, 8);
                var carries = type == NewLink && (flags & IffUp) != 0 && (flags & IffLowerUp) != 0;
                statuses.Add(new LinkStatus(Read<int>(message, 4), name, carries));
            }
            datagram = datagram[Math.Min(Align(length), datagram.Length)..];
        }
    }

    /// <summary>Writes an RTM_GETLINK request for the interface named <paramref name="name"/>; returns its length.</summary>
    public static int WriteRequest(Span<byte> buffer, string name, uint sequence)
    {
        var nameLength = Encoding.UTF8.GetByteCount(name) + 1;
        var attribute = AttributeHeaderLength + nameLength;
        var length = HeaderLength + InfoLength + Align(attribute);
        var message = buffer[..length];
        message.Clear();
        Write(message, 0, (uint)length);
        Write(message, 4, GetLink);
        Write(message, 6, NlmFRequest);
        Write(message, 8, sequence);
        var at = HeaderLength + InfoLength;
        Write(message, at, (ushort)attribute);
        Write(message, at + 2, IflaIfname);
        Encoding.UTF8.GetBytes(name, message[(at + AttributeHeaderLength)..]);
        return length;
    }

    private static string? NameOf(ReadOnlySpan<byte> attributes)
    {
        while (attributes.Length >= AttributeHeaderLength)
        {
            var length = Read<ushort>(attributes, 0);
            if (length < AttributeHeaderLength || length > attributes.Length) return null;
            if (Read<ushort>(attributes, 2) == IflaIfname)
            {
                var value = attributes[AttributeHeaderLength..length];
                var end = value.IndexOf((byte)0);
                return Encoding.UTF8.GetString(end < 0 ? value : value[..end]);
            }
            attributes = attributes[Math.Min(Align(length), attributes.Length)..];
        }
        return null;
    }

    private static int Align(int length) => (length + 3) & ~3;

    private static T Read<T>(ReadOnlySpan<byte> bytes, int offset) where T : unmanaged => MemoryMarshal.Read<T>(bytes[offset..]);

    private static void Write<T>(Span<byte> bytes, int offset, T value) where T : unmanaged => MemoryMarshal.Write(bytes[offset..], in value);
}
