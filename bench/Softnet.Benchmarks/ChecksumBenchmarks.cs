using BenchmarkDotNet.Attributes;
using Softnet.Wire;

namespace Softnet.Benchmarks;

/// <summary>The Internet checksum over an IPv4 header, a minimum frame and a full-size payload, and its RFC 1624 update.</summary>
[MemoryDiagnoser]
public class ChecksumBenchmarks
{
    private readonly byte[] _data = new byte[1500];
    private ushort _checksum = 0x1234;

    [GlobalSetup]
    public void Setup() => new Random(1).NextBytes(_data);

    [Benchmark]
    public ushort Ipv4Header() => Checksum.Compute(_data.AsSpan(0, Ipv4Packet.MinHeaderLength));

    [Benchmark]
    public ushort Bytes64() => Checksum.Compute(_data.AsSpan(0, 64));

    [Benchmark]
    public ushort Bytes1500() => Checksum.Compute(_data);

    /// <summary>What a TTL decrement costs the header checksum.</summary>
    [Benchmark]
    public ushort IncrementalUpdate() => _checksum = Checksum.Update(_checksum, (ushort)0x4011, (ushort)0x3F11);
}
