using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using GatewayProxy.Ring.Memory;

namespace GatewayProxy.Ring;

/// <summary>
/// A ring of payloads with metadata: the ring of <see cref="RingBuffer{T}"/> (one producer, gating and non-gating
/// readers, stamps), whose slots are small and fixed (where the record lives, when it was published) while the records
/// themselves (metadata, then payload bytes) live in a byte log built from pooled segments that every ring of the
/// process shares. Memory follows what readers can still need, not the ring size (docs/architecture.md, "Ring memory").
/// </summary>
/// <typeparam name="TMeta">What the producer learned about each payload (an unmanaged struct, stored before it).</typeparam>
/// <remarks>
/// Producer: claim (<see cref="TryNext"/>), write the payload into <see cref="Writer"/>, <see cref="Publish"/>.
/// Non-gating reader: <see cref="RingReader.Poll"/>, <see cref="Read"/> (copy the metadata, read the span), then
/// <see cref="RingReader.Validate"/> before trusting either; a trimmed event fails validation exactly like an overwritten
/// one. Gating readers never lose an event, so they read without validating.
/// </remarks>
public sealed class PayloadRing<TMeta> : IDisposable
    where TMeta : unmanaged
{
    private readonly RingSequencer _sequencer;
    private readonly PayloadRef[] _slots;
    private readonly PayloadLog _log;
    private readonly int _headerSize;
    private int _disposed;

    /// <summary>Creates a ring of <paramref name="size"/> slots (a power of two) whose payloads are held within
    /// <paramref name="memory"/> (<see cref="RingMemory.Default"/> when null).</summary>
    public PayloadRing(int size, RingMemory? memory = null, RingOptions? options = null)
    {
        _sequencer = new RingSequencer(size, (options ?? RingOptions.Default).WaitStrategy);
        _slots = new PayloadRef[size];
        for (int i = 0; i < size; i++) _slots[i].Block = [];
        _headerSize = (Unsafe.SizeOf<TMeta>() + 7) & ~7;
        memory ??= RingMemory.Default;
        _log = new PayloadLog(_sequencer, _slots, memory);
        Writer = new PayloadWriter(_log, _headerSize);
        memory.Register(_log);
    }

    /// <summary>Number of slots: the most events the ring keeps.</summary>
    public int Size => _sequencer.Size;

    /// <summary>Highest published sequence; -1 before the first publish.</summary>
    public long Cursor => _sequencer.Cursor;

    /// <summary>Highest claimed sequence (published or being written); -1 before the first claim.</summary>
    public long Claimed => _sequencer.Claimed;

    /// <summary>How waits are performed.</summary>
    public WaitStrategyKind WaitStrategy => _sequencer.Strategy;

    /// <summary>The oldest sequence the ring may still hold: within the last <see cref="Size"/> and not trimmed.</summary>
    public long OldestAvailable => Math.Max(Math.Max(0, _sequencer.Cursor - Size + 1), _sequencer.Floor);

    /// <summary>The oldest sequence whose payload has not been trimmed (0 before any trim).</summary>
    public long OldestRetained => _sequencer.Floor;

    /// <summary>The budget this ring's bytes count against.</summary>
    public RingMemory Memory => _log.Memory;

    /// <summary>Bytes of the blocks this ring holds now.</summary>
    public long HeldBytes => _log.HeldBytes;

    /// <summary>Trims of this ring forced by the process-wide limit.</summary>
    public long LimitTrims => _log.LimitTrims;

    /// <summary>Blocks this ring holds now.</summary>
    public int BlockCount => _log.BlockCount;

    /// <summary>Where the producer writes the payload of the sequence it will publish next.</summary>
    public PayloadWriter Writer { get; }

    /// <summary>Claims the next sequence; false when its slot is still needed by a gating reader.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryNext(out long sequence) => _sequencer.TryNext(out sequence);

    /// <summary>Claims the next sequence, awaiting gating readers (no thread held) when the ring is full.</summary>
    public ValueTask<long> NextAsync(CancellationToken ct = default) => _sequencer.NextAsync(ct);

    /// <summary>Claims the next sequence, blocking the calling thread when the ring is full.</summary>
    public long Next(CancellationToken ct = default) => _sequencer.Next(ct);

    /// <summary>Publishes the claimed <paramref name="sequence"/> (in claim order) with the payload written into
    /// <see cref="Writer"/> since the last publish, and its <paramref name="meta"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Publish(long sequence, in TMeta meta)
    {
        ref PayloadRef slot = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_slots), (nint)(sequence & _sequencer.Mask));
        Span<byte> header = Writer.Commit(sequence, ref slot);
        Unsafe.WriteUnaligned(ref MemoryMarshal.GetReference(header), meta);
        _sequencer.Publish(sequence);
    }

    /// <summary>Seqlock read of <paramref name="sequence"/>: copies its metadata and returns its payload bytes, in place.
    /// Until the caller's <see cref="RingReader.Validate"/> succeeds after its last use of both, they may be torn,
    /// another event's or another ring's bytes: never throws for that, and never reads outside the block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> Read(long sequence, out TMeta meta)
    {
        ref PayloadRef slot = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_slots), (nint)(sequence & _sequencer.Mask));
        byte[] block = slot.Block;
        int offset = slot.Offset;
        int length = slot.Length;
        // Fields of two writes may pair up here: clamp to the block the reference came from.
        long room = (long)block.Length - offset - _headerSize;
        if (offset < 0 || room < 0)
        {
            meta = default;
            return default;
        }

        ref byte record = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(block), (nint)(uint)offset);
        meta = Unsafe.ReadUnaligned<TMeta>(ref record);
        if ((ulong)(uint)length > (ulong)room) length = (int)room;
        return MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref record, _headerSize), length);
    }

    /// <summary>The stamp of the slot <paramref name="sequence"/> maps to.</summary>
    public long GetStamp(long sequence) => _sequencer.GetStamp(sequence);

    /// <summary>Seqlock "stamp after": true when <paramref name="sequence"/> is still held after the caller's copy.</summary>
    public bool Validate(long sequence) => _sequencer.Validate(sequence);

    /// <summary>True when <paramref name="sequence"/> was overwritten or trimmed (or is being overwritten).</summary>
    public bool IsOverrun(long sequence) => _sequencer.IsOverrun(sequence);

    /// <summary>The lowest gating reader position, or <see cref="long.MaxValue"/> when no reader gates.</summary>
    public long MinimumGatingPosition => _sequencer.MinimumGatingPosition();

    /// <summary>Adds a reader the producer waits for, positioned after <paramref name="startAfter"/>. Throws when the
    /// event after it may already be overwritten or trimmed. Remove with Dispose.</summary>
    public GatingReader AddGatingReader(long startAfter)
    {
        var reader = new GatingReader(_sequencer, startAfter);
        _sequencer.AddGating(reader, startAfter);
        return reader;
    }

    /// <summary>Adds a gating reader positioned at the cursor as of joining.</summary>
    public GatingReader AddGatingReaderAtCursor()
    {
        var reader = new GatingReader(_sequencer, -1);
        _sequencer.AddGatingAtCursor(reader);
        return reader;
    }

    /// <summary>Adds a reader the producer never waits for, positioned after <paramref name="startAfter"/>. While it
    /// lives (until disposed) the ring keeps what it has not read, within the last <see cref="Size"/> events and the
    /// process-wide limit; it finds out by itself when it is overrun.</summary>
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

    /// <summary>Trims now what retention allows (the process-wide timer does this every tick).</summary>
    public void Trim() => _log.Trim();

    /// <summary>Gives every block back to the pool and leaves the budget; call after the producer stopped. Every
    /// published event reads as overrun from then on.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _log.Memory.Unregister(_log);
        _log.ReleaseAll();
    }
}
