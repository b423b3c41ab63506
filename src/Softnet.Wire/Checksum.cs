using System.Buffers.Binary;

namespace Softnet.Wire;

/// <summary>
/// The Internet checksum (RFC 1071): the one's complement of the one's complement sum of the data taken as
/// big-endian 16-bit words, with RFC 1624 incremental updates.
/// </summary>
public static class Checksum
{
    /// <summary>
    /// The checksum field value for <paramref name="data"/>, seeded with the partial sum <paramref name="initial"/>
    /// (for example a pseudo-header). Over data that already holds a correct checksum the result is 0.
    /// </summary>
    public static ushort Compute(ReadOnlySpan<byte> data, uint initial = 0) => Fold(Sum(data, initial));

    /// <summary>
    /// Adds <paramref name="data"/> to the partial sum <paramref name="initial"/> without folding. An odd trailing byte is
    /// padded with zero, so when a message is summed in pieces only the last piece may have an odd length.
    /// </summary>
    public static uint Sum(ReadOnlySpan<byte> data, uint initial)
    {
        // 2^16 = 1 (mod 2^16 - 1), so adding 64-bit big-endian words with end-around carry and folding at the end
        // gives the same one's complement sum as adding 16-bit words one by one.
        ulong sum = initial;
        while (data.Length >= 8)
        {
            sum = AddWithCarry(sum, BinaryPrimitives.ReadUInt64BigEndian(data));
            data = data[8..];
        }
        if (!data.IsEmpty)
        {
            // The last 1-7 bytes, left-aligned in a 64-bit word as the loop above would have read them.
            ulong tail = 0;
            var shift = 64;
            if (data.Length >= 4)
            {
                shift -= 32;
                tail |= (ulong)BinaryPrimitives.ReadUInt32BigEndian(data) << shift;
                data = data[4..];
            }
            if (data.Length >= 2)
            {
                shift -= 16;
                tail |= (ulong)BinaryPrimitives.ReadUInt16BigEndian(data) << shift;
                data = data[2..];
            }
            if (!data.IsEmpty) tail |= (ulong)data[0] << (shift - 8);
            sum = AddWithCarry(sum, tail);
        }
        // Fold 64 to 32 bits; two rounds leave no carry.
        sum = (sum & 0xFFFF_FFFF) + (sum >> 32);
        sum = (sum & 0xFFFF_FFFF) + (sum >> 32);
        return (uint)sum;
    }

    /// <summary>Folds a partial sum to 16 bits and complements it: the value to store in a checksum field.</summary>
    public static ushort Fold(uint sum)
    {
        sum = (sum & 0xFFFF) + (sum >> 16);
        sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)~sum;
    }

    /// <summary>The partial sum of the IPv4 pseudo-header (RFC 793 / RFC 768) for an upper-layer message of <paramref name="length"/> bytes.</summary>
    public static uint PseudoHeader(Ipv4Address source, Ipv4Address destination, byte protocol, int length) =>
        (source.Value >> 16) + (source.Value & 0xFFFF) + (destination.Value >> 16) + (destination.Value & 0xFFFF)
        + protocol + ((uint)length >> 16) + ((uint)length & 0xFFFF);

    /// <summary>The partial sum of the IPv6 pseudo-header (RFC 8200 section 8.1) for an upper-layer message of <paramref name="length"/> bytes.</summary>
    public static uint PseudoHeader(Ipv6Address source, Ipv6Address destination, byte protocol, int length) =>
        SumWords(source.Upper) + SumWords(source.Lower) + SumWords(destination.Upper) + SumWords(destination.Lower)
        + protocol + ((uint)length >> 16) + ((uint)length & 0xFFFF);

    // RFC 1624 eqn. 3. A checksum is HC = ~C, where C is the one's complement sum of every word. Replacing a word m
    // by m' turns C into C' = C - m + m', and in one's complement arithmetic -m is ~m, so C' = C + ~m + m' and
    //     HC' = ~C' = ~(~HC + ~m + m').
    // With end-around carry, a sum that starts from a non-zero ~HC is never 0x0000, so HC' is never 0xFFFF and equals a
    // full recomputation, including when that is 0x0000. RFC 1141's HC' = HC + m + ~m' (eqn. 2) gives 0xFFFF there.

    /// <summary>Updates <paramref name="checksum"/> after a 16-bit word of the covered data changed from <paramref name="oldWord"/> to <paramref name="newWord"/> (RFC 1624).</summary>
    public static ushort Update(ushort checksum, ushort oldWord, ushort newWord) =>
        Fold((uint)(ushort)~checksum + (ushort)~oldWord + newWord);

    /// <summary>Updates <paramref name="checksum"/> after a 32-bit field (such as an IPv4 address) changed from <paramref name="oldValue"/> to <paramref name="newValue"/> (RFC 1624).</summary>
    public static ushort Update(ushort checksum, uint oldValue, uint newValue) =>
        Fold((uint)(ushort)~checksum + (ushort)~(oldValue >> 16) + (ushort)~oldValue + (newValue >> 16) + (newValue & 0xFFFF));

    private static ulong AddWithCarry(ulong sum, ulong word)
    {
        sum += word;
        return sum < word ? sum + 1 : sum;
    }

    private static uint SumWords(ulong value) =>
        (uint)(value >> 48) + (uint)((value >> 32) & 0xFFFF) + (uint)((value >> 16) & 0xFFFF) + (uint)(value & 0xFFFF);
}
