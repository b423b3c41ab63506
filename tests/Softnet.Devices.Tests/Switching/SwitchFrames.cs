using System.Buffers.Binary;
using Softnet.Wire;

namespace Softnet.Devices.Tests.Switching;

/// <summary>Builds test frames byte by byte, independently of the wire layer under test.</summary>
internal static class SwitchFrames
{
    public const ushort Ipv4 = 0x0800;

    public static readonly MacAddress A = MacAddress.Parse("00:00:5e:00:53:0a", null);
    public static readonly MacAddress B = MacAddress.Parse("00:00:5e:00:53:0b", null);
    public static readonly MacAddress C = MacAddress.Parse("00:00:5e:00:53:0c", null);
    public static readonly MacAddress D = MacAddress.Parse("00:00:5e:00:53:0d", null);

    public static byte[] Untagged(MacAddress destination, MacAddress source, int payloadLength = 46, ushort etherType = Ipv4)
    {
        var frame = new byte[14 + payloadLength];
        destination.WriteTo(frame);
        source.WriteTo(frame.AsSpan(6));
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), etherType);
        FillPayload(frame.AsSpan(14));
        return frame;
    }

    /// <summary>An 802.1Q-tagged frame: TPID 0x8100, then TCI = PCP(3) | DEI(1) | VID(12).</summary>
    public static byte[] Tagged(MacAddress destination, MacAddress source, int vlan, int priority = 0, bool dropEligible = false, int payloadLength = 42, ushort etherType = Ipv4)
    {
        var frame = new byte[18 + payloadLength];
        destination.WriteTo(frame);
        source.WriteTo(frame.AsSpan(6));
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x8100);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(14), (ushort)((priority << 13) | (dropEligible ? 0x1000 : 0) | vlan));
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(16), etherType);
        FillPayload(frame.AsSpan(18));
        return frame;
    }

    /// <summary>The same frame with its tag removed (what an access port must send).</summary>
    public static byte[] Untag(byte[] tagged) => [.. tagged[..12], .. tagged[16..]];

    /// <summary>The same frame with a tag inserted after the addresses (what a trunk port must send).</summary>
    public static byte[] Tag(byte[] untagged, int vlan, int priority = 0) =>
        [.. untagged[..12], 0x81, 0x00, (byte)((priority << 5) | (vlan >> 8)), (byte)vlan, .. untagged[12..]];

    private static void FillPayload(Span<byte> payload)
    {
        for (var i = 0; i < payload.Length; i++) payload[i] = (byte)(0xA0 + i * 7);
    }
}
