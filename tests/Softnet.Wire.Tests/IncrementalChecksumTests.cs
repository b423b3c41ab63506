namespace Softnet.Wire.Tests;

public sealed class IncrementalChecksumTests
{
    [Fact]
    public void Ttl_decrement_equals_full_recompute()
    {
        var random = new Random(1812);
        for (var i = 0; i < 5000; i++)
        {
            var bytes = RandomHeader(random);
            AssertDecrementMatches(bytes);
        }
    }

    [Fact]
    public void Address_rewrites_equal_full_recompute()
    {
        var random = new Random(3022);
        for (var i = 0; i < 5000; i++)
        {
            var bytes = RandomHeader(random);
            var expected = bytes.ToArray();
            var source = new Ipv4Address((uint)random.NextInt64(0, uint.MaxValue + 1L));
            var destination = new Ipv4Address((uint)random.NextInt64(0, uint.MaxValue + 1L));

            var ip = Ipv4Packet.CreateUnchecked(bytes);
            ip.SetSourceIncremental(source);
            ip.SetDestinationIncremental(destination);

            var full = Ipv4Packet.CreateUnchecked(expected);
            full.Source = source;
            full.Destination = destination;
            full.FillChecksum();
            Assert.Equal(Hex.Of(expected), Hex.Of(bytes));
            Assert.True(ip.VerifyChecksum());
        }
    }

    [Fact]
    public void Handles_checksums_of_0000_before_and_after()
    {
        var random = new Random(0);
        var bytes = RandomHeader(random);
        var ip = Ipv4Packet.CreateUnchecked(bytes);

        // Find an identification whose header, after the decrement, checksums to 0x0000.
        ip.TimeToLive = 2;
        Assert.True(FindIdentification(bytes, ttlAfter: 1, checksum: 0x0000));
        AssertDecrementMatches(bytes);
        Assert.Equal(0x0000, Ipv4Packet.CreateUnchecked(bytes).HeaderChecksum);

        // Now one whose checksum is 0x0000 before the decrement.
        bytes = RandomHeader(random);
        Ipv4Packet.CreateUnchecked(bytes).TimeToLive = 9;
        Assert.True(FindIdentification(bytes, ttlAfter: 9, checksum: 0x0000));
        Assert.Equal(0x0000, Ipv4Packet.CreateUnchecked(bytes).HeaderChecksum);
        AssertDecrementMatches(bytes);

        // An address rewrite landing on 0x0000: search the destination's low word.
        bytes = RandomHeader(random);
        ip = Ipv4Packet.CreateUnchecked(bytes);
        var expected = bytes.ToArray();
        var full = Ipv4Packet.CreateUnchecked(expected);
        for (uint low = 0; low <= 0xFFFF; low++)
        {
            full.Destination = new Ipv4Address((ip.Destination.Value & 0xFFFF_0000) | low);
            full.FillChecksum();
            if (full.HeaderChecksum == 0) break;
        }
        Assert.Equal(0x0000, full.HeaderChecksum);
        ip.SetDestinationIncremental(full.Destination);
        Assert.Equal(Hex.Of(expected), Hex.Of(bytes));
    }

    [Fact]
    public void Ttl_zero_is_left_alone()
    {
        var bytes = RandomHeader(new Random(5));
        var ip = Ipv4Packet.CreateUnchecked(bytes);
        ip.TimeToLive = 0;
        ip.FillChecksum();
        var before = bytes.ToArray();
        ip.DecrementTtl();
        Assert.Equal(before, bytes);
    }

    private static void AssertDecrementMatches(byte[] bytes)
    {
        var expected = bytes.ToArray();
        var full = Ipv4Packet.CreateUnchecked(expected);
        full.TimeToLive--;
        full.FillChecksum();

        var ip = Ipv4Packet.CreateUnchecked(bytes);
        ip.DecrementTtl();
        Assert.Equal(Hex.Of(expected), Hex.Of(bytes));
        Assert.True(ip.VerifyChecksum());
    }

    /// <summary>Sets the identification so that the header with TTL <paramref name="ttlAfter"/> has <paramref name="checksum"/>, then restores the TTL.</summary>
    private static bool FindIdentification(byte[] bytes, byte ttlAfter, ushort checksum)
    {
        var ip = Ipv4Packet.CreateUnchecked(bytes);
        var ttl = ip.TimeToLive;
        for (var id = 0; id <= ushort.MaxValue; id++)
        {
            ip.Identification = (ushort)id;
            ip.TimeToLive = ttlAfter;
            ip.FillChecksum();
            if (ip.HeaderChecksum != checksum) continue;
            ip.TimeToLive = ttl;
            ip.FillChecksum();
            return true;
        }
        return false;
    }

    private static byte[] RandomHeader(Random random)
    {
        var headerLength = random.Next(5, 16) * 4;
        var bytes = new byte[headerLength];
        random.NextBytes(bytes);
        var ip = Ipv4Packet.CreateUnchecked(bytes);
        ip.Version = 4;
        ip.HeaderLength = headerLength;
        ip.TotalLength = (ushort)headerLength;
        ip.TimeToLive = (byte)random.Next(1, 256);
        ip.FillChecksum();
        return bytes;
    }
}
