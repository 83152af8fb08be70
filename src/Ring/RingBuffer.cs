using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace GatewayProxy.Ring;

/// <summary>A Disruptor-style ring: power-of-two slots allocated once, a single producer that claims, writes in place
/// and publishes, gating readers that never lose an event, and non-gating readers that detect their own overrun.</summary>
/// <typeparam name="T">The slot type (mutable, reused for every sequence that maps to it).</typeparam>
/// <remarks>The memory-ordering argument is on <see cref="RingSequencer"/>.</remarks>
public sealed class RingBuffer<T>
    where T : class
{
    private readonly T[] _slots;
    private readonly RingSequencer _sequencer;

    /// <summary>Creates a ring of <paramref name="size"/> slots (a power of two), each made once by
    /// <paramref name="slotFactory"/> from its index.</summary>
    public RingBuffer(int size, Func<long, T> slotFactory, RingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(slotFactory);
        _sequencer = new RingSequencer(size, (options ?? RingOptions.Default).WaitStrategy);
        _slots = new T[size];
        for (int i = 0; i < size; i++) _slots[i] = slotFactory(i) ?? ThrowNullSlot(i);
    }

    /// <summary>Number of slots.</summary>
    public int Size => _sequencer.Size;

    /// <summary>Highest published sequence; -1 before the first publish.</summary>
    public long Cursor => _sequencer.Cursor;

    /// <summary>Highest claimed sequence (published or being written); -1 before the first claim.</summary>
    public long Claimed => _sequencer.Claimed;

    /// <summary>How waits are performed.</summary>
    public WaitStrategyKind WaitStrategy => _sequencer.Strategy;

    /// <summary>The oldest sequence the ring may still hold (Cursor - Size + 1, at least 0).</summary>
    public long OldestAvailable => Math.Max(0, _sequencer.Cursor - Size + 1);

    /// <summary>The slot object for <paramref name="sequence"/> (index = sequence &amp; (Size - 1)).</summary>
    public T this[long sequence]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_slots), (nint)(sequence & _sequencer.Mask));
    }

    /// <summary>Claims the next sequence; false when its slot is still needed by a gating reader.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryNext(out long sequence) => _sequencer.TryNext(out sequence);

    /// <summary>Claims the next sequence, awaiting gating readers (no thread held) when the ring is full.</summary>
    public ValueTask<long> NextAsync(CancellationToken ct = default) => _sequencer.NextAsync(ct);

    /// <summary>Claims the next sequence, blocking the calling thread when the ring is full.</summary>
    public long Next(CancellationToken ct = default) => _sequencer.Next(ct);

    /// <summary>Publishes a claimed sequence (in claim order): sets its stamp, advances the cursor, wakes waiters.
    /// Allocation-free; one flag check when nobody waits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Publish(long sequence) => _sequencer.Publish(sequence);

    /// <summary>The stamp of the slot <paramref name="sequence"/> maps to: the sequence it holds, or a
    /// <see cref="RingStamp.Writing"/> mark while it is rewritten.</summary>
    public long GetStamp(long sequence) => _sequencer.GetStamp(sequence);

    /// <summary>Seqlock "stamp before": true when the slot holds <paramref name="sequence"/> now (copy, then call
    /// <see cref="Validate"/>).</summary>
    public bool IsAvailable(long sequence) => _sequencer.GetStamp(sequence) == sequence;

    /// <summary>Seqlock "stamp after": true when the slot still holds <paramref name="sequence"/> after the caller's copy.</summary>
    public bool Validate(long sequence) => _sequencer.Validate(sequence);

    /// <summary>True when the slot of <paramref name="sequence"/> already holds (or is being rewritten for) a newer one.</summary>
    public bool IsOverrun(long sequence) => _sequencer.IsOverrun(sequence);

    /// <summary>The lowest gating reader position, or <see cref="long.MaxValue"/> when no reader gates.</summary>
    public long MinimumGatingPosition => _sequencer.MinimumGatingPosition();

    /// <summary>Adds a reader the producer waits for, positioned after <paramref name="startAfter"/>. Throws when the
    /// slot after it may already be overwritten (startAfter older than Claimed + 1 - Size). Remove with Dispose.</summary>
    public GatingReader AddGatingReader(long startAfter)
    {
        var reader = new GatingReader(_sequencer, startAfter);
        _sequencer.AddGating(reader, startAfter);
        return reader;
    }

    /// <summary>Adds a gating reader positioned at the cursor as of joining: safe however fast the producer runs.
    /// Its <see cref="RingConsumer.Position"/> tells where it starts.</summary>
    public GatingReader AddGatingReaderAtCursor()
    {
        var reader = new GatingReader(_sequencer, -1);
        _sequencer.AddGatingAtCursor(reader);
        return reader;
    }

    /// <summary>Adds a reader the producer never waits for, positioned after <paramref name="startAfter"/>; it finds
    /// out by itself when it is overrun.</summary>
    public RingReader AddReader(long startAfter)
    {
        var reader = new RingReader(_sequencer, startAfter);
        _sequencer.AddReader(reader);
        return reader;
    }

    /// <summary>Links <paramref name="signal"/> to this ring; arm the subscription before each sleep.</summary>
    public RingSubscription Subscribe(RingSignal signal)
    {
        ArgumentNullException.ThrowIfNull(signal);
        return new RingSubscription(_sequencer, signal);
    }

    private static T ThrowNullSlot(long index)
    {
        ThrowHelper.NullSlot(index);
        return null!;
    }
}
