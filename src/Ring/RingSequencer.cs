using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace GatewayProxy.Ring;

/// <summary>The sequencing half of the ring (cursor, stamps, gating, waiters), independent of the slot type so
/// readers need no generic parameter.</summary>
/// <remarks>
/// Why the protocol is correct (all "fences" below are full fences: Interlocked operations):
///
/// 1. Publication. The producer writes slot data, then Volatile.Write(stamp = seq) (release), then
///    Interlocked.Exchange(cursor = seq). A reader that reads cursor >= seq (acquire) sees the slot data and the
///    stamp of seq or of a later sequence mapped to the same slot.
///
/// 2. Seqlock for non-gating readers. Claiming seq first sets stamp = Writing(seq) with Interlocked.Exchange,
///    whose fence keeps every later data write from becoming visible before the mark. A reader checks
///    stamp == seq (acquire) before copying, copies, then issues a full fence and re-reads the stamp. If a
///    copied byte came from a rewrite of the slot, the fence pair (producer: mark, fence, write; reader:
///    read, fence, re-read stamp) forces the re-read to see the mark or something newer, so the copy is
///    rejected. Claims happen in order, so if the oldest sequence of a batch still has its stamp after the
///    copy, no later slot of the batch can have been re-marked either: one validation covers a batch.
///
/// 3. Gating. The producer only claims n when n - Size &lt;= min(gating positions), using a cached minimum that
///    it refreshes when it would wrap past it or when the gating set's version changed. A joining gating
///    reader publishes the new set, bumps the version (fence), then reads Claimed; the producer writes
///    Claimed, fences (the stamp mark), then reads the version for its next claim. Dekker: either the
///    producer sees the new version (and the new reader) for its next claim, or the joiner sees every claim
///    made without it except at most one more, which is why the joiner requires startAfter &gt;= Claimed + 1 - Size.
///
/// 4. Waking without lost wake-ups. A waiter registers (under the lock, then a fenced write of the waiter
///    count) and re-reads the cursor; the producer fences the cursor write and then reads the waiter count.
///    One of them sees the other. The same pattern (fenced write, then read) pairs a gating reader's
///    Advance with the producer's "I am waiting" flag.
///
/// 5. Trimming (payload rings, docs/architecture.md "Ring memory"). The floor is the oldest sequence whose bytes are
///    still held. The trimmer raises it with Interlocked.Exchange (a full fence) before any block holding older events
///    goes back to the pool, and whoever rents that block writes to it only after the pool's lock. A reader copies,
///    fences and then re-reads the floor with the stamp: if a copied byte came from a block recycled after the trim,
///    the re-read sees the raised floor and the copy is rejected. Sequences below the floor read as overrun.
/// </remarks>
internal sealed partial class RingSequencer
{
    /// <summary>Number of slots (a power of two).</summary>
    public readonly int Size;

    /// <summary>Size - 1: a sequence's slot index is sequence &amp; Mask.</summary>
    public readonly long Mask;

    /// <summary>How waits are performed.</summary>
    public readonly WaitStrategyKind Strategy;

    private readonly long[] _stamps;

    // Mutable structs: never readonly (a readonly field would be copied on every access).
    private PaddedSequence _cursor;
    private ProducerState _producer;
    private PaddedSequence _waiterCount;
    private PaddedSequence _producerWaiting;
    private PaddedSequence _floor;

    public RingSequencer(int size, WaitStrategyKind strategy)
    {
        if (size <= 0 || size > 1 << 30 || (size & (size - 1)) != 0) ThrowHelper.BadSize(size);
        Size = size;
        Mask = size - 1;
        Strategy = strategy;
        _stamps = new long[size];
        // Slot i "held" sequence i - Size before the start: never equal to a real sequence.
        for (int i = 0; i < size; i++) _stamps[i] = i - (long)size;
        _cursor = new PaddedSequence(-1);
        _producer.Claimed = -1;
        _producer.CachedGatingMin = long.MaxValue;
        _producer.CachedVersion = 0;
        _waiters = new RingWaiter[8];
    }

    /// <summary>Highest published sequence (acquire).</summary>
    public long Cursor
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _cursor.Value;
    }

    /// <summary>Highest claimed sequence (acquire).</summary>
    public long Claimed => Volatile.Read(ref _producer.Claimed);

    /// <summary>The stamp of the slot <paramref name="sequence"/> maps to (acquire).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long GetStamp(long sequence) =>
        Volatile.Read(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_stamps), (nint)(sequence & Mask)));

    /// <summary>The oldest sequence whose payload is still held (acquire); 0 until a payload ring trims.</summary>
    public long Floor
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _floor.Value;
    }

    /// <summary>Seqlock validation: true when the slot still holds <paramref name="sequence"/> and its payload is not
    /// trimmed, after the caller's reads of it (the fence keeps those reads from moving after the re-reads).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Validate(long sequence)
    {
        Interlocked.MemoryBarrier();
        return GetStamp(sequence) == sequence && sequence >= _floor.Value;
    }

    /// <summary>True when the slot of <paramref name="sequence"/> already holds, or is being rewritten for, a newer
    /// sequence, or when its payload was trimmed: the event is gone.</summary>
    public bool IsOverrun(long sequence) => RingStamp.SequenceOf(GetStamp(sequence)) > sequence || sequence < _floor.Value;

    /// <summary>Raises the floor to <paramref name="floor"/> (never lowers it), with a full fence, so readers see it
    /// before any block it frees is reused. Called under <see cref="MembersLock"/>.</summary>
    internal void RaiseFloor(long floor)
    {
        if (floor > _floor.Raw) Interlocked.Exchange(ref _floor.Raw, floor);
    }

    /// <summary>Producer-private state on its own cache lines; only <see cref="Claimed"/> is read by others.</summary>
    [StructLayout(LayoutKind.Explicit, Size = PaddedSequence.PaddingBytes + 24 + PaddedSequence.PaddingBytes)]
    private struct ProducerState
    {
        [FieldOffset(PaddedSequence.PaddingBytes)]
        public long Claimed;

        [FieldOffset(PaddedSequence.PaddingBytes + 8)]
        public long CachedGatingMin;

        [FieldOffset(PaddedSequence.PaddingBytes + 16)]
        public int CachedVersion;
    }
}
