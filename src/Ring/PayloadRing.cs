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
public sealed class PayloadRing<TMeta> : SequencedRing, IDisposable
    where TMeta : unmanaged
{
    private readonly PayloadRef[] _slots;
    private readonly PayloadLog _log;
    private readonly int _headerSize;
    private int _disposed;

    /// <summary>Creates a ring of <paramref name="size"/> slots (a power of two) whose payloads are held within
    /// <paramref name="memory"/> (<see cref="RingMemory.Default"/> when null).</summary>
    public PayloadRing(int size, RingMemory? memory = null, RingOptions? options = null)
        : base(size, options)
    {
        _slots = new PayloadRef[size];
        for (int i = 0; i < size; i++) _slots[i].Block = [];
        _headerSize = (Unsafe.SizeOf<TMeta>() + 7) & ~7;
        memory ??= RingMemory.Default;
        _log = new PayloadLog(Sequencer, _slots, memory);
        Writer = new PayloadWriter(_log, _headerSize);
        memory.Register(_log);
    }

    /// <summary>The oldest sequence the ring may still hold: within the last <see cref="Size"/> and not trimmed.</summary>
    public long OldestAvailable => Math.Max(Math.Max(0, Sequencer.Cursor - Size + 1), Sequencer.Floor);

    /// <summary>The oldest sequence whose payload has not been trimmed (0 before any trim).</summary>
    public long OldestRetained => Sequencer.Floor;

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

    /// <summary>Publishes the claimed <paramref name="sequence"/> (in claim order) with the payload written into
    /// <see cref="Writer"/> since the last publish, and its <paramref name="meta"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Publish(long sequence, in TMeta meta)
    {
        ref PayloadRef slot = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_slots), (nint)(sequence & Sequencer.Mask));
        Span<byte> header = Writer.Commit(sequence, ref slot);
        Unsafe.WriteUnaligned(ref MemoryMarshal.GetReference(header), meta);
        Sequencer.Publish(sequence);
    }

    /// <summary>Seqlock read of <paramref name="sequence"/>: copies its metadata and returns its payload bytes, in place.
    /// Until the caller's <see cref="RingReader.Validate"/> succeeds after its last use of both, they may be torn,
    /// another event's or another ring's bytes: never throws for that, and never reads outside the block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> Read(long sequence, out TMeta meta)
    {
        ref PayloadRef slot = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_slots), (nint)(sequence & Sequencer.Mask));
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

    /// <summary>Trims now what retention allows (the process-wide timer does this every tick).</summary>
    public void Trim() => _log.Trim();

    /// <summary>Pins a session that started after <paramref name="position"/>: the age rule of retention keeps events
    /// only after the oldest pin (see <see cref="RetentionPin"/>). Dispose it when the session ends.</summary>
    public RetentionPin Pin(long position)
    {
        var pin = new RetentionPin(Sequencer, position);
        Sequencer.AddPin(pin);
        return pin;
    }

    /// <summary>Gives every block back to the pool and leaves the budget; call after the producer stopped. Every
    /// published event reads as overrun from then on.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _log.Memory.Unregister(_log);
        _log.ReleaseAll();
    }
}
