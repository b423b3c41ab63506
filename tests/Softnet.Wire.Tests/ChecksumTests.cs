using System.Buffers.Binary;

namespace Softnet.Wire.Tests;

public sealed class ChecksumTests
{
    [Fact]
    public void Matches_rfc_1071_example()
    {
        var data = Hex.Bytes("0001 f203 f4f5 f6f7");
        Assert.Equal(0xDDF2, (ushort)~Checksum.Fold(Checksum.Sum(data, 0)));
        Assert.Equal(0x220D, Checksum.Compute(data));
    }

    [Fact]
    public void Matches_a_word_by_word_reference_for_every_length_and_seed()
    {
        var random = new Random(1071);
        for (var i = 0; i < 3000; i++)
        {
            var data = new byte[random.Next(0, 200)];
            random.NextBytes(data);
            var initial = i % 3 == 0 ? uint.MaxValue - (uint)random.Next(0, 3) : (uint)random.NextInt64(0, uint.MaxValue + 1L);
            Assert.Equal(Reference(data, initial), Checksum.Compute(data, initial));
        }
    }

    [Fact]
    public void Sums_in_even_pieces_like_the_whole()
    {
        var random = new Random(7);
        for (var i = 0; i < 500; i++)
        {
            var data = new byte[random.Next(0, 300)];
            random.NextBytes(data);
            var cut = random.Next(0, data.Length / 2 + 1) * 2;
            var pieces = Checksum.Sum(data.AsSpan(cut), Checksum.Sum(data.AsSpan(0, cut), 0));
            Assert.Equal(Checksum.Compute(data), Checksum.Fold(pieces));
        }
    }

    [Fact]
    public void Pseudo_headers_equal_the_summed_bytes()
    {
        var random = new Random(793);
        for (var i = 0; i < 500; i++)
        {
            var v4Source = new Ipv4Address((uint)random.NextInt64(0, uint.MaxValue + 1L));
            var v4Destination = new Ipv4Address((uint)random.NextInt64(0, uint.MaxValue + 1L));
            var length = random.Next(0, 65536);
            var v4 = new byte[12];
            v4Source.WriteTo(v4);
            v4Destination.WriteTo(v4.AsSpan(4));
            v4[9] = IpProtocol.Tcp;
            BinaryPrimitives.WriteUInt16BigEndian(v4.AsSpan(10), (ushort)length);
            Assert.Equal(Checksum.Compute(v4), Checksum.Fold(Checksum.PseudoHeader(v4Source, v4Destination, IpProtocol.Tcp, length)));

            var v6Source = new Ipv6Address((ulong)random.NextInt64(), (ulong)random.NextInt64());
            var v6Destination = new Ipv6Address(ulong.MaxValue - (ulong)random.NextInt64(), (ulong)random.NextInt64());
            var jumboLength = random.Next();
            var v6 = new byte[40];
            v6Source.WriteTo(v6);
            v6Destination.WriteTo(v6.AsSpan(16));
            BinaryPrimitives.WriteInt32BigEndian(v6.AsSpan(32), jumboLength);
            v6[39] = IpProtocol.Udp;
            Assert.Equal(Checksum.Compute(v6), Checksum.Fold(Checksum.PseudoHeader(v6Source, v6Destination, IpProtocol.Udp, jumboLength)));
        }
    }

    [Fact]
    public void Update_gives_zero_where_rfc_1624_eqn_2_gives_ffff()
    {
        // RFC 1624 section 4: HC = 0xDD2F, m = 0x5555, m' = 0x3285.
        Assert.Equal(0x0000, Checksum.Update(0xDD2F, 0x5555, (ushort)0x3285));
    }

    [Fact]
    public void Updates_match_full_recomputation()
    {
        var random = new Random(1624);
        for (var i = 0; i < 5000; i++)
        {
            var data = new byte[random.Next(1, 20) * 4];
            random.NextBytes(data);
            var at = random.Next(0, data.Length / 4) * 4;
            var before = Checksum.Compute(data);
            var old32 = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(at));
            var new32 = (uint)random.NextInt64(0, uint.MaxValue + 1L);
            BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(at), new32);
            Assert.Equal(Checksum.Compute(data), Checksum.Update(before, old32, new32));

            before = Checksum.Compute(data);
            var old16 = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(at));
            var new16 = (ushort)random.Next(0, 65536);
            BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(at), new16);
            Assert.Equal(Checksum.Compute(data), Checksum.Update(before, old16, new16));
        }
    }

    private static ushort Reference(byte[] data, uint initial)
    {
        ulong sum = initial;
        for (var i = 0; i < data.Length; i += 2)
        {
            sum += (uint)(data[i] << 8 | (i + 1 < data.Length ? data[i + 1] : 0));
        }
        while (sum > 0xFFFF) sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)~sum;
    }
}
