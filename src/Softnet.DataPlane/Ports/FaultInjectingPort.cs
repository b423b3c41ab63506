namespace Softnet.DataPlane.Ports;

/// <summary>What a <see cref="FaultInjectingPort"/> does to transmitted frames, each fault drawn independently per frame.</summary>
public sealed record FaultProfile(double DropProbability = 0, double CorruptProbability = 0, double DuplicateProbability = 0, int Seed = 1);

/// <summary>
/// Wraps a port and damages what is transmitted through it, deterministically from a seed: frames are lost, get one
/// byte flipped, or are sent twice. Tests use it to check that devices count and survive what real links do.
/// </summary>
public sealed class FaultInjectingPort(IFramePort inner, PacketPool pool, FaultProfile profile) : IFramePort
{
    private readonly Random _random = new(profile.Seed);
    private readonly int[] _one = new int[1];

    public long Dropped { get; private set; }
    public long Corrupted { get; private set; }
    public long Duplicated { get; private set; }

    public int Receive(Span<int> destination) => inner.Receive(destination);

    public int Transmit(ReadOnlySpan<int> frames)
    {
        for (var i = 0; i < frames.Length; i++)
        {
            var frame = frames[i];
            if (_random.NextDouble() < profile.DropProbability)
            {
                pool.Free(frame);
                Dropped++;
                continue;
            }
            if (_random.NextDouble() < profile.CorruptProbability)
            {
                var data = pool.Data(frame);
                if (data.Length > 0) data[_random.Next(data.Length)] ^= (byte)(1 << _random.Next(8));
                Corrupted++;
            }
            if (_random.NextDouble() < profile.DuplicateProbability && pool.TryClone(frame, out var copy))
            {
                _one[0] = copy;
                if (inner.Transmit(_one) == 1) Duplicated++;
                else pool.Free(copy);
            }
            _one[0] = frame;
            if (inner.Transmit(_one) == 0) return i;
        }
        return frames.Length;
    }
}
