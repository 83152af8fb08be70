using System.Runtime.CompilerServices;

namespace GatewayProxy.Ring;

/// <summary>What every ring of this library shares, whatever its slots hold: the sequencer (one producer's claims and
/// publishes, stamps) and the readers it tracks. <see cref="RingBuffer{T}"/> and <see cref="PayloadRing{TMeta}"/> add
/// their slots on top.</summary>
/// <remarks>The memory-ordering argument is on <see cref="RingSequencer"/>. The members are not virtual: a derived
/// ring's hot path calls them directly.</remarks>
public abstract class SequencedRing
{
    /// <summary>Creates the sequencer of a ring of <paramref name="size"/> slots (a power of two).</summary>
    private protected SequencedRing(int size, RingOptions? options) =>
        Sequencer = new RingSequencer(size, (options ?? RingOptions.Default).WaitStrategy);

    /// <summary>The ring's sequencer.</summary>
    private protected RingSequencer Sequencer { get; }

    /// <summary>Number of slots: the most events the ring keeps.</summary>
    public int Size => Sequencer.Size;

    /// <summary>Highest published sequence; -1 before the first publish.</summary>
    public long Cursor => Sequencer.Cursor;

    /// <summary>Highest claimed sequence (published or being written); -1 before the first claim.</summary>
    public long Claimed => Sequencer.Claimed;

    /// <summary>How waits are performed.</summary>
    public WaitStrategyKind WaitStrategy => Sequencer.Strategy;

    /// <summary>Claims the next sequence; false when its slot is still needed by a gating reader.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryNext(out long sequence) => Sequencer.TryNext(out sequence);

    /// <summary>Claims the next sequence, awaiting gating readers (no thread held) when the ring is full.</summary>
    public ValueTask<long> NextAsync(CancellationToken ct = default) => Sequencer.NextAsync(ct);

    /// <summary>Claims the next sequence, blocking the calling thread when the ring is full.</summary>
    public long Next(CancellationToken ct = default) => Sequencer.Next(ct);

    /// <summary>The stamp of the slot <paramref name="sequence"/> maps to.</summary>
    public long GetStamp(long sequence) => Sequencer.GetStamp(sequence);

    /// <summary>Seqlock "stamp after": true when <paramref name="sequence"/> is still held after the caller's copy.</summary>
    public bool Validate(long sequence) => Sequencer.Validate(sequence);

    /// <summary>True when <paramref name="sequence"/> was overwritten or trimmed (or is being overwritten).</summary>
    public bool IsOverrun(long sequence) => Sequencer.IsOverrun(sequence);

    /// <summary>The lowest gating reader position, or <see cref="long.MaxValue"/> when no reader gates.</summary>
    public long MinimumGatingPosition => Sequencer.MinimumGatingPosition();

    /// <summary>Adds a reader the producer waits for, positioned after <paramref name="startAfter"/>. Throws when the
    /// event after it may already be overwritten or trimmed. Remove with Dispose.</summary>
    public GatingReader AddGatingReader(long startAfter)
    {
        var reader = new GatingReader(Sequencer, startAfter);
        Sequencer.AddGating(reader, startAfter);
        return reader;
    }

    /// <summary>Adds a gating reader positioned at the cursor as of joining: safe however fast the producer runs.
    /// Its <see cref="RingConsumer.Position"/> tells where it starts.</summary>
    public GatingReader AddGatingReaderAtCursor()
    {
        var reader = new GatingReader(Sequencer, -1);
        Sequencer.AddGatingAtCursor(reader);
        return reader;
    }

    /// <summary>Adds a reader the producer never waits for, positioned after <paramref name="startAfter"/>. While it
    /// lives (until disposed) the ring keeps what it has not read, within the last <see cref="Size"/> events and the
    /// process-wide limit; it finds out by itself when it is overrun.</summary>
    public RingReader AddReader(long startAfter)
    {
        var reader = new RingReader(Sequencer, startAfter);
        Sequencer.AddReader(reader);
        return reader;
    }

    /// <summary>Links <paramref name="signal"/> to this ring; arm the subscription before each sleep.</summary>
    public RingSubscription Subscribe(RingSignal signal)
    {
        ArgumentNullException.ThrowIfNull(signal);
        return new RingSubscription(Sequencer, signal);
    }
}
