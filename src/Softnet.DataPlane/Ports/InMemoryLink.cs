namespace Softnet.DataPlane.Ports;

/// <summary>
/// A point-to-point link inside one process: what one end transmits, the other end receives, by handing over
/// packet handles. Each direction holds at most <c>capacity</c> frames; a full direction refuses the rest, as a full
/// NIC ring would.
/// </summary>
public sealed class InMemoryLink
{
    public const int DefaultCapacity = 4096;

    public InMemoryLink(int capacity = DefaultCapacity)
    {
        var aToB = new HandleRing(capacity);
        var bToA = new HandleRing(capacity);
        A = new End(receive: bToA, transmit: aToB);
        B = new End(receive: aToB, transmit: bToA);
    }

    public End A { get; }
    public End B { get; }

    public sealed class End : IFramePort
    {
        private readonly HandleRing _receive;
        private readonly HandleRing _transmit;

        internal End(HandleRing receive, HandleRing transmit)
        {
            _receive = receive;
            _transmit = transmit;
        }

        /// <summary>Frames waiting to be received at this end.</summary>
        public int Waiting => _receive.Count;

        /// <summary>Frames this end could transmit now before the far end's queue is full.</summary>
        public int Room => _transmit.Free;

        public int Receive(Span<int> destination) => _receive.Dequeue(destination);

        /// <summary>Frees every frame waiting to be received here; only for a link no one uses any more.</summary>
        public void Drain(PacketPool pool)
        {
            Span<int> frames = stackalloc int[64];
            int n;
            while ((n = _receive.Dequeue(frames)) > 0) pool.Free(frames[..n]);
        }

        /// <summary>Copies the oldest waiting frames without taking them; <see cref="Skip"/> then takes as many as wanted.</summary>
        public int Peek(Span<int> destination) => _receive.Peek(destination);

        /// <summary>Takes the <paramref name="count"/> oldest waiting frames, which <see cref="Peek"/> returned; the caller owns them.</summary>
        public void Skip(int count) => _receive.Skip(count);

        public int Transmit(ReadOnlySpan<int> frames) => _transmit.Enqueue(frames);
    }
}
