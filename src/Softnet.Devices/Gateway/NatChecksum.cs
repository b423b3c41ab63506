using Softnet.Wire;

namespace Softnet.Devices.Gateway;

/// <summary>
/// RFC 1624 updates of a transport checksum (TCP, UDP, ICMPv6) whose pseudo-header holds an address that NAT
/// rewrote. A frame with a partial checksum (<see cref="DataPlane.PacketFlags.ChecksumPartial"/>) holds the folded
/// pseudo-header sum P in the field instead of a checksum: P' = P + ~m + m' is ~Update(~P, m, m').
/// </summary>
internal static class NatChecksum
{
    /// <summary>The field after <paramref name="oldAddress"/> became <paramref name="newAddress"/>; unchanged when they are equal.</summary>
    public static ushort Update(ushort field, uint oldAddress, uint newAddress, bool partial) =>
        oldAddress == newAddress ? field
        : partial ? (ushort)~Checksum.Update((ushort)~field, oldAddress, newAddress)
        : Checksum.Update(field, oldAddress, newAddress);

    public static ushort Update(ushort field, UInt128 oldAddress, UInt128 newAddress, bool partial)
    {
        for (var shift = 0; shift < 128; shift += 32) field = Update(field, (uint)(oldAddress >> shift), (uint)(newAddress >> shift), partial);
        return field;
    }

    /// <summary>
    /// A UDP checksum after the address change: 0 (none sent) stays 0, and a complete checksum that comes out as 0 is
    /// sent as 0xFFFF (RFC 768).
    /// </summary>
    public static ushort UpdateUdp(ushort field, uint oldAddress, uint newAddress, bool partial) =>
        field == 0 && !partial ? (ushort)0 : NonZero(Update(field, oldAddress, newAddress, partial), partial);

    public static ushort UpdateUdp(ushort field, UInt128 oldAddress, UInt128 newAddress, bool partial) =>
        field == 0 && !partial ? (ushort)0 : NonZero(Update(field, oldAddress, newAddress, partial), partial);

    private static ushort NonZero(ushort checksum, bool partial) => checksum == 0 && !partial ? (ushort)0xFFFF : checksum;
}
